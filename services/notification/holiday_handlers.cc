// The holiday table's RPCs (ngày nghỉ lễ): ImportHolidays and ListHolidays, admin only. Checks in
// rules/holidays.h, storage in store/holidays.h.
#include "platform/errors.h"
#include "platform/handler.h"
#include "rules/holidays.h"
#include "service.h"

namespace cchc::notification {

grpc::Status NotificationService::ImportHolidays(grpc::ServerContext* ctx, const v1::ImportHolidaysRequest* req,
                                                 v1::ImportHolidaysResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    std::vector<HolidaySpec> holidays;
    Require(ValidateHolidays(*req, &holidays));
    auto imported = stores_.holidays.Import(req->year(), holidays);
    out->set_year(req->year());
    out->set_imported(imported.imported);
    out->set_removed(imported.removed);
    return grpc::Status::OK;
  });
}

grpc::Status NotificationService::ListHolidays(grpc::ServerContext* ctx, const v1::ListHolidaysRequest* req,
                                               v1::ListHolidaysResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    Require(ValidateHolidayYear(req->year()));
    for (const auto& h : stores_.holidays.List(req->year())) *out->add_holidays() = ToProto(h);
    return grpc::Status::OK;
  });
}

}  // namespace cchc::notification
