// notification-service: wiring only. Settings: --help (options.h).
#include <CLI/CLI.hpp>

#include "delivery/worker.h"
#include "inbox_notice.h"
#include "ingest.h"
#include "options.h"
#include "platform/consumer.h"
#include "platform/runtime.h"
#include "platform/service_main.h"
#include "rules/send_windows.h"
#include "service.h"
#include "store/stores.h"
#include "watch_hub.h"

int main(int argc, char** argv) {
  namespace n = cchc::notification;
  n::Options options;
  cchc::ServiceMain main({"notification", "cchc notification service (thông báo)", "127.0.0.1:50064", "127.0.0.1:9464"},
                         options.common);
  n::AddOptions(main.App(), options);
  if (auto exit = main.Parse(argc, argv, [&] { n::FinishOptions(options); })) return *exit;
  return main.Run([&] {
    n::CheckLocalZone();  // send windows and holidays are local days: no tz database, no start
    cchc::ServiceRuntime runtime(options.common, n::Statements(), cchc::db::WithPlatformMigrations(n::Migrations()),
                                 n::kSource);
    options.service.watch.registry = &runtime.registry;
    // The Watch streams' query on connections of its own, planned once (see WatchStatements). No metrics: the
    // pool metrics are the main pool's.
    cchc::db::Pool watch_pool(options.common.database_url, options.common.schema, options.service.watch.workers,
                              n::WatchStatements(), nullptr, cchc::db::Plans::kGeneric);
    n::Stores stores(runtime.pool, watch_pool, options.health,
                     {options.ingest.replica, n::kSource, options.ingest.attempt_budget});
    n::WatchHub hub;
    n::InboxListener listener(runtime.pool, hub, options.ingest.replica);
    listener.Start();
    n::Ingest handler(stores.subscriptions, stores.inbox, hub, options.ingest, runtime.registry);
    options.consumer.brokers = options.common.kafka_brokers;
    options.consumer.kafka_properties = options.common.KafkaProperties();
    cchc::consumer::EventConsumer consumer(runtime.pool, options.consumer, handler, runtime.registry);
    consumer.Start();
    // A dead-letter write that keeps failing holds its partition: not ready until it succeeds.
    n::DeliveryWorkers delivery(stores.deliveries, stores.holidays, stores.endpoint_health, options.workers,
                                runtime.registry);
    delivery.Start();
    n::NotificationService service(stores, hub, runtime.tokens, options.service);
    runtime.host.AddService(&service, "cchc.notification.v1.NotificationService");
    // Open Watch streams end with UNAVAILABLE ("resume from the last cursor") as the drain begins.
    runtime.host.AddShutdownHook([&] { hub.Stop(); });
    int rc = runtime.Run();
    consumer.Stop();
    delivery.Stop();
    listener.Stop();
    hub.Stop();
    return rc;
  });
}
