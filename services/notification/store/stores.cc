#include "store/stores.h"

#include "platform/consumer.h"
#include "store/attempts.h"

namespace cchc::notification {

std::vector<db::Statement> Statements() {
  std::vector<db::Statement> all;
  for (auto* of :
       {SubscriberStatements, SubscriptionStatements, InboxStatements, DigestStatements, DeliveryStatements,
        HolidayStatements, AttemptStatements, RecoveryStatements, EndpointHealthStatements, consumer::Statements})
    for (auto& s : of()) all.push_back(std::move(s));
  return all;
}

}  // namespace cchc::notification
