# The whole system under test (the four services as processes): the seed scenario, faults, bad input and
# the access matrix. Each suite starts its own stack.
add_library(cchc_system_stack STATIC system/system_stack.cc)
target_link_libraries(cchc_system_stack PUBLIC cchc_test_support)
add_dependencies(cchc_system_stack scoring-service notification-service)

foreach(suite scenario faults bad_input access outbox)
  add_executable(whole_system_${suite}_tests system/whole_system_${suite}_test.cc)
  target_link_libraries(whole_system_${suite}_tests PRIVATE cchc_system_stack GTest::gtest_main)
  add_test(NAME whole_system_${suite}_tests COMMAND whole_system_${suite}_tests)
  set_tests_properties(whole_system_${suite}_tests PROPERTIES LABELS system TIMEOUT 900)
endforeach()
target_link_libraries(whole_system_access_tests PRIVATE PkgConfig::PQXX)
# The fault suite in phases: its workload, its checks, and the anomaly counting (with service-free tests).
target_sources(whole_system_faults_tests PRIVATE system/whole_system_faults_workload.cc
                                                 system/whole_system_faults_verify.cc
                                                 system/whole_system_faults_checks.cc
                                                 system/whole_system_faults_checks_test.cc)
