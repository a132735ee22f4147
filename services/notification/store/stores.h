#pragma once
// The notification service's stores over its two pools, built once by main and lent to the handlers, the consumer
// and the delivery workers; and what the pools prepare and the schema migrates.
#include <vector>

#include "platform/db.h"
#include "platform/migrations.h"
#include "store/deliveries.h"
#include "store/digests.h"
#include "store/endpoint_health.h"
#include "store/holidays.h"
#include "store/inbox.h"
#include "store/recovery.h"
#include "store/subscribers.h"
#include "store/subscriptions.h"

namespace cchc::notification {

std::vector<db::Migration> Migrations();  // generated from migrations/*.sql

// Every store's statements and the consumer's, for the service's pool. The watch pool prepares WatchStatements().
std::vector<db::Statement> Statements();

struct Stores {
  // `watch_pool` runs InboxStore::After (see WatchStatements); `health` and `notice`: the endpoint health's.
  Stores(db::Pool& pool, db::Pool& watch_pool, HealthOptions health = {}, DisableNotice notice = {})
      : subscribers(pool),
        subscriptions(pool),
        inbox(pool, watch_pool),
        deliveries(pool),
        holidays(pool),
        recovery(pool),
        endpoint_health(pool, health, std::move(notice)) {}

  SubscriberStore subscribers;
  SubscriptionStore subscriptions;
  InboxStore inbox;
  DeliveryStore deliveries;
  HolidayStore holidays;
  RecoveryStore recovery;
  EndpointHealthStore endpoint_health;
};

}  // namespace cchc::notification
