#pragma once
// Subscription filters (bộ lọc): a small, explicit attribute model per event type. A filter lists accepted
// values per attribute; an empty list accepts any value; all non-empty lists must match. Values are kept
// folded (text::Fold) so "Cải cách hành chính" matches "cai cach hanh chinh" and "QĐ" matches "qd".
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/field_error.h"

namespace cchc::notification {

// The attributes a filter can name.
enum class Attribute { kFields, kTypeCodes, kIssuers, kCategories, kArticles, kUnitCodes };

// The attributes events of `event_type` carry; nullopt for an event type the service does not know.
std::optional<std::set<Attribute>> AttributesOf(const std::string& event_type);

// Every event type a subscription may name.
const std::vector<std::string>& KnownEventTypes();

// What an event offers to filters, folded. An attribute holding several values (a document's fields)
// matches when any of them is accepted.
struct EventAttributes {
  std::vector<std::string> fields, type_codes, issuers, categories, articles, unit_codes;
};

struct FilterSpec {
  std::vector<std::string> fields, type_codes, issuers, categories, articles, unit_codes;  // folded, sorted, unique
};

// Checks `filter` for `event_type` (under the request path `path`, e.g. "subscription.filter") and folds
// it. An attribute the type does not have, an empty or over-long value, or too many values → FieldError.
std::optional<FieldError> ValidateFilter(const std::string& event_type, const v1::Filter& filter,
                                         const std::string& path, FilterSpec* out);

bool Matches(const FilterSpec& filter, const EventAttributes& event);

nlohmann::json ToJson(const FilterSpec& filter);
FilterSpec FilterFromJson(const nlohmann::json& j);
// The stored (folded) form shown back to callers.
void ToProto(const FilterSpec& filter, v1::Filter* out);

inline constexpr size_t kMaxFilterValues = 50;
inline constexpr size_t kMaxFilterValueChars = 200;

}  // namespace cchc::notification
