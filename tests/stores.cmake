# The document, news and scoring stores (services/<service>/store/) against a real PostgreSQL cluster, one target
# per service: each service library's include root is its own folder, so two of them cannot share a target.
foreach(service document news scoring)
  add_executable(${service}_store_tests integration/${service}_store_test.cc)
  target_link_libraries(${service}_store_tests PRIVATE cchc_${service} cchc_test_support GTest::gtest_main)
  add_test(NAME ${service}_store_tests COMMAND ${service}_store_tests)
  set_tests_properties(${service}_store_tests PROPERTIES LABELS integration TIMEOUT 300)
endforeach()

# Search ranking on the demo documents among 1,000 benchmark-corpus distractors (a labelled set of queries).
add_executable(document_search_ranking_tests integration/document_search_ranking_test.cc
                                             ${PROJECT_SOURCE_DIR}/tools/loadgen/corpus.cc
                                             ${PROJECT_SOURCE_DIR}/tools/loadgen/search_queries.cc)
target_include_directories(document_search_ranking_tests PRIVATE ${PROJECT_SOURCE_DIR}/tools/loadgen)
target_compile_definitions(document_search_ranking_tests
                           PRIVATE CCHC_DEMO_DOCUMENTS="${PROJECT_SOURCE_DIR}/tools/demo/documents.json")
target_link_libraries(document_search_ranking_tests PRIVATE cchc_document cchc_test_support GTest::gtest_main)
add_test(NAME document_search_ranking_tests COMMAND document_search_ranking_tests)
set_tests_properties(document_search_ranking_tests PROPERTIES LABELS integration TIMEOUT 300)

# The document lifecycle announcements (hiệu lực): the store and the scheduler with an injected clock, two replicas
# and a restart, against a real PostgreSQL cluster.
add_executable(document_lifecycle_tests integration/document_lifecycle_test.cc)
target_link_libraries(document_lifecycle_tests PRIVATE cchc_document cchc_test_support GTest::gtest_main)
add_test(NAME document_lifecycle_tests COMMAND document_lifecycle_tests)
set_tests_properties(document_lifecycle_tests PROPERTIES LABELS integration TIMEOUT 300)

# The outgoing register (sổ văn bản đi): two DocumentService replicas (own pools, own gRPC servers) on one real
# PostgreSQL database, an injected clock; 1,600 concurrent reservations, a year boundary, expiry.
add_executable(document_register_tests integration/document_register_test.cc)
target_link_libraries(document_register_tests PRIVATE cchc_document cchc_test_support GTest::gtest_main)
add_test(NAME document_register_tests COMMAND document_register_tests)
set_tests_properties(document_register_tests PROPERTIES LABELS integration TIMEOUT 300)
