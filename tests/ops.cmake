# Operations (deploy/, k8s/, alerts, dashboard): label ops. Needs promtool (Debian prometheus), kubectl
# (kubernetes-client), node + npm (the validator's packages: tools/ops-validate/install) and python3-yaml.
set(CCHC_OPS_ENV "CCHC_BUILD_DIR=${PROJECT_BINARY_DIR}")

add_test(NAME ops_rules_check COMMAND promtool check rules ${PROJECT_SOURCE_DIR}/deploy/monitoring/rules/cchc.rules.yml)
add_test(NAME ops_rules_unit_tests COMMAND promtool test rules cchc.rules.test.yml
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/monitoring/rules)
# Every alert links its section of deploy/RUNBOOK.md (runbook_url), and every section has its alert.
add_test(NAME ops_runbook COMMAND python3 ${PROJECT_SOURCE_DIR}/tools/ops/check-runbook)
add_test(NAME ops_prometheus_config COMMAND promtool check config ${PROJECT_SOURCE_DIR}/deploy/monitoring/prometheus.yml)
add_test(NAME ops_prometheus_local COMMAND ${PROJECT_SOURCE_DIR}/tests/ops/prometheus_local_test.sh)
# k8s/base and the dashboard are generated (one source of truth: tools/ops/services.py and the rules file).
add_test(NAME ops_k8s_generated COMMAND python3 ${PROJECT_SOURCE_DIR}/tools/ops/gen-k8s --check)
add_test(NAME ops_dashboard_generated COMMAND python3 ${PROJECT_SOURCE_DIR}/tools/ops/gen-dashboard --check)
# kubectl kustomize builds base and every overlay; every object validates against the Kubernetes schemas; check-k8s:
# hardening, fences, no replicas beside HPAs, hashed ConfigMaps, the headless Service, and in prod Kafka over
# TLS/SCRAM with a least-privilege KafkaUser per service and PostgreSQL at sslmode verify-full.
add_test(NAME ops_k8s_validate COMMAND ${PROJECT_SOURCE_DIR}/tools/ops/validate-k8s)
# The prod overlay's SASL_SSL/SCRAM client settings against the librdkafka the services link (no broker: the
# embedded one cannot speak SASL).
add_test(NAME ops_kafka_client_settings COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/ops/kafka_client_settings_test.py)
# Compose structure, .env.example, and every flag/variable of compose and k8s in each built service's --help.
add_test(NAME ops_compose COMMAND python3 ${PROJECT_SOURCE_DIR}/tools/ops/check-compose
  --build-dir ${PROJECT_BINARY_DIR})
# deploy/Dockerfile: its runtime packages resolved from the built binaries, and its structure.
add_test(NAME ops_dockerfile COMMAND ${PROJECT_SOURCE_DIR}/tests/ops/dockerfile_test.sh ${PROJECT_BINARY_DIR})

# The dashboard's queries against a live scrape of document-service and news-service.
add_executable(ops_dashboard_metrics_test ops/dashboard_metrics_test.cc)
target_link_libraries(ops_dashboard_metrics_test PRIVATE cchc_test_support GTest::gtest_main)
add_dependencies(ops_dashboard_metrics_test cchc-broker document-service news-service scoring-service notification-service)
foreach(service scoring-service notification-service)
  if(TARGET ${service})
    add_dependencies(ops_dashboard_metrics_test ${service})  # for ops_compose's --help check
  endif()
endforeach()
add_test(NAME ops_dashboard_metrics COMMAND ops_dashboard_metrics_test)

set_tests_properties(ops_rules_check ops_rules_unit_tests ops_runbook ops_prometheus_config ops_prometheus_local
  ops_k8s_generated ops_dashboard_generated ops_k8s_validate ops_kafka_client_settings ops_compose ops_dockerfile ops_dashboard_metrics
  PROPERTIES LABELS ops TIMEOUT 600 ENVIRONMENT "${CCHC_OPS_ENV}")
