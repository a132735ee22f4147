#include "ingest.h"

#include <cstdio>
#include <map>
#include <set>

#include "event_view.h"
#include "platform/dates.h"
#include "rules/schedule.h"

namespace cchc::notification {
namespace {

int64_t Micros(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::optional<int64_t> ParseRfc3339Micros(const std::string& s) {
  int y, mo, d, h, mi, sec, n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
    return std::nullopt;
  auto ymd =
      std::chrono::year(y) / std::chrono::month(static_cast<unsigned>(mo)) / std::chrono::day(static_cast<unsigned>(d));
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int64_t micros = 0;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    int64_t scale = 100000;
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, scale /= 10)
      if (scale > 0) micros += (s[i] - '0') * scale;
  }
  int offset_minutes = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int oh = std::atoi(s.substr(i + 1, 2).c_str()), om = std::atoi(s.substr(i + 4, 2).c_str());
    offset_minutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  auto days = std::chrono::sys_days(ymd).time_since_epoch().count();
  int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return seconds * 1000000 + micros;
}

Ingest::Ingest(Repository& repository, WatchHub& hub, IngestOptions options, metrics::Registry& registry)
    : repository_(repository),
      hub_(hub),
      options_(std::move(options)),
      created_(registry.AddCounter("cchc_notifications_created_total", "Inbox notifications created, by event type",
                                   {"type"})) {}

consumer::Outcome Ingest::Handle(pqxx::work& tx, const events::CloudEvent& event) {
  hub_.FlushHints();  // the previous event's transaction has ended
  auto view = ViewOf(event, options_.portal_base_url);
  if (!view) return consumer::Outcome::kSkipped;
  if (options_.async_commit) tx.exec_prepared("async_commit");
  // One notification per subscriber however many of its subscriptions match; the channels add up (for a
  // channel in two subscriptions, immediate wins over a digest).
  std::map<std::string, std::pair<SubscriberSpec, std::map<int, ChannelSpec>>> matched;
  auto now = Clock::now();
  int64_t event_time = ParseRfc3339Micros(event.time).value_or(Micros(now));
  for (auto& c : repository_.CandidatesFor(tx, event.type, event_time)) {
    if (!Matches(c.filter, view->attributes)) continue;
    auto& [subscriber, channels] = matched[c.subscriber.id];
    subscriber = c.subscriber;
    for (const auto& ch : c.channels) {
      auto it = channels.find(ch.channel);
      if (it == channels.end() || ch.mode == v1::IMMEDIATE) channels[ch.channel] = ch;
    }
  }
  if (matched.empty()) return consumer::Outcome::kProcessed;
  for (const auto& [id, entry] : matched) {
    const auto& [subscriber, channels] = entry;
    NewNotification n{id,          event.source, event.id,        event.type, event.subject,
                      view->title, view->link,   view->data_json, event_time};
    auto cursor = repository_.InsertNotification(tx, n);
    if (!cursor) continue;
    QuietWindow quiet = subscriber.quiet.value_or(QuietWindow{});
    for (const auto& [channel, ch] : channels) {
      if (ch.channel == v1::INBOX) continue;
      if (ch.mode == v1::DAILY_DIGEST) {
        DigestSlot slot = DigestFor(now, ch.digest_minute);
        repository_.AddToDigest(tx, id, *cursor, ch.channel, dates::ToIso(slot.day),
                                Micros(AfterQuietHours(slot.due, quiet)), options_.attempt_budget);
      } else {
        repository_.InsertDelivery(tx, id, *cursor, ch.channel, Micros(AfterQuietHours(now, quiet)),
                                   options_.attempt_budget);
      }
    }
    hub_.Hint(id);
    created_.WithLabels({event.type}).Increment();
  }
  return consumer::Outcome::kProcessed;
}

}  // namespace cchc::notification
