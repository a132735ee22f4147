#pragma once
// cchc.platform.v1.OutboxAdmin (proto/cchc/platform/v1/outbox_admin.proto): the parked events of this service's
// outbox, for admins. ServiceRuntime registers it in every service.
#include "auth.h"
#include "cchc/platform/v1/outbox_admin.grpc.pb.h"
#include "outbox_parked.h"

namespace cchc::outbox {

class OutboxAdminService final : public platform::v1::OutboxAdmin::Service {
 public:
  OutboxAdminService(ParkedEvents& parked, const auth::TokenStore& tokens) : parked_(parked), tokens_(tokens) {}

  grpc::Status ListParkedEvents(grpc::ServerContext* context, const platform::v1::ListParkedEventsRequest* request,
                                platform::v1::ListParkedEventsResponse* response) override;
  grpc::Status RetryParkedEvent(grpc::ServerContext* context, const platform::v1::RetryParkedEventRequest* request,
                                platform::v1::ParkedEvent* response) override;
  grpc::Status DiscardParkedEvent(grpc::ServerContext* context, const platform::v1::DiscardParkedEventRequest* request,
                                  platform::v1::ParkedEvent* response) override;

 private:
  ParkedEvents& parked_;
  const auth::TokenStore& tokens_;
};

}  // namespace cchc::outbox
