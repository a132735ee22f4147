#pragma once
// Local-file helpers for attachments: media types by extension and streaming SHA-256.
#include <string>
#include <string_view>

#include "platform/crypto.h"

namespace cchc::cchcctl {

// The media type the service expects for `file_name`'s extension (pdf, doc, docx, xls, xlsx, zip, png,
// jpg/jpeg, txt; any case), or "" when unknown.
std::string MediaTypeFor(std::string_view file_name);

using crypto::Sha256;  // incremental SHA-256 (platform/crypto.h)

}  // namespace cchc::cchcctl
