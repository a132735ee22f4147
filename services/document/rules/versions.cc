#include "versions.h"

#include <algorithm>

#include "validation.h"

namespace cchc::document {

v1::Document VersionSnapshot(v1::Document doc, int64_t version) {
  doc.clear_attachments();
  doc.clear_view_count();
  doc.clear_download_count();
  doc.clear_etag();
  doc.clear_validity();
  doc.clear_replaced_by();
  doc.clear_replaced_by_code();
  doc.set_version(version);
  return doc;
}

std::optional<std::pair<std::string, int64_t>> ParseVersionName(const std::string& name) {
  constexpr std::string_view kMiddle = "/versions/";
  constexpr size_t kDocument = 10 + 36;  // documents/{uuid}
  if (name.size() <= kDocument + kMiddle.size() || name.size() > kDocument + kMiddle.size() + 18) return std::nullopt;
  auto doc = ParseDocumentName(name.substr(0, kDocument));
  if (!doc || name.compare(kDocument, kMiddle.size(), kMiddle) != 0) return std::nullopt;
  const std::string digits = name.substr(kDocument + kMiddle.size());
  if (digits[0] == '0' || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::make_pair(*doc, std::stoll(digits));
}

std::string VersionName(const std::string& document_id, int64_t version) {
  return "documents/" + document_id + "/versions/" + std::to_string(version);
}

int64_t FirstKeptAfterTheFirst(int64_t newest, int max_kept) {
  return std::max<int64_t>(2, newest - max_kept + 2);
}

}  // namespace cchc::document
