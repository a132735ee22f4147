#include "registers.h"

#include "platform/cloudevents.h"
#include "platform/domain_error.h"

namespace cchc::document {
namespace {

std::string RegisterColumns() {
  return "r.id::text AS id, r.display_name, r.issuer_code, r.issuer_key, r.year, r.type_abbreviations, "
         "r.official_letters, r.legal_normative_type, r.last_number, r.seq, " +
         db::EpochMicros("r.created_at") + " AS created_us";
}

std::string ReservationColumns() {
  return "v.register_id::text AS register_id, v.number, v.state, COALESCE(v.document_id::text, '') AS document_id, "
         "v.reserved_by, v.expired, " +
         db::EpochMicros("v.reserved_at") + " AS reserved_us, COALESCE(" + db::EpochMicros("v.used_at") +
         ", 0) AS used_us, COALESCE(" + db::EpochMicros("v.cancelled_at") + ", 0) AS cancelled_us";
}

// Create: $1 id, then the register; returns it.
const db::Statement kInsert{
    "reg_insert",
    "INSERT INTO registers AS r (id, display_name, issuer_code, issuer_key, year, type_abbreviations, "
    "official_letters, legal_normative_type, created_by) VALUES ($1::uuid, $2, $3, $4, $5, $6::text[], $7, $8, $9) "
    "RETURNING " +
        RegisterColumns()};
// Create: the kinds it numbers; one already numbered for the issuer and year is left out (and the create refused).
const db::Statement kInsertKinds{"reg_insert_kinds",
                                 "INSERT INTO register_kinds (register_id, issuer_key, year, kind) SELECT $1::uuid, "
                                 "$2, $3, unnest($4::text[]) ON CONFLICT DO NOTHING"};
// Create, refused: which register numbers one of the kinds $3 for issuer $1 in year $2 already.
const db::Statement kKindOwner{"reg_kind_owner",
                               "SELECT kind, register_id::text AS register_id FROM register_kinds WHERE issuer_key = "
                               "$1 AND year = $2 AND kind = ANY($3::text[]) AND register_id <> $4::uuid ORDER BY kind "
                               "LIMIT 1"};
const db::Statement kGet{"reg_get", "SELECT " + RegisterColumns() + " FROM registers r WHERE r.id = $1::uuid"};
// List: $1 issuer key ('' any), $2 year (0 any), after seq $3, $4 at most.
const db::Statement kList{"reg_list", "SELECT " + RegisterColumns() +
                                          " FROM registers r WHERE ($1 = '' OR r.issuer_key = $1) AND ($2 = 0 OR "
                                          "r.year = $2) AND r.seq > $3 ORDER BY r.seq LIMIT $4"};
// Reserve: the counter bumped (the row stays locked until this statement's transaction commits) and the reservation
// inserted, in one statement: both or neither. $1 register, $2 principal, $3 now.
const db::Statement kReserve{
    "reg_reserve",
    "WITH bumped AS (UPDATE registers SET last_number = last_number + 1 WHERE id = $1::uuid RETURNING id, "
    "last_number) INSERT INTO register_reservations AS v (register_id, number, state, reserved_by, reserved_at) "
    "SELECT id, last_number, 1, $2, " +
        db::FromEpochMicros("$3") + " FROM bumped RETURNING " + ReservationColumns()};
// Cancel and Use: the reservation, locked.
const db::Statement kReservationForUpdate{"reg_reservation_for_update",
                                          "SELECT " + ReservationColumns() +
                                              " FROM register_reservations v WHERE v.register_id = $1::uuid AND "
                                              "v.number = $2 FOR UPDATE"};
// Cancel: $3 now.
const db::Statement kCancel{
    "reg_cancel", "UPDATE register_reservations v SET state = 3, cancelled_at = " + db::FromEpochMicros("$3") +
                      " WHERE v.register_id = $1::uuid AND v.number = $2 AND v.state = 1 "
                      "RETURNING " +
                      ReservationColumns()};
// Use: $3 the document, $4 now.
const db::Statement kUse{"reg_use", "UPDATE register_reservations SET state = 2, document_id = $3::uuid, used_at = " +
                                        db::FromEpochMicros("$4") +
                                        " WHERE register_id = $1::uuid AND number = $2 AND state = 1"};
// CheckTypedNumber: the allocation of number $4 in the register numbering kind $3 of issuer $1 in year $2.
const db::Statement kAllocated{"reg_allocated",
                               "SELECT k.register_id::text AS register_id, v.state FROM register_kinds k JOIN "
                               "register_reservations v ON v.register_id = k.register_id AND v.number = $4 WHERE "
                               "k.issuer_key = $1 AND k.year = $2 AND k.kind = $3"};
// ExpireBefore: $1 the cut-off, $2 now. Only rows still RESERVED: a second run (another replica) finds none.
const db::Statement kExpire{
    "reg_expire", "UPDATE register_reservations SET state = 3, expired = true, cancelled_at = " +
                      db::FromEpochMicros("$2") + " WHERE state = 1 AND reserved_at < " + db::FromEpochMicros("$1")};

v1::Register RegisterOf(const pqxx::row& row) {
  v1::Register r;
  r.set_name("registers/" + row["id"].as<std::string>());
  r.set_display_name(row["display_name"].as<std::string>());
  r.set_issuer_code(row["issuer_code"].as<std::string>());
  r.set_year(row["year"].as<int>());
  for (auto& t : db::ParseTextArray(row["type_abbreviations"])) r.add_type_abbreviations(std::move(t));
  r.set_official_letters(row["official_letters"].as<bool>());
  r.set_legal_normative_type(row["legal_normative_type"].as<std::string>());
  r.set_last_number(row["last_number"].as<int64_t>());
  db::SetTimestamp(r.mutable_create_time(), row["created_us"].as<int64_t>());
  return r;
}

v1::Reservation ReservationOf(const pqxx::row& row) {
  v1::Reservation v;
  const int64_t number = row["number"].as<int64_t>();
  v.set_name(ReservationName(row["register_id"].as<std::string>(), number));
  v.set_number(FormatNumber(number));
  v.set_state(static_cast<v1::ReservationState>(row["state"].as<int>()));
  if (auto doc = row["document_id"].as<std::string>(); !doc.empty()) v.set_document("documents/" + doc);
  v.set_reserved_by(row["reserved_by"].as<std::string>());
  v.set_expired(row["expired"].as<bool>());
  db::SetTimestamp(v.mutable_reserve_time(), row["reserved_us"].as<int64_t>());
  if (int64_t used = row["used_us"].as<int64_t>()) db::SetTimestamp(v.mutable_use_time(), used);
  if (int64_t cancelled = row["cancelled_us"].as<int64_t>()) db::SetTimestamp(v.mutable_cancel_time(), cancelled);
  return v;
}

v1::Register RequireRegister(pqxx::transaction_base& tx, const std::string& id) {
  auto r = tx.exec_prepared(kGet.name, id);
  if (r.empty()) ThrowNotFound("register: registers/" + id + " does not exist");
  return RegisterOf(r[0]);
}

std::vector<std::string> KindsOf(const v1::Register& r) {
  std::vector<std::string> kinds;
  if (!r.legal_normative_type().empty()) kinds.push_back(LegalNormativeKind(r.legal_normative_type()));
  for (const auto& t : r.type_abbreviations()) kinds.push_back(AdministrativeKind(t));
  if (r.official_letters()) kinds.emplace_back(kOfficialLetterKind);
  return kinds;
}

}  // namespace

std::vector<db::Statement> RegisterStatements() {
  return {kInsert, kInsertKinds, kKindOwner, kGet,   kList, kReserve, kReservationForUpdate,
          kCancel, kUse,         kAllocated, kExpire};
}

v1::Register RegisterStore::Create(const v1::Register& reg, const std::vector<std::string>& kinds,
                                   const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const std::string id = events::NewUuid();
    const std::string issuer_key = IssuerKey(reg.issuer_code());
    auto row = tx.exec_prepared(kInsert.name, id, reg.display_name(), reg.issuer_code(), issuer_key, reg.year(),
                                db::TextArrayLiteral(reg.type_abbreviations()), reg.official_letters(),
                                reg.legal_normative_type(), principal);
    const std::string kinds_literal = db::TextArrayLiteral(kinds);
    auto inserted = tx.exec_prepared(kInsertKinds.name, id, issuer_key, reg.year(), kinds_literal);
    if (inserted.affected_rows() != kinds.size()) {
      auto owner = tx.exec_prepared(kKindOwner.name, issuer_key, reg.year(), kinds_literal, id);
      std::string kind = owner.empty() ? kinds.front() : owner[0]["kind"].as<std::string>();
      std::string other = owner.empty() ? "another register" : "registers/" + owner[0]["register_id"].as<std::string>();
      const std::string what = kind == kOfficialLetterKind ? "công văn" : kind.substr(2);
      throw DomainError(DomainErrorKind::kAlreadyExists,
                        "register.type_abbreviations: " + what + " of " + reg.issuer_code() + " in " +
                            std::to_string(reg.year()) + " is numbered by " + other + " already",
                        platform::v1::RESOURCE_EXISTS);
    }
    v1::Register stored = RegisterOf(row[0]);
    tx.commit();
    return stored;
  });
}

std::optional<v1::Register> RegisterStore::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Register> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGet.name, id);
        if (r.empty()) return std::nullopt;
        return RegisterOf(r[0]);
      },
      true);
}

RegisterPage RegisterStore::List(const std::string& issuer_key, int year, int limit, int64_t after) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        RegisterPage page;
        auto rows = tx.exec_prepared(kList.name, issuer_key, year, after, limit);
        for (const auto& row : rows) page.registers.push_back(RegisterOf(row));
        if (static_cast<int>(rows.size()) == limit) page.last = rows[rows.size() - 1]["seq"].as<int64_t>();
        return page;
      },
      true);
}

v1::Reservation RegisterStore::Reserve(const std::string& register_id, const std::string& principal, int64_t now_us,
                                       const std::function<void(const v1::Register&)>& check) {
  // Two round trips: the register read (for the caller's check), then one autocommit statement that bumps the
  // counter and inserts the reservation. Concurrent reservations queue on the register's row lock for the length
  // of that one statement.
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    check(RequireRegister(tx, register_id));
    auto r = tx.exec_prepared(kReserve.name, register_id, principal, now_us);
    if (r.empty()) ThrowNotFound("register: registers/" + register_id + " does not exist");
    return ReservationOf(r[0]);
  });
}

v1::Reservation RegisterStore::Cancel(const std::string& register_id, int64_t number, int64_t now_us,
                                      const std::function<void(const v1::Register&)>& check) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto found = tx.exec_prepared(kReservationForUpdate.name, register_id, number);
    if (found.empty()) ThrowNotFound("name: " + ReservationName(register_id, number) + " does not exist");
    check(RequireRegister(tx, register_id));
    v1::Reservation before = ReservationOf(found[0]);
    if (before.state() == v1::CANCELLED) return before;
    if (before.state() == v1::USED)
      throw DomainError(DomainErrorKind::kFailedPrecondition,
                        "name: " + before.name() + " is used by " + before.document() + "; it cannot be cancelled",
                        platform::v1::WRONG_STATE);
    auto r = tx.exec_prepared(kCancel.name, register_id, number, now_us);
    v1::Reservation cancelled = ReservationOf(r[0]);
    tx.commit();
    return cancelled;
  });
}

void RegisterStore::Use(pqxx::transaction_base& tx, const std::string& register_id, int64_t number,
                        const std::string& document_id, const DocumentCode& code, const std::string& issue_date,
                        int64_t now_us, int64_t expired_before_us,
                        const std::function<void(const v1::Register&)>& check) {
  const std::string name = ReservationName(register_id, number);
  auto found = tx.exec_prepared(kReservationForUpdate.name, register_id, number);
  if (found.empty()) ThrowNotFound("reservation: " + name + " does not exist");
  v1::Register reg = RequireRegister(tx, register_id);
  check(reg);
  v1::Reservation v = ReservationOf(found[0]);
  if (v.state() == v1::USED)
    throw DomainError(DomainErrorKind::kFailedPrecondition,
                      "reservation: " + name + " is used by " + v.document() + " already", platform::v1::WRONG_STATE);
  if (v.state() == v1::CANCELLED || found[0]["reserved_us"].as<int64_t>() < expired_before_us)
    throw DomainError(DomainErrorKind::kFailedPrecondition,
                      "reservation: " + name +
                          (v.state() == v1::CANCELLED && !v.expired() ? " was cancelled" : " expired unused") +
                          "; its number is never handed out again: reserve a new one",
                      platform::v1::WRONG_STATE);
  RegisterScope scope{reg.name(), IssuerKey(reg.issuer_code()), reg.year(), KindsOf(reg)};
  if (auto e = MatchReservation(scope, number, code, issue_date))
    throw DomainError(DomainErrorKind::kInvalid, e->field + ": " + e->description, e->reason);
  tx.exec_prepared(kUse.name, register_id, number, document_id, now_us);
}

void RegisterStore::CheckTypedNumber(const DocumentCode& code, int year) {
  pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kAllocated.name, IssuerKey(code.issuer_code), year, KindOf(code), code.number_value);
        if (r.empty()) return;
        const std::string name = ReservationName(r[0]["register_id"].as<std::string>(), code.number_value);
        const int state = r[0]["state"].as<int>();
        const char* how = state == v1::RESERVED ? "reserved" : state == v1::USED ? "used" : "cancelled";
        throw DomainError(DomainErrorKind::kAlreadyExists,
                          "document.code: number " + FormatNumber(code.number_value) + " is allocated (" + how +
                              ") in the outgoing register: " + name + "; name the reservation, or reserve a number",
                          platform::v1::DUPLICATE_CODE);
      },
      true);
}

int RegisterStore::ExpireBefore(int64_t cutoff_us, int64_t now_us) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return static_cast<int>(tx.exec_prepared(kExpire.name, cutoff_us, now_us).affected_rows());
  });
}

}  // namespace cchc::document
