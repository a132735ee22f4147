#pragma once
// The list shapes readers run most, prepared: every published document, and the published documents of one
// field (lĩnh vực) — the portal's sidebar of official documents — newest first, a keyset page at a time. Planned
// once per connection instead of on every call (the generic list with its optional filters is planned per call:
// a few milliseconds, more than it runs). The field is matched with `= ANY (field_keys)`, which keeps the plan on
// the newest-first index whatever the field: a page reads about page ÷ (the field's share) index entries.
#include <optional>
#include <vector>

#include "platform/db.h"
#include "store/search.h"

namespace cchc::document {

// The statements ListPrepared runs, prepared with the documents store's (DocumentStatements).
std::vector<db::Statement> ListingStatements();

// True when `q` has a prepared shape: status PUBLISHED and no filter but the field and issue_date_to (each reader's
// list, and the portal's sidebar, which ends at the page's day: a reader sees published documents only, so
// visibility adds nothing).
bool HasPreparedShape(const ListQuery& q);

// The page of `q` through its prepared statement, its documents in `view` (BASIC: only the BasicColumns(), a third
// of the row); nullopt when it has no prepared shape (SearchStore::List then).
std::optional<ListPage> ListPrepared(db::Pool& pool, const ListQuery& q, v1::DocumentView view = v1::FULL);

}  // namespace cchc::document
