# The notification service's suites: integration (events produced to the embedded broker by the test) and
# system (the document service's events), both over real PostgreSQL, with python3 webhook and SMTP receivers.
add_library(notification_test_fixture STATIC system/notification_fixture.cc)
target_link_libraries(notification_test_fixture PUBLIC cchc_test_support)
add_dependencies(notification_test_fixture notification-service document-service cchc-broker)

add_executable(notification_integration_tests integration/notification_delivery_test.cc
  integration/notification_manage_test.cc integration/notification_watch_test.cc
  integration/notification_ssrf_test.cc integration/notification_smtp_test.cc
  integration/notification_lease_test.cc integration/notification_isolation_test.cc
  integration/notification_secrets_test.cc
  integration/notification_recovery_test.cc)
target_link_libraries(notification_integration_tests PRIVATE notification_test_fixture GTest::gtest_main)
add_test(NAME notification_integration_tests COMMAND notification_integration_tests)
set_tests_properties(notification_integration_tests PROPERTIES LABELS integration TIMEOUT 600)
add_dependencies(notification_integration_tests notification-service document-service cchc-broker cchcctl)

# Webhook answers (3xx, 410, 429 + Retry-After, webhook-delivery) and endpoint health (auto-disable on a shortened
# clock, the owner's notice, EnableWebhook), on a service of its own flags.
add_executable(notification_webhook_health_tests integration/notification_webhook_health_test.cc)
target_link_libraries(notification_webhook_health_tests PRIVATE notification_test_fixture GTest::gtest_main)
add_test(NAME notification_webhook_health_tests COMMAND notification_webhook_health_tests)
set_tests_properties(notification_webhook_health_tests PROPERTIES LABELS integration TIMEOUT 300)
add_dependencies(notification_webhook_health_tests notification-service document-service cchc-broker cchcctl)

# Two notification-service replicas in one consumer group: the daily digest is still one message a day.
add_executable(notification_replica_tests integration/notification_replicas_test.cc)
target_link_libraries(notification_replica_tests PRIVATE notification_test_fixture GTest::gtest_main)
add_test(NAME notification_replica_tests COMMAND notification_replica_tests)
set_tests_properties(notification_replica_tests PROPERTIES LABELS integration TIMEOUT 600)
add_dependencies(notification_replica_tests notification-service document-service cchc-broker)

add_executable(notification_system_tests system/notification_flow_test.cc)
target_link_libraries(notification_system_tests PRIVATE notification_test_fixture GTest::gtest_main)
add_test(NAME notification_system_tests COMMAND notification_system_tests)
set_tests_properties(notification_system_tests PROPERTIES LABELS system TIMEOUT 600)
add_dependencies(notification_system_tests notification-service document-service cchc-broker)

# Server limits (ServiceHost: threads, connection age, keepalive) and the Watch stream's (caps, maximum age,
# ownership on each wake), against the notification service.
add_executable(notification_limits_tests integration/notification_limits_test.cc integration/server_limits_test.cc)
target_link_libraries(notification_limits_tests PRIVATE notification_test_fixture GTest::gtest_main)
add_test(NAME notification_limits_tests COMMAND notification_limits_tests)
set_tests_properties(notification_limits_tests PROPERTIES LABELS integration TIMEOUT 600)
add_dependencies(notification_limits_tests notification-service document-service cchc-broker cchcctl)

# The notification stores (services/notification/store/) against a real PostgreSQL cluster.
add_executable(notification_store_tests integration/notification_store_test.cc)
target_link_libraries(notification_store_tests PRIVATE cchc_notification cchc_test_support GTest::gtest_main)
add_test(NAME notification_store_tests COMMAND notification_store_tests)
set_tests_properties(notification_store_tests PROPERTIES LABELS integration TIMEOUT 300)

# Live webhook deliveries checked by the Standard Webhooks authors' verifier (npm standardwebhooks, run with node).
# notification_standard_webhooks_npm installs it under the build folder first (it fails, saying so, when npm's
# registry cannot be reached).
add_test(NAME notification_standard_webhooks_npm
  COMMAND ${PROJECT_SOURCE_DIR}/tests/system/standard_webhooks/install ${PROJECT_BINARY_DIR}/standardwebhooks)
set_tests_properties(notification_standard_webhooks_npm PROPERTIES LABELS system TIMEOUT 300
  FIXTURES_SETUP standardwebhooks_npm)
add_executable(notification_standard_webhooks_tests system/notification_standard_webhooks_test.cc)
target_link_libraries(notification_standard_webhooks_tests PRIVATE notification_test_fixture GTest::gtest_main)
add_test(NAME notification_standard_webhooks_tests COMMAND notification_standard_webhooks_tests)
set_tests_properties(notification_standard_webhooks_tests PROPERTIES LABELS system TIMEOUT 300
  FIXTURES_REQUIRED standardwebhooks_npm)
add_dependencies(notification_standard_webhooks_tests notification-service document-service cchc-broker)
# Send windows and holidays: the consumer's handler and the delivery workers in process (their clock moved
# forward) over a real PostgreSQL cluster, posting to the python webhook receiver.
add_executable(notification_windows_tests integration/notification_windows_test.cc)
target_link_libraries(notification_windows_tests PRIVATE cchc_notification cchc_test_support GTest::gtest_main)
add_test(NAME notification_windows_tests COMMAND notification_windows_tests)
set_tests_properties(notification_windows_tests PROPERTIES LABELS integration TIMEOUT 300)
