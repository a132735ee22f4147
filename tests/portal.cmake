# The portal over the whole system: its HTTP behaviour, and the browser test (headless Chromium driven by
# Selenium under /usr/bin/python3: Debian's chromium, chromium-driver, python3-selenium). Screenshots go to
# build/portal-screenshots/.
add_executable(portal_system_tests system/portal_fixture.cc system/portal_browser_test.cc)
target_link_libraries(portal_system_tests PRIVATE cchc_system_stack cchc_portal GTest::gtest_main)
add_dependencies(portal_system_tests portal-service cchcctl)
add_test(NAME portal_system_tests COMMAND portal_system_tests)
set_tests_properties(portal_system_tests PROPERTIES LABELS system TIMEOUT 600)
