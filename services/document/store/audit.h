#pragma once
// The audit trail (nhật ký) in the service's PostgreSQL schema (migration 009): append-only rows of who did what to
// which document. The writes that change a document append theirs inside their own statement (AuditCte) or
// transaction (AppendAudit), so a refused or failed write leaves none and no write commits without one. Reads of a
// draft and downloads append theirs synchronously, one autocommit statement before the answer: none is lost on a
// clean shutdown or a crash (a crash between the append and the answer leaves a row for a read never delivered).
// The retention purge is the only deletion; the database refuses every other UPDATE, DELETE and TRUNCATE.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "platform/db.h"

namespace cchc::document {

// Who acts: the token's identity (unit code and roles, comma-separated), never the token.
struct Actor {
  std::string unit;
  std::string roles;
  Actor(std::string unit_code, std::string role_names = "")  // NOLINT(google-explicit-constructor)
      : unit(std::move(unit_code)), roles(std::move(role_names)) {}
  Actor(const char* unit_code) : Actor(std::string(unit_code)) {}  // NOLINT(google-explicit-constructor)
};

// The most characters an audit row's details keep (the table's CHECK).
inline constexpr size_t kMaxAuditDetails = 500;
// `text` bounded to kMaxAuditDetails characters.
std::string AuditDetails(std::string_view text);

// The audit INSERT a document write runs in its own statement, as a data-modifying CTE over `source` (a CTE whose
// rows have the document's `id`): `principal` the SQL of the unit's parameter, then the parameters $first (roles),
// $first+1 (action), $first+2 (changed fields, a text[] literal) and $first+3 (details).
std::string AuditCte(const std::string& source, const std::string& principal, int first);

// Appends one row in `tx` (a document write's transaction, or an autocommit read's).
void AppendAudit(pqxx::transaction_base& tx, const Actor& actor, v1::AuditAction action, const std::string& resource,
                 const std::string& document_id, const std::vector<std::string>& changed_fields = {},
                 const std::string& details = "");

// The statements AuditStore and AppendAudit run, for the pool to prepare.
std::vector<db::Statement> AuditStatements();

struct AuditQuery {
  std::string document_id;  // empty: every document
  std::string principal;    // empty: everybody
  v1::AuditAction action = v1::AUDIT_ACTION_UNSPECIFIED;
  int64_t start_us = 0;                              // 0: no lower bound; inclusive
  int64_t end_us = 0;                                // 0: no upper bound; exclusive
  std::optional<std::pair<int64_t, int64_t>> after;  // the last page's last (time in µs, id)
  int limit = 50;
};

struct AuditPage {
  std::vector<v1::AuditEvent> events;
  std::optional<std::pair<int64_t, int64_t>> last;  // set when the page is full: where the next one starts
};

class AuditStore {
 public:
  explicit AuditStore(db::Pool& pool) : pool_(pool) {}

  // One row for a read (a draft read, a download), committed before this returns.
  void Append(const Actor& actor, v1::AuditAction action, const std::string& resource, const std::string& document_id,
              const std::string& details = "");
  // Newest first, after q.after.
  AuditPage List(const AuditQuery& q);
  // Deletes at most `max_rows` of the oldest rows older than `before_us`; returns how many went.
  int Purge(int64_t before_us, int max_rows);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::document
