#include "published_index_feed.h"

#include <unordered_set>
#include <utility>

#include "platform/log.h"
#include "platform/thread_name.h"

namespace cchc::document {
namespace {

constexpr int kLoadBatch = 5000;
constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";  // a truncate (migration 015)
constexpr auto kPruneEvery = std::chrono::minutes(1);
constexpr auto kReloadAfter = std::chrono::minutes(30);  // the log keeps an hour

const std::string kIndexColumns =
    "SELECT id::text AS id, issue_date::text AS issue_date, (issue_date - DATE '1970-01-01') AS day, seq, type_key, "
    "issuer_key, signer_key, field_keys, code_form, tsvector_to_array(search_vector) AS lexemes FROM document_search";
// Load: a batch of published rows after ($1, $2), oldest first (the index's sorted order).
const std::string kLoadSql = kIndexColumns +
                             " WHERE status = 2 AND ($1::date IS NULL OR (issue_date, seq) > ($1::date, $2::bigint))"
                             " ORDER BY issue_date, seq LIMIT " +
                             std::to_string(kLoadBatch);
// Load: the floor to start from. A transaction running at the load may hold a change numbered below the log's
// highest; none runs five minutes (the pool's watchdog cuts work long before).
const std::string kLoadFloorSql =
    "SELECT COALESCE(max(change), 0) FROM document_search_log WHERE logged_at < now() - interval '5 minutes'";
// Poll: the snapshot's bounds and the log past the floor, in one statement (one snapshot); prepared (every search).
const db::Statement kPoll{
    "search_index_poll",
    "SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax, l.change, l.id::text AS id "
    "FROM pg_current_snapshot() s LEFT JOIN LATERAL (SELECT change, id FROM document_search_log WHERE change > "
    "$1::bigint ORDER BY change LIMIT $2::int) l ON true ORDER BY l.change"};
// Poll: the current rows of the changed ids (published ones; the others leave the index).
const std::string kFetchSql = kIndexColumns + " WHERE id = ANY($1::uuid[]) AND status = 2";
const std::string kPruneSql = "DELETE FROM document_search_log WHERE logged_at < now() - interval '1 hour'";

IndexedDocument IndexedOf(const pqxx::row& r) {
  IndexedDocument d;
  d.id = r["id"].as<std::string>();
  d.issue_day = r["day"].as<int32_t>();
  d.seq = r["seq"].as<int64_t>();
  d.type_key = r["type_key"].as<std::string>();
  d.issuer_key = r["issuer_key"].as<std::string>();
  d.signer_key = r["signer_key"].as<std::string>();
  d.field_keys = db::ParseTextArray(r["field_keys"]);
  d.code_form = r["code_form"].as<int>();
  d.lexemes = db::ParseTextArray(r["lexemes"]);
  return d;
}

}  // namespace

const db::Statement& PublishedIndexFeed::PollStatement() {
  return kPoll;
}

PublishedIndexFeed::PublishedIndexFeed(db::Pool& pool, metrics::Registry* registry, int poll_rows)
    : pool_(pool), poll_rows_(poll_rows) {
  if (!registry) return;
  documents_ = &registry
                    ->AddGauge("cchc_document_search_index_documents",
                               "Published documents in this replica's search index (memory)")
                    .WithLabels({});
  postings_ = &registry
                   ->AddGauge("cchc_document_search_index_postings",
                              "Entries of the search index's posting lists (4 bytes each), dead ones included")
                   .WithLabels({});
}

PublishedIndexFeed::~PublishedIndexFeed() {
  Stop();
}

bool PublishedIndexFeed::Ready() const {
  std::lock_guard lock(poll_mutex_);
  return ready_;
}

void PublishedIndexFeed::Load() {
  std::lock_guard write(write_mutex_);
  LoadLocked();
}

void PublishedIndexFeed::LoadLocked() {
  {
    std::lock_guard lock(poll_mutex_);
    ready_ = false;
  }
  index_.Clear();
  floor_ = pool_.Run([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec(kLoadFloorSql)[0][0].as<int64_t>();
  });
  pending_.clear();
  applied_.clear();
  // What the log holds now is in the rows about to be read: applied (a truncate's mark among them, which would
  // otherwise load everything again at the next poll). A change not yet visible is fetched by a later poll.
  for (int64_t after = floor_;;) {
    size_t n = 0;
    pool_.Run(
        [&](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          n = 0;
          for (const auto& r : tx.exec_prepared(kPoll.name, after, poll_rows_)) {
            if (r["change"].is_null()) continue;
            applied_.insert(r["change"].as<int64_t>());
            ++n;
          }
        },
        true);
    if (n < static_cast<size_t>(poll_rows_)) break;
    after = *applied_.rbegin();
  }
  std::string after_date;
  int64_t after_seq = 0;
  for (;;) {
    if (stopping_) return;  // a shutdown does not wait for the rest of a long load; the index stays not ready
    const size_t n = pool_.Run(
        [&](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          auto rows = tx.exec_params(kLoadSql, db::NullIfEmpty(after_date), after_seq);
          for (const auto& r : rows) index_.Put(IndexedOf(r));
          if (!rows.empty()) {
            after_date = rows.back()["issue_date"].as<std::string>();
            after_seq = rows.back()["seq"].as<int64_t>();
          }
          return rows.size();
        },
        true);
    if (n < static_cast<size_t>(kLoadBatch)) break;
  }
  index_.Compact(true);  // documents published during the load landed after the sorted part
  polled_at_ = std::chrono::steady_clock::now();
  ReportSize();
  std::lock_guard lock(poll_mutex_);
  ready_ = true;
  ++loads_;
}

void PublishedIndexFeed::ReportSize() {
  if (documents_) documents_->Set(static_cast<double>(index_.Documents()));
  if (postings_) postings_->Set(static_cast<double>(index_.Postings()));
}

int PublishedIndexFeed::Loads() const {
  std::lock_guard lock(poll_mutex_);
  return loads_;
}

void PublishedIndexFeed::Poll() {
  struct Change {
    int64_t number;
    std::string id;
  };
  // Page by page (a floor held back by a long transaction anywhere in the cluster leaves many rows above it): the
  // first page's xmin (the earliest) moves the floor, the last page's xmax (the latest) goes with the highest read.
  uint64_t xmin = 0, xmax = 0;
  int64_t highest = floor_;
  for (bool first = true;; first = false) {
    std::vector<Change> page;
    pool_.Run(
        [&](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          page.clear();
          for (const auto& r : tx.exec_prepared(kPoll.name, highest, poll_rows_)) {
            if (first) xmin = std::stoull(r["xmin"].as<std::string>());
            xmax = std::stoull(r["xmax"].as<std::string>());
            if (!r["change"].is_null()) page.push_back({r["change"].as<int64_t>(), r["id"].as<std::string>()});
          }
        },
        true);
    std::vector<std::string> ids;
    std::unordered_set<std::string> wanted;
    for (const auto& ch : page) {
      highest = std::max(highest, ch.number);
      if (applied_.count(ch.number)) continue;
      if (ch.id == kNilUuid) {  // a truncate: everything again
        LoadLocked();
        return;
      }
      if (wanted.insert(ch.id).second) ids.push_back(ch.id);
    }
    if (!ids.empty()) {
      std::vector<IndexedDocument> current;
      pool_.Run(
          [&](pqxx::connection& c) {
            pqxx::nontransaction tx(c);
            current.clear();
            for (const auto& r : tx.exec_params(kFetchSql, db::TextArrayLiteral(ids))) current.push_back(IndexedOf(r));
          },
          true);
      for (const auto& d : current) wanted.erase(d.id);
      for (const auto& d : current) index_.Put(d);
      for (const auto& id : wanted) index_.Remove(id);
    }
    for (const auto& ch : page) applied_.insert(ch.number);
    if (page.size() < static_cast<size_t>(poll_rows_)) break;
  }
  // The floor passes a poll's highest once every transaction running at its snapshot has ended.
  while (!pending_.empty() && pending_.front().xmax <= xmin) {
    floor_ = std::max(floor_, pending_.front().highest);
    pending_.pop_front();
  }
  pending_.push_back({highest, xmax});
  applied_.erase(applied_.begin(), applied_.upper_bound(floor_));
  polled_at_ = std::chrono::steady_clock::now();
  ReportSize();
}

void PublishedIndexFeed::CatchUp() {
  std::unique_lock lock(poll_mutex_);
  const uint64_t arrival = polls_started_;
  while (polls_done_ <= arrival) {
    if (polling_) {
      polled_.wait(lock);
      continue;
    }
    polling_ = true;
    const uint64_t mine = ++polls_started_;
    lock.unlock();
    // Whatever the poll's outcome, the next caller may poll (a failed one: one of those waiting).
    struct Done {
      PublishedIndexFeed& feed;
      std::unique_lock<std::mutex>& lock;
      ~Done() {
        if (!lock.owns_lock()) lock.lock();
        feed.polling_ = false;
        feed.polled_.notify_all();
      }
    } done{*this, lock};
    {
      std::lock_guard write(write_mutex_);
      Poll();
    }
    lock.lock();
    polls_done_ = mine;
  }
}

std::optional<std::vector<std::string>> PublishedIndexFeed::Newest(const IndexQuery& q, size_t max) {
  if (!Ready()) return std::nullopt;
  CatchUp();
  return index_.Newest(q, max);
}

void PublishedIndexFeed::Start(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] {
    NameThisThread("search-index");
    Loop(interval);
  });
}

void PublishedIndexFeed::Stop() {
  stopping_ = true;
  {
    std::lock_guard lock(stop_mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PublishedIndexFeed::Loop(std::chrono::milliseconds interval) {
  auto pruned_at = std::chrono::steady_clock::now() - kPruneEvery;
  for (;;) {
    try {
      if (!Ready()) {
        const auto started = std::chrono::steady_clock::now();
        Load();
        log::Info("document search index loaded",
                  {{"documents", std::to_string(index_.Documents())},
                   {"postings", std::to_string(index_.Postings())},
                   {"ms", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::steady_clock::now() - started)
                                             .count())}});
      } else {
        bool stale;
        {
          std::lock_guard write(write_mutex_);
          stale = std::chrono::steady_clock::now() - polled_at_ > kReloadAfter;
        }
        if (stale) {
          log::Warn("document search index not polled for 30 minutes: loading it again");
          Load();
        }
        CatchUp();
        std::lock_guard write(write_mutex_);
        index_.Compact();
      }
      if (std::chrono::steady_clock::now() - pruned_at >= kPruneEvery) {
        pool_.Run([](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          tx.exec(kPruneSql);
        });
        pruned_at = std::chrono::steady_clock::now();
      }
    } catch (const std::exception& e) {
      log::Warn("document search index pass failed", {{"error", e.what()}});
    }
    std::unique_lock lock(stop_mutex_);
    if (stop_cv_.wait_for(lock, interval, [this] { return stop_; })) return;
  }
}

}  // namespace cchc::document
