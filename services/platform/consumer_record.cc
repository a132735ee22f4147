// The consumer's dedupe record (processed_events): the statement of the transaction path, and the CTE and
// parameters the one-statement path (EventHandler::HandleAtOnce) writes it with.
#include <stdexcept>

#include "consumer.h"

namespace cchc::consumer {
namespace {

std::string Param(int n) {
  return "$" + std::to_string(n);
}

}  // namespace

std::vector<db::Statement> Statements() {
  return {{"consumer_record", "WITH " + RecordedCte(1, "true") + " SELECT source, event_id FROM recorded"}};
}

std::string RecordedCte(int first, const std::string& condition) {
  // In (source, id) order, whatever the batch's: two replicas with overlapping batches (after a rebalance,
  // with an event the relay sent twice) then take the ids' index entries in the same order, so neither can
  // hold one the other waits for while it waits for one the other holds.
  return "recorded AS (INSERT INTO processed_events (source, event_id, event_type, outcome) SELECT s, i, t, o FROM "
         "unnest(" +
         Param(first) + "::text[], " + Param(first + 1) + "::text[], " + Param(first + 2) + "::text[], " +
         Param(first + 3) + "::text[]) AS e(s, i, t, o) WHERE " + condition +
         " ORDER BY s, i ON CONFLICT DO NOTHING RETURNING source, event_id)";
}

DedupeRecord RecordedParameters(const std::vector<const events::CloudEvent*>& events,
                                const std::vector<Outcome>& outcomes) {
  if (events.size() != outcomes.size()) throw std::invalid_argument("RecordedParameters: one outcome per event");
  std::vector<std::string> sources, ids, types, names;
  for (size_t i = 0; i < events.size(); ++i) {
    sources.push_back(events[i]->source);
    ids.push_back(events[i]->id);
    types.push_back(events[i]->type);
    names.emplace_back(outcomes[i] == Outcome::kSkipped ? "skipped" : "processed");
  }
  return {db::TextArrayLiteral(sources), db::TextArrayLiteral(ids), db::TextArrayLiteral(types),
          db::TextArrayLiteral(names)};
}

std::set<EventKey> Record(pqxx::transaction_base& tx, const std::vector<const events::CloudEvent*>& events,
                          const std::vector<Outcome>& outcomes) {
  const DedupeRecord r = RecordedParameters(events, outcomes);
  std::set<EventKey> recorded;
  for (const auto& row : tx.exec_prepared("consumer_record", r.sources, r.ids, r.types, r.outcomes))
    recorded.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return recorded;
}

}  // namespace cchc::consumer
