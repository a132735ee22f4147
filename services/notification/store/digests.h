#pragma once
// Daily digests (bản tin tổng hợp hằng ngày): one delivery row per (subscriber, channel, local day) (a unique index),
// with its items in digest_items. Every function runs inside its caller's transaction: the consumer attaches items
// (AttachToDigest), a claim reads what it will send (DigestItems), a delivered digest passes the rest on
// (MoveUnsentDigestItems, from DeliveryStore::RecordOutcome).
// Locking: items are attached only to a pending digest, read FOR KEY SHARE. A send covers exactly the items read at
// its claim; on delivery, the worker takes the digest FOR UPDATE (waiting for consumers attaching right now, whose
// re-check of state = 1 then fails) and moves every later item to the next day's. A retry re-reads all items; a dead
// letter keeps them. Digests are locked in order of day, after their subscriber (store/README.md).
#include <chrono>
#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"
#include "rules/schedule.h"
#include "rules/send_windows.h"

namespace cchc::notification {

// The statements of the digest functions below, for the pool to prepare on every connection.
std::vector<db::Statement> DigestStatements();

// Attaches `cursors` to the subscriber's pending digest of `day` on `channel` (created once per subscriber, channel
// and local day, due at `digest_minute` of that day or the next open instant of `windows` after it, with `budget`
// attempts), or, when that
// day's is no longer pending, to the next pending day's (a bounded number of days ahead). Returns the day it went to
// (ISO); empty if none.
std::string AttachToDigest(pqxx::work& tx, const std::string& subscriber_id, const std::vector<int64_t>& cursors,
                           v1::Channel channel, std::chrono::year_month_day day, int digest_minute,
                           const SendWindows& windows, int budget);

// The digest's items as a claim sends them: the first 500 in cursor order.
std::vector<v1::Notification> DigestItems(pqxx::transaction_base& tx, const std::string& delivery_id);

// A delivered digest, locked FOR UPDATE by the caller, and the cursors its send covered.
struct SentDigest {
  std::string delivery_id, subscriber_id;
  std::string day;  // ISO
  v1::Channel channel = v1::EMAIL;
  SendWindows windows;  // the subscriber's
  std::vector<int64_t> sent;
};
// Moves the digest's items not in `d.sent` (attached after the claim, or past the 500) to the next day's pending
// digest (created with `budget` attempts). Returns how many moved.
int MoveUnsentDigestItems(pqxx::work& tx, const SentDigest& d, int budget);

}  // namespace cchc::notification
