#pragma once
// Storage of documents and attachments in the service's PostgreSQL schema. Every write that changes what
// subscribers see writes its event to the outbox in the same transaction. Reads are single prepared
// statements outside a transaction (one round trip).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "events.h"
#include "platform/db.h"
#include "platform/migrations.h"
#include "platform/search_text.h"
#include "rules/code.h"
#include "rules/visibility.h"

namespace cchc::document {

// The service's own migrations (generated from migrations/*.sql), after the platform's.
std::vector<db::Migration> Migrations();
std::vector<db::Migration> AllMigrations();
// The named statements every pooled connection prepares (attachment_store.h's included).
std::vector<db::Statement> Statements();
// The SQL List and Search run unprepared (their filters are optional), for the load generator's SQL limit.
// List: $1..$9 the filters, $10/$11 the page's last issue date and seq (or NULL/0), $12 the row limit,
// $13 the unit whose unpublished documents it may return (NULL: every unit's, '': none).
// Search: $1..$9 the filters, $10 the tsquery, $11 limit, $12 offset, $13 the same words as a phrase, $14 as
// List's $13.
const std::string& ListSql();
const std::string& SearchSql();

// What a Modify callback decided: the event to emit (if any) and the fields it changed.
struct Mutation {
  EventKind event = EventKind::kNone;
  std::vector<std::string> changed_fields;
};

// A publish or a withdrawal: the status it sets, the reason (withdrawals) and the event it emits.
struct StatusChange {
  v1::DocumentStatus status;
  std::string withdraw_reason;
  EventKind event;
};

struct ListQuery {
  v1::DocumentFilter filter;  // validated
  Visibility visibility;      // the caller's: which drafts and withdrawn documents it may return
  int limit = 20;
  // Keyset cursor: documents strictly after (issue_date, seq) in newest-first order.
  std::optional<std::pair<std::string, int64_t>> after;
};

struct ListPage {
  std::vector<v1::Document> documents;
  std::optional<std::pair<std::string, int64_t>> last;  // set when there may be more
};

// Search ranks the newest this many matches; pages end there.
inline constexpr int kMaxSearchResults = 1000;

struct SearchQuery {
  std::string tsquery;  // to_tsquery('simple', …) text built by BuildTsQuery
  std::string phrase;   // the same words as a phrase (BuildTsPhrase), ranked first
  v1::DocumentFilter filter;
  Visibility visibility;  // as in ListQuery
  int limit = 20;
  int offset = 0;
};

class Repository {
 public:
  explicit Repository(db::Pool& pool) : pool_(pool) {}

  // Inserts a draft. A (principal, request_id) seen before returns the first answer. A code already used
  // by the issuer that year throws StatusError(ALREADY_EXISTS).
  v1::Document Create(const v1::Document& doc, const DocumentCode& code, const std::string& principal,
                      const std::string& request_id);

  std::optional<v1::Document> Get(const std::string& id);
  // The newest document whose folded code equals `lookup_key` (in `year` when non-zero) among those
  // `visibility` sees.
  std::optional<v1::Document> GetByCode(const std::string& lookup_key, int year, const Visibility& visibility);

  // Sets the status and enqueues the change's event: `check` sees the document as it is and throws StatusError
  // to refuse, writing nothing. Optimistic: the write applies only to the version `check` saw, and a change
  // in between makes it read again (ABORTED after a few). Nothing indexed changes, so PostgreSQL can update
  // the row in place (HOT). NOT_FOUND (naming `name`) if there is none.
  v1::Document ChangeStatus(const std::string& id, const StatusChange& change,
                            const std::function<void(const v1::Document& before)>& check, const std::string& principal);
  // Locks the row, lets `change` edit a copy (it throws StatusError to refuse), writes the copy back with a
  // new etag and the event it asked for, and returns the stored document. NOT_FOUND if there is none.
  v1::Document Modify(const std::string& id, const std::function<Mutation(v1::Document&)>& change,
                      const std::string& principal);
  // Deletes after `check` approves the current state (it throws StatusError to refuse).
  void Delete(const std::string& id, const std::function<void(const v1::Document&)>& check);

  ListPage List(const ListQuery& q);
  std::vector<v1::Document> Search(const SearchQuery& q);

  // Attachments: AttachmentStore (attachment_store.h).

 private:
  db::Pool& pool_;
};

// Search keys (platform/search_text.h), used by the repository and the handlers alike.
using search::BuildTsPhrase;
using search::BuildTsQuery;
using search::SearchWords;

}  // namespace cchc::document
