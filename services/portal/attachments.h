#pragma once
// Attachment downloads through the portal (/van-ban/<id>/tep/<attachment id or file name>): which attachment a
// link names, and the headers its download is served with. The bytes themselves stream from the document
// service's DownloadAttachment RPC to the browser chunk by chunk (http_server.cc), never held whole.
#include <optional>
#include <string>

#include "cchc/document/v1/document.pb.h"

namespace cchc::portal {

// The attachment of `document` whose id (the last segment of its name) or file name is `id_or_name`.
std::optional<document::v1::Attachment> FindAttachment(const document::v1::Document& document,
                                                       const std::string& id_or_name);

// Content-Disposition for a download: attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>.
std::string ContentDisposition(const std::string& file_name);

// "/van-ban/<id>/tep/<attachment id>" of an attachment named documents/{id}/attachments/{attachment_id}.
std::string AttachmentHref(const std::string& attachment_name);

}  // namespace cchc::portal
