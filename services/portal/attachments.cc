#include "attachments.h"

namespace cchc::portal {
namespace {

std::string LastSegment(const std::string& name) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

std::optional<document::v1::Attachment> FindAttachment(const document::v1::Document& document,
                                                       const std::string& id_or_name) {
  for (const auto& a : document.attachments())
    if (LastSegment(a.name()) == id_or_name) return a;
  for (const auto& a : document.attachments())
    if (a.file_name() == id_or_name) return a;
  return std::nullopt;
}

std::string ContentDisposition(const std::string& file_name) {
  std::string ascii, encoded;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : file_name) {
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    if (Unreserved(c)) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  if (ascii.empty()) ascii = "tep";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

std::string AttachmentHref(const std::string& name) {
  // documents/{id}/attachments/{attachment_id}
  auto first = name.find('/');
  auto second = name.find('/', first + 1);
  std::string id = name.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  return "/van-ban/" + id + "/tep/" + LastSegment(name);
}

}  // namespace cchc::portal
