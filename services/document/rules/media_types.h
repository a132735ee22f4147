#pragma once
// The media types an attachment (tệp đính kèm) may have, and how each type's files begin. No gRPC or SQL here.
#include <string>
#include <string_view>

namespace cchc::document {

// Whether attachments of `media_type` are accepted (PDF, DOC/DOCX, XLS/XLSX, ZIP, PNG, JPEG, plain text).
bool IsAllowedMediaType(const std::string& media_type);
// Whether content beginning with `head` starts the way files of `media_type` do; false for a type not accepted.
bool ContentMatchesMediaType(const std::string& media_type, std::string_view head);

}  // namespace cchc::document
