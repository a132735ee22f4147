# The portal's document and PAR INDEX pages against the document and scoring services as processes (the
# scoring suite's fixture), with the demo data loaded through cchcctl.
add_executable(portal_pages_system_tests system/scoring_fixture.cc system/portal_pages_test.cc)
target_link_libraries(portal_pages_system_tests PRIVATE cchc_test_support portal_pages portal_clients
                                                        GTest::gtest_main)
add_dependencies(portal_pages_system_tests scoring-service document-service cchc-broker cchcctl)
add_test(NAME portal_pages_system_tests COMMAND portal_pages_system_tests)
set_tests_properties(portal_pages_system_tests PROPERTIES LABELS system TIMEOUT 600)
