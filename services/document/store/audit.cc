#include "audit.h"

namespace cchc::document {
namespace {

// Constant-initialized: other files' statements (documents.cc) are built from it during static initialization.
constexpr const char* kAuditColumns =
    "audit_events (principal, principal_roles, action, resource, document_id, changed_fields, details)";

// AppendAudit: $1 principal, $2 roles, $3 action, $4 resource, $5 document id, $6 changed fields, $7 details.
const db::Statement kAppend{"audit_append", std::string("INSERT INTO ") + kAuditColumns +
                                                " VALUES ($1, $2, $3::smallint, $4, $5::uuid, $6::text[], $7)"};
// List: $1 document id or NULL, $2 principal or NULL, $3 action (0: any), $4/$5 the time range in µs (0: open),
// $6/$7 the cursor (time in µs, id; $6 = 0: first page), $8 the limit. Newest first.
const db::Statement kListAudit{
    "audit_list",
    "SELECT id, " + db::EpochMicros("at") +
        " AS at_us, principal, principal_roles, action, resource, changed_fields, details FROM audit_events WHERE "
        "($1::uuid IS NULL OR document_id = $1::uuid) AND ($2::text IS NULL OR principal = $2) AND "
        "($3::smallint = 0 OR action = $3::smallint) AND ($4::bigint = 0 OR at >= " +
        db::FromEpochMicros("$4") + ") AND ($5::bigint = 0 OR at < " + db::FromEpochMicros("$5") +
        ") AND ($6::bigint = 0 OR (at, id) < (" + db::FromEpochMicros("$6") +
        ", $7::bigint)) ORDER BY at DESC, id DESC LIMIT $8"};
// Purge: $1 the cutoff in µs, $2 the batch (audit_purge, migration 009: the only deletion the table allows).
const db::Statement kPurge{"audit_purge", "SELECT audit_purge(" + db::FromEpochMicros("$1") + ", $2::integer)"};

}  // namespace

std::string AuditDetails(std::string_view text) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == kMaxAuditDetails)
      return std::string(text.substr(0, i));
  }
  return std::string(text);
}

std::string AuditCte(const std::string& source, const std::string& principal, int first) {
  auto p = [&](int k) { return "$" + std::to_string(first + k); };
  return std::string("audited AS (INSERT INTO ") + kAuditColumns + " SELECT " + principal + ", " + p(0) + ", " + p(1) +
         "::smallint, 'documents/' || " + source + ".id::text, " + source + ".id, " + p(2) + "::text[], " + p(3) +
         " FROM " + source + ")";
}

void AppendAudit(pqxx::transaction_base& tx, const Actor& actor, v1::AuditAction action, const std::string& resource,
                 const std::string& document_id, const std::vector<std::string>& changed_fields,
                 const std::string& details) {
  tx.exec_prepared(kAppend.name, actor.unit, actor.roles, static_cast<int>(action), resource, document_id,
                   db::TextArrayLiteral(changed_fields), AuditDetails(details));
}

std::vector<db::Statement> AuditStatements() {
  return {kAppend, kListAudit, kPurge};
}

void AuditStore::Append(const Actor& actor, v1::AuditAction action, const std::string& resource,
                        const std::string& document_id, const std::string& details) {
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    AppendAudit(tx, actor, action, resource, document_id, {}, details);
  });
}

AuditPage AuditStore::List(const AuditQuery& q) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto rows =
            tx.exec_prepared(kListAudit.name, db::NullIfEmpty(q.document_id), db::NullIfEmpty(q.principal),
                             static_cast<int>(q.action), q.start_us, q.end_us, q.after ? q.after->first : int64_t{0},
                             q.after ? q.after->second : int64_t{0}, q.limit);
        AuditPage page;
        for (const auto& row : rows) {
          v1::AuditEvent& e = page.events.emplace_back();
          e.set_name("auditEvents/" + row["id"].as<std::string>());
          db::SetTimestamp(e.mutable_time(), row["at_us"].as<int64_t>());
          e.set_principal(row["principal"].as<std::string>());
          e.set_principal_roles(row["principal_roles"].as<std::string>());
          e.set_action(static_cast<v1::AuditAction>(row["action"].as<int>()));
          e.set_resource(row["resource"].as<std::string>());
          for (auto& f : db::ParseTextArray(row["changed_fields"])) e.add_changed_fields(std::move(f));
          e.set_details(row["details"].as<std::string>());
        }
        if (static_cast<int>(rows.size()) == q.limit && !rows.empty())
          page.last = std::make_pair(rows.back()["at_us"].as<int64_t>(), rows.back()["id"].as<int64_t>());
        return page;
      },
      true);
}

int AuditStore::Purge(int64_t before_us, int max_rows) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec_prepared(kPurge.name, before_us, max_rows)[0][0].as<int>();
  });
}

}  // namespace cchc::document
