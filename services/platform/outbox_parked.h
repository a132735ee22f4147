#pragma once
// The outbox's parked events (outbox.h): what an operator lists, sends again or discards. Every method runs
// one short statement on the pool and throws what db::Pool::Run throws; a retry wakes this process's relay
// after its commit (the relay of another replica hears of it within its idle wait).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cchc/platform/v1/outbox_admin.pb.h"
#include "db.h"

namespace cchc::outbox {

class ParkedEvents {
 public:
  explicit ParkedEvents(db::Pool& pool) : pool_(pool) {}

  struct Page {
    std::vector<platform::v1::ParkedEvent> events;
    std::optional<int64_t> last_seq;  // set when more may follow
  };
  // Parked events after outbox seq `after_seq`, oldest first, at most `limit`.
  Page List(int64_t after_seq, int limit);
  // Makes the parked event `event_id` pending again; nullopt when no event with that id is parked.
  std::optional<platform::v1::ParkedEvent> Retry(const std::string& event_id);
  // Discards the parked event `event_id` for good; nullopt when no event with that id is parked.
  std::optional<platform::v1::ParkedEvent> Discard(const std::string& event_id);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::outbox
