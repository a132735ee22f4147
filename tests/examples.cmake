# The examples (examples/python/cchc_client.py under /usr/bin/python3, the README's kcat recipes) against one
# whole-system stack. Needs python3-grpcio, python3-protobuf, protobuf-compiler-grpc and kcat.
add_executable(examples_system_tests system/examples_fixture.cc system/examples_python_test.cc
  system/examples_kcat_test.cc)
target_link_libraries(examples_system_tests PRIVATE cchc_system_stack GTest::gtest_main)
add_dependencies(examples_system_tests python_stubs cchcctl)
add_test(NAME examples_system_tests COMMAND examples_system_tests)
set_tests_properties(examples_system_tests PROPERTIES LABELS system TIMEOUT 300)
