#pragma once
// The consumer's handler (tiếp nhận sự kiện): turns one event from another service into inbox rows for the
// subscribers whose subscriptions match it, and the webhook/e-mail deliveries (immediate, after quiet
// hours, or gathered into the day's digest) — all in the consumer's dedupe transaction.
#include <pqxx/pqxx>
#include <string>

#include "platform/consumer.h"
#include "platform/metrics.h"
#include "repository.h"

namespace cchc::notification {

struct IngestOptions {
  std::string portal_base_url;  // links are base + "/" + resource name
  int attempt_budget = 8;       // attempts per delivery before the dead letter
};

class Ingest {
 public:
  Ingest(Repository& repository, IngestOptions options, metrics::Registry& registry);

  // kSkipped for event types the service does not understand; throws on a payload that does not parse.
  consumer::Outcome Handle(pqxx::work& tx, const events::CloudEvent& event);

 private:
  Repository& repository_;
  IngestOptions options_;
  metrics::Family<metrics::Counter>& created_;
};

// "2026-11-26T16:55:05.123Z" or with an offset → microseconds since the epoch; nullopt if not RFC 3339.
std::optional<int64_t> ParseRfc3339Micros(const std::string& s);

}  // namespace cchc::notification
