#include "media_types.h"

#include <map>

namespace cchc::document {
namespace {

const std::map<std::string, std::string_view>& MediaTypes() {
  // media type → magic bytes its files start with ("" = any, checked otherwise).
  static const std::map<std::string, std::string_view> kTypes = {
      {"application/pdf", "%PDF-"},
      {"application/msword", std::string_view("\xD0\xCF\x11\xE0", 4)},
      {"application/vnd.ms-excel", std::string_view("\xD0\xCF\x11\xE0", 4)},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
      {"application/zip", "PK\x03\x04"},
      {"image/png", "\x89PNG"},
      {"image/jpeg", "\xFF\xD8\xFF"},
      {"text/plain", ""},
  };
  return kTypes;
}

}  // namespace

bool IsAllowedMediaType(const std::string& media_type) {
  return MediaTypes().count(media_type) > 0;
}

bool ContentMatchesMediaType(const std::string& media_type, std::string_view head) {
  auto it = MediaTypes().find(media_type);
  if (it == MediaTypes().end()) return false;
  return head.substr(0, it->second.size()) == it->second;
}

}  // namespace cchc::document
