#pragma once
// Who sees which documents (văn bản). Published documents: everybody. Drafts and withdrawn documents: admin,
// and the editors of the unit that created them. To anybody else such a document does not exist — Get,
// GetByCode, List, Search and downloads answer as if it were absent (NOT_FOUND), so its existence does not
// leak; a document the caller sees but may not change (another unit's published one) is PERMISSION_DENIED.
#include <string>

#include "cchc/document/v1/document.pb.h"
#include "platform/auth.h"

namespace cchc::document {

// The unpublished documents a read may return besides the published ones.
struct Visibility {
  bool all = false;  // every unit's (admin)
  std::string unit;  // this unit's (an editor's own); empty and !all: none (readers)
  // Whether any unpublished document may be seen (such reads skip the readers' caches).
  bool SeesUnpublished() const { return all || !unit.empty(); }
};

Visibility VisibilityOf(const auth::Principal& principal);

// Whether a caller with `visibility` sees `doc`.
bool Sees(const Visibility& visibility, const v1::Document& doc);

}  // namespace cchc::document
