#include "lifecycle.h"

#include <chrono>

#include "events.h"
#include "platform/dates.h"
#include "platform/outbox.h"
#include "rules/code.h"
#include "rules/lifecycle.h"
#include "store/document_rows.h"

namespace cchc::document {
namespace {

// Start: $1 today.
const db::Statement kRecordStart{
    "lc_record_start", "INSERT INTO lifecycle_state (first_start_day) VALUES ($1::date) ON CONFLICT DO NOTHING"};
const db::Statement kState{"lc_state",
                           "SELECT first_start_day::text AS first_start_day, COALESCE(caught_up_through::text, '') AS "
                           "caught_up_through FROM lifecycle_state"};
// Documents written before the feature that replace others but have no folded codes yet.
const db::Statement kUnkeyed{"lc_unkeyed",
                             "SELECT id::text AS id, replaces_codes FROM documents WHERE replaces_codes <> '{}' AND "
                             "replaces_keys = '{}' ORDER BY id"};
const db::Statement kSetKeys{"lc_set_keys", "UPDATE documents SET replaces_keys = $2::text[] WHERE id = $1::uuid"};
// AnnounceDue: the published documents with a day in the window [$1, $2] not announced yet (taking effect on a day
// in it, or expiring the day before one), after the keyset cursor $3, $4 at a time. The rules decide what is due.
const db::Statement kCandidates{
    "lc_candidates",
    "SELECT d.id::text AS id, COALESCE(d.effective_date::text, '') AS effective_date, "
    "COALESCE(d.expiry_date::text, '') AS expiry_date, " +
        db::EpochMicros("d.published_at") +
        " AS published_us FROM documents d WHERE d.status = 2 AND d.published_at IS NOT NULL AND d.id > $3::uuid AND ("
        "(d.effective_date BETWEEN $1::date AND $2::date AND NOT EXISTS (SELECT 1 FROM lifecycle_events e WHERE "
        "e.document_id = d.id AND e.kind = 1 AND e.announced = d.effective_date::text)) OR "
        "(d.expiry_date BETWEEN $1::date - 1 AND $2::date - 1 AND NOT EXISTS (SELECT 1 FROM lifecycle_events e "
        "WHERE e.document_id = d.id AND e.kind = 2 AND e.announced = (d.expiry_date + 1)::text))) "
        "ORDER BY d.id LIMIT $4"};
// The claim: a row only the first claimant inserts ($1 document, $2 kind, $3 the day announced).
const db::Statement kClaim{"lc_claim",
                           "INSERT INTO lifecycle_events (document_id, kind, announced) VALUES ($1::uuid, $2, $3) "
                           "ON CONFLICT DO NOTHING"};
// The document as the event shows it, if it is still published.
const db::Statement kPublished{"lc_published",
                               "SELECT " + FullColumns() + " FROM documents d WHERE d.id = $1::uuid AND d.status = 2"};
const db::Statement kCaughtUp{"lc_caught_up",
                              "UPDATE lifecycle_state SET caught_up_through = GREATEST(caught_up_through, $1::date)"};

constexpr const char* kNoId = "00000000-0000-0000-0000-000000000000";

struct Candidate {
  std::string id;
  LifecycleDates dates;
};

// Claims and announces `due` for document `id` in one transaction: the events whose claim this transaction made.
int Announce(pqxx::connection& c, const std::string& id, const std::vector<DueTransition>& due) {
  pqxx::work tx(c);
  auto r = tx.exec_prepared(kPublished.name, id);
  if (r.empty()) return 0;  // withdrawn or deleted since it was read: nothing to say
  const v1::Document doc = FullDocumentOf(tx, r[0]);
  int written = 0;
  for (const auto& t : due) {
    if (tx.exec_prepared(kClaim.name, id, static_cast<int>(t.kind), t.day).affected_rows() == 0) continue;
    outbox::Enqueue(tx,
                    t.kind == LifecycleKind::kBecameEffective ? MakeBecameEffectiveEvent(doc) : MakeExpiredEvent(doc));
    ++written;
  }
  tx.commit();
  return written;
}

}  // namespace

std::vector<db::Statement> LifecycleStatements() {
  return {kRecordStart, kState, kUnkeyed, kSetKeys, kCandidates, kClaim, kPublished, kCaughtUp};
}

std::string LifecycleStore::Start(const std::string& today) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(kRecordStart.name, today);
    for (const auto& row : tx.exec_prepared(kUnkeyed.name)) {
      std::vector<std::string> keys;
      for (const auto& code : db::ParseTextArray(row["replaces_codes"]))
        if (std::string key = LookupKey(code); !key.empty()) keys.push_back(std::move(key));
      tx.exec_prepared(kSetKeys.name, row["id"].as<std::string>(), db::TextArrayLiteral(keys));
    }
    std::string first = tx.exec_prepared(kState.name)[0]["first_start_day"].as<std::string>();
    tx.commit();
    return first;
  });
}

int LifecycleStore::AnnounceDue(const std::string& today, int batch) {
  return pool_.Run([&](pqxx::connection& c) {
    std::string first, caught_up;
    {
      pqxx::nontransaction tx(c);
      auto state = tx.exec_prepared(kState.name);
      if (state.empty()) return 0;  // not started
      first = state[0]["first_start_day"].as<std::string>();
      caught_up = state[0]["caught_up_through"].as<std::string>();
    }
    const std::string from = ScanFrom(first, caught_up);
    int written = 0;
    std::string after = kNoId;
    for (;;) {
      std::vector<Candidate> page;
      {
        pqxx::nontransaction tx(c);
        for (const auto& row : tx.exec_prepared(kCandidates.name, from, today, after, batch)) {
          Candidate k{row["id"].as<std::string>(),
                      {row["effective_date"].as<std::string>(), row["expiry_date"].as<std::string>(),
                       dates::ToIso(dates::VietnamDay(std::chrono::system_clock::time_point(
                           std::chrono::microseconds(row["published_us"].as<int64_t>()))))}};
          page.push_back(std::move(k));
        }
      }
      for (const auto& k : page) {
        auto due = DueTransitions(k.dates, today, first);
        if (!due.empty()) written += Announce(c, k.id, due);
      }
      if (static_cast<int>(page.size()) < batch) break;
      after = page.back().id;
    }
    if (caught_up < today) {
      pqxx::nontransaction tx(c);
      tx.exec_prepared(kCaughtUp.name, today);
    }
    return written;
  });
}

}  // namespace cchc::document
