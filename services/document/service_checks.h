#pragma once
// The checks every DocumentService handler shares (service.cc, attachment_handlers.cc). Each throws
// StatusError, which the handler frame (platform/handler.h) turns into the call's status.
#include <optional>
#include <string>

#include "cchc/document/v1/document.pb.h"
#include "platform/auth.h"
#include "platform/errors.h"
#include "store/audit.h"

namespace cchc::document {

// The id of `name` (documents/{uuid}); INVALID_ARGUMENT naming `field` otherwise.
std::string RequireDocumentId(const std::string& name, const std::string& field);
// Only the creating unit's editors (and admin) change a document; to another unit's editor, a draft or a
// withdrawn document does not exist (visibility.h), so `field` gets the same NOT_FOUND as a missing one.
void CheckOwner(const auth::Principal& p, const v1::Document& doc, const std::string& field = "name");
// Who `p` is in the audit trail: its unit and its roles ("editor,reader"), never its token.
Actor ActorOf(const auth::Principal& p);
// ABORTED when `given` is set and is not the document's etag.
void CheckEtag(const std::string& given, const v1::Document& doc);

}  // namespace cchc::document
