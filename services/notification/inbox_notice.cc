#include "inbox_notice.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "platform/log.h"
#include "platform/thread_name.h"

namespace cchc::notification {

std::string EncodeInboxNotice(const std::string& replica, const std::set<std::string>& subscribers) {
  nlohmann::json j{{"replica", replica}, {"subscribers", subscribers}};
  std::string payload = j.dump();
  if (payload.size() <= kMaxNoticeBytes) return payload;
  return nlohmann::json{{"replica", replica}, {"all", true}}.dump();
}

std::optional<InboxNotice> DecodeInboxNotice(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("replica") || !j["replica"].is_string()) return std::nullopt;
  InboxNotice n;
  n.replica = j["replica"].get<std::string>();
  if (j.value("all", false) == true) {
    n.all = true;
    return n;
  }
  if (!j.contains("subscribers") || !j["subscribers"].is_array()) return std::nullopt;
  for (const auto& s : j["subscribers"]) {
    if (!s.is_string()) return std::nullopt;
    n.subscribers.push_back(s.get<std::string>());
  }
  return n;
}

InboxListener::InboxListener(db::Pool& pool, WatchHub& hub, std::string replica)
    : pool_(pool), hub_(hub), replica_(std::move(replica)) {}

void InboxListener::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    NameThisThread("inbox-listener");
    Loop();
  });
}

void InboxListener::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

namespace {
class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& c, std::function<void(const std::string&)> on_payload)
      : pqxx::notification_receiver(c, kInboxChannel), on_payload_(std::move(on_payload)) {}
  void operator()(const std::string& payload, int) override { on_payload_(payload); }

 private:
  std::function<void(const std::string&)> on_payload_;
};
}  // namespace

void InboxListener::Loop() {
  using namespace std::chrono;
  auto backoff = milliseconds(100);
  bool first = true;
  while (!stop_) {
    try {
      auto conn = pool_.OpenDedicated();
      Receiver receiver(*conn, [this](const std::string& payload) {
        auto notice = DecodeInboxNotice(payload);
        if (!notice) {
          log::Warn("inbox listener: ignoring a payload that is not a notice", {{"payload", payload.substr(0, 200)}});
          return;
        }
        if (notice->replica == replica_) return;  // this replica bumped its streams after its own commit
        if (notice->all) return hub_.BumpAll();
        for (const auto& s : notice->subscribers) hub_.Bump(s);
      });
      conn->get_notifs();  // issues the LISTEN
      // What was written while this replica was not listening (a reconnect) is found by looking again.
      if (!first) hub_.BumpAll();
      first = false;
      backoff = milliseconds(100);
      while (!stop_) conn->await_notification(0, 200000);
    } catch (const std::exception& e) {
      if (stop_) break;
      log::Warn("inbox listener: reconnecting", {{"error", e.what()}, {"backoff_ms", std::to_string(backoff.count())}});
      for (auto waited = milliseconds(0); waited < backoff && !stop_; waited += milliseconds(50))
        std::this_thread::sleep_for(milliseconds(50));
      backoff = std::min(backoff * 2, milliseconds(5000));
    }
  }
}

}  // namespace cchc::notification
