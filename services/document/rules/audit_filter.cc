#include "audit_filter.h"

#include "platform/dates.h"
#include "platform/validate.h"
#include "rules/validation.h"

namespace cchc::document {
namespace {

std::optional<FieldError> Time(const std::string& value, const char* field, int64_t* micros) {
  if (value.empty()) return std::nullopt;
  auto parsed = dates::ParseRfc3339Micros(value);
  if (!parsed || *parsed <= 0)
    return FieldError{field, "must be an RFC 3339 time, e.g. 2026-12-07T00:00:00+07:00; got " + value.substr(0, 40)};
  *micros = *parsed;
  return std::nullopt;
}

}  // namespace

std::optional<FieldError> ParseAuditFilter(const v1::ListAuditEventsRequest& req, AuditFilter* filter) {
  if (!req.resource().empty()) {
    auto id = ParseDocumentName(req.resource());
    if (!id) return FieldError{"resource", "must be documents/{uuid}", platform::v1::INVALID_NAME};
    filter->document_id = *id;
  }
  filter->principal = req.principal();
  if (auto e = validate::Text(&filter->principal, "principal", {80})) return e;
  if (!v1::AuditAction_IsValid(req.action()))
    return FieldError{"action", "unknown value " + std::to_string(req.action())};
  filter->action = req.action();
  if (auto e = Time(req.start_time(), "start_time", &filter->start_us)) return e;
  if (auto e = Time(req.end_time(), "end_time", &filter->end_us)) return e;
  if (filter->start_us != 0 && filter->end_us != 0 && filter->end_us <= filter->start_us)
    return FieldError{"end_time", "must be after start_time"};
  return std::nullopt;
}

std::string AuditFilterKey(const AuditFilter& filter) {
  return filter.document_id + "\x1f" + filter.principal + "\x1f" + std::to_string(filter.action) + "\x1f" +
         std::to_string(filter.start_us) + "\x1f" + std::to_string(filter.end_us);
}

}  // namespace cchc::document
