#include "filter.h"

#include <algorithm>
#include <map>

#include "platform/text.h"

namespace cchc::notification {
namespace {

using Attrs = std::set<Attribute>;

const std::map<std::string, Attrs>& Model() {
  static const std::map<std::string, Attrs> model = {
      {"cchc.document.v1.DocumentPublished", {Attribute::kFields, Attribute::kTypeCodes, Attribute::kIssuers}},
      {"cchc.document.v1.DocumentUpdated", {Attribute::kFields, Attribute::kTypeCodes, Attribute::kIssuers}},
      {"cchc.document.v1.DocumentWithdrawn", {Attribute::kFields, Attribute::kTypeCodes, Attribute::kIssuers}},
      {"cchc.document.v1.DocumentBecameEffective", {Attribute::kFields, Attribute::kTypeCodes, Attribute::kIssuers}},
      {"cchc.document.v1.DocumentExpired", {Attribute::kFields, Attribute::kTypeCodes, Attribute::kIssuers}},
      {"cchc.document.v1.DocumentReplaced", {Attribute::kFields, Attribute::kTypeCodes, Attribute::kIssuers}},
      {"cchc.document.v1.DocumentDeleted", {Attribute::kFields, Attribute::kTypeCodes, Attribute::kIssuers}},
      {"cchc.news.v1.ArticlePublished", {Attribute::kCategories}},
      {"cchc.news.v1.ArticleUpdated", {Attribute::kCategories}},
      {"cchc.news.v1.ArticleUnpublished", {Attribute::kCategories}},
      {"cchc.news.v1.CommentSubmitted", {Attribute::kArticles}},
      {"cchc.news.v1.CommentApproved", {Attribute::kArticles}},
      {"cchc.scoring.v1.PeriodOpened", {}},
      {"cchc.scoring.v1.AssessmentSubmitted", {Attribute::kUnitCodes}},
      {"cchc.scoring.v1.AssessmentAppraised", {Attribute::kUnitCodes}},
      {"cchc.scoring.v1.ResultsPublished", {Attribute::kUnitCodes}},
  };
  return model;
}

struct Slot {
  Attribute attribute;
  const char* name;
  const google::protobuf::RepeatedPtrField<std::string>& (v1::Filter::*in)() const;
  std::vector<std::string> FilterSpec::*spec;
  std::vector<std::string> EventAttributes::*event;
};

const std::vector<Slot>& Slots() {
  static const std::vector<Slot> slots = {
      {Attribute::kFields, "fields", &v1::Filter::fields, &FilterSpec::fields, &EventAttributes::fields},
      {Attribute::kTypeCodes, "type_codes", &v1::Filter::type_codes, &FilterSpec::type_codes,
       &EventAttributes::type_codes},
      {Attribute::kIssuers, "issuers", &v1::Filter::issuers, &FilterSpec::issuers, &EventAttributes::issuers},
      {Attribute::kCategories, "categories", &v1::Filter::categories, &FilterSpec::categories,
       &EventAttributes::categories},
      {Attribute::kArticles, "articles", &v1::Filter::articles, &FilterSpec::articles, &EventAttributes::articles},
      {Attribute::kUnitCodes, "unit_codes", &v1::Filter::unit_codes, &FilterSpec::unit_codes,
       &EventAttributes::unit_codes},
  };
  return slots;
}

}  // namespace

std::optional<Attrs> AttributesOf(const std::string& event_type) {
  auto it = Model().find(event_type);
  if (it == Model().end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string>& KnownEventTypes() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> v;
    for (const auto& [type, attrs] : Model()) v.push_back(type);
    return v;
  }();
  return types;
}

std::optional<FieldError> ValidateFilter(const std::string& event_type, const v1::Filter& filter,
                                         const std::string& path, FilterSpec* out) {
  auto attrs = AttributesOf(event_type);
  if (!attrs) return FieldError{"subscription.event_type", "unknown event type \"" + event_type + "\""};
  FilterSpec spec;
  for (const Slot& slot : Slots()) {
    const auto& values = (filter.*slot.in)();
    if (values.empty()) continue;
    std::string field = path + "." + slot.name;
    if (!attrs->count(slot.attribute))
      return FieldError{field, "events of type " + event_type + " have no " + slot.name};
    if (static_cast<size_t>(values.size()) > kMaxFilterValues)
      return FieldError{field, "at most " + std::to_string(kMaxFilterValues) + " values"};
    std::vector<std::string>& folded = spec.*slot.spec;
    for (int i = 0; i < values.size(); ++i) {
      const std::string& v = values[i];
      std::string item = field + "[" + std::to_string(i) + "]";
      if (!text::IsValidUtf8(v) || text::HasControlCharacters(v))
        return FieldError{item, "must be UTF-8 text without control characters"};
      if (text::CodePointCount(v) > kMaxFilterValueChars)
        return FieldError{item, "at most " + std::to_string(kMaxFilterValueChars) + " characters"};
      std::string key = text::Fold(v);
      if (key.empty()) return FieldError{item, "must not be empty"};
      folded.push_back(std::move(key));
    }
    std::sort(folded.begin(), folded.end());
    folded.erase(std::unique(folded.begin(), folded.end()), folded.end());
  }
  *out = std::move(spec);
  return std::nullopt;
}

bool Matches(const FilterSpec& filter, const EventAttributes& event) {
  for (const Slot& slot : Slots()) {
    const auto& accepted = filter.*slot.spec;
    if (accepted.empty()) continue;
    const auto& offered = event.*slot.event;
    bool any = std::any_of(offered.begin(), offered.end(), [&](const std::string& v) {
      return std::binary_search(accepted.begin(), accepted.end(), text::Fold(v));
    });
    if (!any) return false;
  }
  return true;
}

nlohmann::json ToJson(const FilterSpec& filter) {
  nlohmann::json j = nlohmann::json::object();
  for (const Slot& slot : Slots())
    if (!(filter.*slot.spec).empty()) j[slot.name] = filter.*slot.spec;
  return j;
}

FilterSpec FilterFromJson(const nlohmann::json& j) {
  FilterSpec spec;
  for (const Slot& slot : Slots())
    if (j.contains(slot.name)) spec.*slot.spec = j.at(slot.name).get<std::vector<std::string>>();
  return spec;
}

void ToProto(const FilterSpec& filter, v1::Filter* out) {
  for (const auto& v : filter.fields) out->add_fields(v);
  for (const auto& v : filter.type_codes) out->add_type_codes(v);
  for (const auto& v : filter.issuers) out->add_issuers(v);
  for (const auto& v : filter.categories) out->add_categories(v);
  for (const auto& v : filter.articles) out->add_articles(v);
  for (const auto& v : filter.unit_codes) out->add_unit_codes(v);
}

}  // namespace cchc::notification
