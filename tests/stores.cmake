# The document, news and scoring stores (services/<service>/store/) against a real PostgreSQL cluster, one target
# per service: each service library's include root is its own folder, so two of them cannot share a target.
foreach(service document news scoring)
  add_executable(${service}_store_tests integration/${service}_store_test.cc)
  target_link_libraries(${service}_store_tests PRIVATE cchc_${service} cchc_test_support GTest::gtest_main)
  add_test(NAME ${service}_store_tests COMMAND ${service}_store_tests)
  set_tests_properties(${service}_store_tests PROPERTIES LABELS integration TIMEOUT 300)
endforeach()

# The document lifecycle announcements (hiệu lực): the store and the scheduler with an injected clock, two replicas
# and a restart, against a real PostgreSQL cluster.
add_executable(document_lifecycle_tests integration/document_lifecycle_test.cc)
target_link_libraries(document_lifecycle_tests PRIVATE cchc_document cchc_test_support GTest::gtest_main)
add_test(NAME document_lifecycle_tests COMMAND document_lifecycle_tests)
set_tests_properties(document_lifecycle_tests PROPERTIES LABELS integration TIMEOUT 300)
