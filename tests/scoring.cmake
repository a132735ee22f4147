# The scoring service's system tests: the service as a process with the document service, over a real
# PostgreSQL cluster and the embedded broker.
add_executable(scoring_system_tests system/scoring_fixture.cc system/scoring_flow_test.cc
  system/scoring_bad_input_test.cc system/scoring_demo_test.cc system/scoring_lineage_test.cc)
target_link_libraries(scoring_system_tests PRIVATE cchc_test_support GTest::gtest_main)
add_dependencies(scoring_system_tests scoring-service document-service cchc-broker cchcctl)
add_test(NAME scoring_system_tests COMMAND scoring_system_tests)
set_tests_properties(scoring_system_tests PROPERTIES LABELS system TIMEOUT 600)
