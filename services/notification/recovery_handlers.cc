// ResendDelivery and RecoverFailedDeliveries: who may (admin, or an editor of the subscriber's unit), the request
// read, the store's recovery (store/recovery.h) run.
#include "delivery_name.h"
#include "platform/handler.h"
#include "rules/validation.h"
#include "service.h"

namespace cchc::notification {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr int kRecoverLimit = 1000;  // deliveries queued again by one RecoverFailedDeliveries call, at most

// Subscriber `id` exists (NOT_FOUND naming `field` otherwise) and `p` is an admin or an editor of its unit
// (PERMISSION_DENIED otherwise; the role itself RunHandler checked).
void RequireEditorOf(const auth::Principal& p, SubscriberStore& subscribers, const std::string& id,
                     const std::string& field) {
  auto s = subscribers.Find(id);
  if (!s) throw StatusError(StatusCode::NOT_FOUND, field + ": subscribers/" + id + " not found");
  if (!p.Has(auth::Role::kAdmin) && p.unit != s->unit)
    throw StatusError(StatusCode::PERMISSION_DENIED,
                      field + ": subscribers/" + id + " belongs to another unit than " + p.unit);
}

// µs since the epoch of a required, valid timestamp; INVALID_ARGUMENT naming `field` otherwise.
int64_t RequireMicros(bool present, const google::protobuf::Timestamp& t, const std::string& field) {
  if (!present) throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": required");
  // 0001-01-01 to 9999-12-31, as google.protobuf.Timestamp allows.
  if (t.seconds() < -62135596800 || t.seconds() > 253402300799 || t.nanos() < 0 || t.nanos() > 999999999)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": not a valid timestamp");
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

}  // namespace

Status NotificationService::ResendDelivery(grpc::ServerContext* ctx, const v1::ResendDeliveryRequest* req,
                                           v1::Delivery* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDeliveryId(req->name());
    auto d = stores_.deliveries.Get(id);
    if (!d) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " not found");
    RequireEditorOf(p, stores_.subscribers, *SubscriberIdOf(d->subscriber()), "name");
    *out = stores_.recovery.Resend(id, options_.retry_budget);
    return Status::OK;
  });
}

Status NotificationService::RecoverFailedDeliveries(grpc::ServerContext* ctx,
                                                    const v1::RecoverFailedDeliveriesRequest* req,
                                                    v1::RecoverFailedDeliveriesResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    auto id = SubscriberIdOf(req->subscriber());
    if (!id) return Status(StatusCode::INVALID_ARGUMENT, "subscriber: must be subscribers/{id}");
    int64_t since = RequireMicros(req->has_since(), req->since(), "since");
    RequireEditorOf(p, stores_.subscribers, *id, "subscriber");
    Recovered r = stores_.recovery.RecoverFailed(*id, since, kRecoverLimit, options_.retry_budget);
    out->set_recovered(r.count);
    out->set_more(r.more);
    return Status::OK;
  });
}

}  // namespace cchc::notification
