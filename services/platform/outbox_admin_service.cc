#include "outbox_admin_service.h"

#include "handler.h"
#include "page_cursor.h"

namespace cchc::outbox {
namespace {

constexpr paging::CursorShape<int64_t> kParkedCursor{{"parked_after"}};

using grpc::Status;
using grpc::StatusCode;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

Status NotParked(const std::string& event_id) {
  return {StatusCode::NOT_FOUND, "event_id: no parked event " + event_id};
}

}  // namespace

Status OutboxAdminService::ListParkedEvents(grpc::ServerContext* context,
                                            const platform::v1::ListParkedEventsRequest* request,
                                            platform::v1::ListParkedEventsResponse* response) {
  return RunHandler(context, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    if (request->page_size() < 0 || request->page_size() > kMaxPageSize)
      return Status(StatusCode::INVALID_ARGUMENT, "page_size: must be between 0 and " + std::to_string(kMaxPageSize));
    int limit = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
    int64_t after = 0;
    if (!request->page_token().empty()) std::tie(after) = kParkedCursor.Decode(request->page_token(), "");
    auto page = parked_.List(after, limit);
    for (auto& e : page.events) *response->add_parked_events() = std::move(e);
    if (page.last_seq) response->set_next_page_token(kParkedCursor.Encode("", *page.last_seq));
    return Status::OK;
  });
}

Status OutboxAdminService::RetryParkedEvent(grpc::ServerContext* context,
                                            const platform::v1::RetryParkedEventRequest* request,
                                            platform::v1::ParkedEvent* response) {
  return RunHandler(context, tokens_, auth::Role::kAdmin, [&](const auth::Principal& principal) {
    if (request->event_id().empty()) return Status(StatusCode::INVALID_ARGUMENT, "event_id: required");
    auto retried = parked_.Retry(request->event_id());
    if (!retried) return NotParked(request->event_id());
    log::Info("parked outbox event retried", {{"event_id", retried->event_id()}, {"by", principal.unit}});
    *response = std::move(*retried);
    return Status::OK;
  });
}

Status OutboxAdminService::DiscardParkedEvent(grpc::ServerContext* context,
                                              const platform::v1::DiscardParkedEventRequest* request,
                                              platform::v1::ParkedEvent* response) {
  return RunHandler(context, tokens_, auth::Role::kAdmin, [&](const auth::Principal& principal) {
    if (request->event_id().empty()) return Status(StatusCode::INVALID_ARGUMENT, "event_id: required");
    auto discarded = parked_.Discard(request->event_id());
    if (!discarded) return NotParked(request->event_id());
    log::Warn("parked outbox event discarded: it will never be published", {{"event_id", discarded->event_id()},
                                                                            {"event_type", discarded->event_type()},
                                                                            {"aggregate_id", discarded->aggregate_id()},
                                                                            {"by", principal.unit}});
    *response = std::move(*discarded);
    return Status::OK;
  });
}

}  // namespace cchc::outbox
