// Lifecycle announcements (hiệu lực) against a real PostgreSQL cluster: DocumentBecameEffective and DocumentExpired
// written to the outbox exactly once — across a restart with downtime in between, and with two replicas' schedulers
// running at once — never for days before the feature's first start or the document's publication; a replacement
// chain of three (A replaced by B replaced by C): reads, filters and one DocumentReplaced each. "Now" is an
// injected clock, moved across days instead of waiting for midnight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cchc/document/v1/events.pb.h"
#include "lifecycle_scheduler.h"
#include "migrations/migrations.h"
#include "platform/dates.h"
#include "platform/metrics.h"
#include "platform/outbox.h"
#include "rules/code.h"
#include "rules/lifecycle.h"
#include "store/attachments.h"
#include "store/documents.h"
#include "store/lifecycle.h"
#include "store/search.h"
#include "support/store_suite.h"

namespace cchc::document {
namespace {

using namespace std::chrono;

const std::string kIssuer = "S\u1EDF Gi\u00E1o d\u1EE5c v\u00E0 \u0110\u00E0o t\u1EA1o S\u00F3c Tr\u0103ng";

// Today in Asia/Ho_Chi_Minh: documents are published now (their publication day is today).
std::string Today() {
  return dates::ToIso(dates::VietnamDay());
}

// 08:00 in Asia/Ho_Chi_Minh on `iso` (+ `days`), as the injected clock's time.
system_clock::time_point MorningOf(const std::string& iso, int days = 0) {
  auto d = dates::ParseIso(AddDays(iso, days));
  return sys_days(*d) + hours(1);  // 01:00 UTC = 08:00 UTC+7
}

class DocumentLifecycleTest : public testing::StoreSuite<DocumentLifecycleTest> {
 protected:
  static void SetUpTestSuite() {
    StartDatabase("document", Migrations(),
                  {DocumentStatements(), AttachmentStatements(), LifecycleStatements(), outbox::Statements()});
  }

  // Every test starts before the feature's first start, with no document and no event.
  void SetUp() override { pg_->Sql("TRUNCATE document.documents, document.lifecycle_state, document.outbox CASCADE"); }

  // Ngày hiệu lực, ngày hết hiệu lực ("": none), ngày ban hành, the codes it replaces.
  struct Dates {
    std::string effective, expiry, issue = "2026-03-02";
    std::vector<std::string> replaces = {};
  };

  v1::Document Create(const std::string& code_text, const Dates& dates) {
    auto parsed = ParseCode(code_text);
    EXPECT_TRUE(parsed.code) << parsed.error;
    v1::Document d;
    d.set_code(parsed.code->text);
    d.set_issuer_name(kIssuer);
    d.set_issue_date(dates.issue);
    d.set_effective_date(dates.effective);
    d.set_expiry_date(dates.expiry);
    d.set_subject("V\u1EC1 vi\u1EC7c " + code_text);
    d.add_fields("C\u1EA3i c\u00E1ch h\u00E0nh ch\u00EDnh");
    for (const auto& r : dates.replaces) d.add_replaces_codes(r);
    return documents_.Create(d, *parsed.code, "TCCB", "");
  }

  static std::string IdOf(const v1::Document& d) { return d.name().substr(std::string("documents/").size()); }

  v1::Document Publish(const v1::Document& d) {
    return documents_.ChangeStatus(
        IdOf(d), StatusChange{v1::PUBLISHED, "", EventKind::kPublished}, [](const v1::Document&) {}, "TCCB");
  }
  v1::Document Published(const std::string& code, const Dates& dates) { return Publish(Create(code, dates)); }

  // How many outbox rows of `type` (DocumentExpired, …) there are about each document, by code.
  static std::map<std::string, int> Events(const std::string& type) {
    std::map<std::string, int> out;
    std::string rows = pg_->Value(
        "SELECT d.code || '=' || count(*) FROM document.outbox o JOIN document.documents d ON 'documents/' || "
        "d.id = o.aggregate_id WHERE o.event_type = 'cchc.document.v1." +
        type + "' GROUP BY d.code ORDER BY d.code");
    std::stringstream in(rows);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      auto eq = line.rfind('=');
      out[line.substr(0, eq)] = std::stoi(line.substr(eq + 1));
    }
    return out;
  }
  static int AllLifecycleEvents() {
    return std::stoi(pg_->Value(
        "SELECT count(*) FROM document.outbox WHERE event_type IN ('cchc.document.v1.DocumentBecameEffective', "
        "'cchc.document.v1.DocumentExpired', 'cchc.document.v1.DocumentReplaced')"));
  }
  // The payloads of the outbox rows of `type` about `doc`.
  template <typename M>
  static std::vector<M> Payloads(const std::string& type, const v1::Document& doc) {
    std::string rows =
        pg_->Value("SELECT encode(payload, 'hex') FROM document.outbox WHERE event_type = 'cchc.document.v1." + type +
                   "' AND aggregate_id = '" + doc.name() + "'");
    std::vector<M> out;
    std::stringstream in(rows);
    for (std::string hex; std::getline(in, hex);) {
      std::string bytes;
      for (size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
      M m;
      EXPECT_TRUE(m.ParseFromString(bytes));
      out.push_back(std::move(m));
    }
    return out;
  }

  static bool WaitFor(const std::function<bool()>& done, milliseconds limit = milliseconds(20000)) {
    for (auto until = steady_clock::now() + limit; steady_clock::now() < until;) {
      if (done()) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return done();
  }

  DocumentStore documents_{*pool_};
  SearchStore search_{*pool_};
};

TEST_F(DocumentLifecycleTest, AnnouncesOnTheDayOnceAndCatchesUpAfterARestart) {
  const std::string today = Today();
  // Published today and taking effect today: announced at once.
  Published("1/Q\u0110-SGD\u0110T", {today, "", "2026-03-02", {}});
  // Taking effect in two days, in force through the fourth.
  Published("2/Q\u0110-SGD\u0110T", {AddDays(today, 2), AddDays(today, 4), "2026-03-02", {}});
  // Effective before it was published, expired three days ago: nothing to announce, ever.
  Published("3/Q\u0110-SGD\u0110T", {AddDays(today, -10), AddDays(today, -3), "2026-03-02", {}});
  // Never published: no announcement.
  Create("4/Q\u0110-SGD\u0110T", {AddDays(today, 1), "", "2026-03-02", {}});
  // Withdrawn before its day: no announcement.
  auto withdrawn = Published("5/Q\u0110-SGD\u0110T", {AddDays(today, 1), "", "2026-03-02", {}});
  documents_.ChangeStatus(
      IdOf(withdrawn), StatusChange{v1::WITHDRAWN, "sai", EventKind::kWithdrawn}, [](const v1::Document&) {}, "TCCB");

  std::atomic<int64_t> now{MorningOf(today).time_since_epoch().count()};
  Clock clock = [&] { return system_clock::time_point(system_clock::duration(now.load())); };
  {
    metrics::Registry registry;
    LifecycleStore store(*pool_);
    LifecycleScheduler scheduler(store, milliseconds(20), registry, clock);
    scheduler.Start();
    ASSERT_TRUE(WaitFor([] { return Events("DocumentBecameEffective").size() == 1; }));
    std::this_thread::sleep_for(milliseconds(200));  // more passes on the same day
    scheduler.Stop();
  }
  EXPECT_EQ(pg_->Value("SELECT first_start_day FROM document.lifecycle_state"), today) << "recorded on first start";
  EXPECT_EQ(Events("DocumentBecameEffective"), (std::map<std::string, int>{{"1/Q\u0110-SGD\u0110T", 1}}));
  EXPECT_TRUE(Events("DocumentExpired").empty());

  // Down for five days: the restarted service (another pool, another scheduler) owes 2/QĐ's effect (day 2) and
  // expiry (day 5), and says each once however many passes it makes.
  now = MorningOf(today, 5).time_since_epoch().count();
  {
    db::Pool restarted(url_, "document", 2, [] {
      std::vector<db::Statement> all = DocumentStatements();
      for (auto& s : LifecycleStatements()) all.push_back(s);
      for (auto& s : outbox::Statements()) all.push_back(s);
      return all;
    }());
    metrics::Registry registry;
    LifecycleStore store(restarted);
    LifecycleScheduler scheduler(store, milliseconds(20), registry, clock);
    scheduler.Start();
    ASSERT_TRUE(WaitFor([] { return Events("DocumentExpired").size() == 1; }));
    std::this_thread::sleep_for(milliseconds(200));
    now = MorningOf(today, 6).time_since_epoch().count();
    std::this_thread::sleep_for(milliseconds(200));
    scheduler.Stop();
  }
  EXPECT_EQ(Events("DocumentBecameEffective"),
            (std::map<std::string, int>{{"1/Q\u0110-SGD\u0110T", 1}, {"2/Q\u0110-SGD\u0110T", 1}}));
  EXPECT_EQ(Events("DocumentExpired"), (std::map<std::string, int>{{"2/Q\u0110-SGD\u0110T", 1}}));
  EXPECT_EQ(pg_->Value("SELECT first_start_day FROM document.lifecycle_state"), today) << "kept across restarts";
  EXPECT_EQ(pg_->Value("SELECT caught_up_through FROM document.lifecycle_state"), AddDays(today, 6));

  auto expired = Payloads<v1::DocumentExpired>("DocumentExpired",
                                               *documents_.GetByCode(LookupKey("2/Q\u0110-SGD\u0110T"), 0, {true, ""}));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].expiry_date(), AddDays(today, 4));
  EXPECT_EQ(expired[0].document().code(), "2/Q\u0110-SGD\u0110T");
  EXPECT_TRUE(expired[0].document().body().empty());
}

TEST_F(DocumentLifecycleTest, TwoReplicasAnnounceEachTransitionOnce) {
  const std::string today = Today();
  constexpr int kDocuments = 60;
  for (int i = 1; i <= kDocuments; ++i)
    Published(std::to_string(100 + i) + "/KH-SGD\u0110T", {AddDays(today, 1), AddDays(today, 1), "2026-03-02", {}});

  std::atomic<int64_t> now{MorningOf(today).time_since_epoch().count()};
  Clock clock = [&] { return system_clock::time_point(system_clock::duration(now.load())); };
  auto statements = [] {
    std::vector<db::Statement> all = DocumentStatements();
    for (auto& s : LifecycleStatements()) all.push_back(s);
    for (auto& s : outbox::Statements()) all.push_back(s);
    return all;
  };
  // Two replicas: each its own pool, store and scheduler, passing every 5 ms over the same database.
  db::Pool pool_a(url_, "document", 2, statements()), pool_b(url_, "document", 2, statements());
  metrics::Registry registry_a, registry_b;
  LifecycleStore store_a(pool_a), store_b(pool_b);
  LifecycleScheduler a(store_a, milliseconds(5), registry_a, clock), b(store_b, milliseconds(5), registry_b, clock);
  a.Start();
  b.Start();
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(AllLifecycleEvents(), 0) << "nothing is due today";

  now = MorningOf(today, 1).time_since_epoch().count();  // midnight passed: all take effect
  ASSERT_TRUE(WaitFor([] { return Events("DocumentBecameEffective").size() == kDocuments; }));
  now = MorningOf(today, 2).time_since_epoch().count();  // and expire (in force through yesterday)
  ASSERT_TRUE(WaitFor([] { return Events("DocumentExpired").size() == kDocuments; }));
  std::this_thread::sleep_for(milliseconds(300));  // many more passes of both
  a.Stop();
  b.Stop();

  for (const char* type : {"DocumentBecameEffective", "DocumentExpired"}) {
    auto events = Events(type);
    EXPECT_EQ(events.size(), static_cast<size_t>(kDocuments)) << type;
    for (const auto& [code, count] : events) EXPECT_EQ(count, 1) << type << " " << code;
  }
  EXPECT_EQ(AllLifecycleEvents(), 2 * kDocuments);
}

TEST_F(DocumentLifecycleTest, NoBacklogForDaysBeforeTheFirstStart) {
  const std::string today = Today();
  // Documents published a month before the feature existed (written as the old service wrote them: no
  // replaces_keys, and an earlier publication).
  auto old_in_force = Published("10/Q\u0110-SGD\u0110T", {AddDays(today, -20), AddDays(today, 3), "2026-03-02", {}});
  auto long_expired = Published("11/Q\u0110-SGD\u0110T", {AddDays(today, -20), AddDays(today, -5), "2026-03-02", {}});
  auto replaced_long_ago = Published("12/Q\u0110-SGD\u0110T", {"", "", "2026-01-05", {}});
  auto replacing_long_ago = Published("13/Q\u0110-SGD\u0110T", {"", "", "2026-01-06", {"12/Q\u0110-SGD\u0110T"}});
  pg_->Sql("UPDATE document.documents SET published_at = now() - interval '30 days', replaces_keys = '{}'");
  pg_->Sql("TRUNCATE document.outbox, document.lifecycle_events");
  EXPECT_EQ(documents_.Get(IdOf(replaced_long_ago))->validity(), v1::IN_FORCE) << "no keys before the first start";

  LifecycleStore store(*pool_);
  EXPECT_EQ(store.Start(today), today);
  EXPECT_EQ(store.Start(AddDays(today, 1)), today) << "the first start is recorded once";
  EXPECT_EQ(store.AnnounceDue(today), 0);
  EXPECT_EQ(store.AnnounceDue(AddDays(today, 3)), 0) << "in force through its expiry date";
  EXPECT_EQ(store.AnnounceDue(AddDays(today, 4)), 1);
  EXPECT_EQ(store.AnnounceDue(AddDays(today, 30)), 0);
  EXPECT_EQ(Events("DocumentExpired"), (std::map<std::string, int>{{old_in_force.code(), 1}}));
  EXPECT_TRUE(Events("DocumentBecameEffective").empty()) << "took effect before the first start";
  EXPECT_EQ(Events("DocumentExpired").count(long_expired.code()), 0u);
  // The old replacement reads as one (its keys were filled in at the start) but is not announced.
  auto got = documents_.Get(IdOf(replaced_long_ago));
  EXPECT_EQ(got->validity(), v1::REPLACED);
  EXPECT_EQ(got->replaced_by(), replacing_long_ago.name());
  EXPECT_TRUE(Events("DocumentReplaced").empty());
}

TEST_F(DocumentLifecycleTest, AReplacementChainOfThree) {
  // The same number in the year before: numbers restart each year, so 101/QĐ of 2025 is not the one replaced.
  auto last_year = Published("101/Q\u0110-SGD\u0110T", {"", "", "2025-03-02", {}});
  auto a = Published("101/Q\u0110-SGD\u0110T", {"", "", "2026-03-02", {}});
  auto b = Published("102/Q\u0110-SGD\u0110T", {"", "", "2026-04-01", {"101/Q\u0110-SGD\u0110T"}});
  EXPECT_EQ(b.validity(), v1::IN_FORCE);
  // C names B without accents or capitals; a draft naming A changes nothing until it is published.
  auto draft = Create("104/Q\u0110-SGD\u0110T", {"", "", "2026-06-01", {"101/QD-SGDDT"}});
  auto c = Published("103/Q\u0110-SGD\u0110T", {"", "", "2026-05-01", {"102/qd-sgddt"}});

  auto read = [&](const v1::Document& d) { return *documents_.Get(IdOf(d)); };
  EXPECT_EQ(read(a).validity(), v1::REPLACED);
  EXPECT_EQ(read(a).replaced_by(), b.name());
  EXPECT_EQ(read(a).replaced_by_code(), "102/Q\u0110-SGD\u0110T");
  EXPECT_EQ(read(b).validity(), v1::REPLACED);
  EXPECT_EQ(read(b).replaced_by(), c.name());
  EXPECT_EQ(read(b).replaced_by_code(), "103/Q\u0110-SGD\u0110T");
  EXPECT_EQ(read(c).validity(), v1::IN_FORCE);
  EXPECT_TRUE(read(c).replaced_by().empty());
  EXPECT_EQ(read(last_year).validity(), v1::IN_FORCE);

  // One DocumentReplaced each for A and B, at their replacement's publication, showing the change.
  EXPECT_EQ(Events("DocumentReplaced"),
            (std::map<std::string, int>{{"101/Q\u0110-SGD\u0110T", 1}, {"102/Q\u0110-SGD\u0110T", 1}}));
  auto of_a = Payloads<v1::DocumentReplaced>("DocumentReplaced", a);
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].replaced_by(), b.name());
  EXPECT_EQ(of_a[0].replaced_by_code(), "102/Q\u0110-SGD\u0110T");
  EXPECT_EQ(of_a[0].document().validity(), v1::REPLACED);
  auto of_b = Payloads<v1::DocumentReplaced>("DocumentReplaced", b);
  ASSERT_EQ(of_b.size(), 1u);
  EXPECT_EQ(of_b[0].replaced_by(), c.name());

  // Filters: only C (and last year's 101) is in force; A and B count as no longer in force.
  auto listed = [&](v1::Validity validity) {
    ListQuery q;
    q.filter.set_validity(validity);
    q.limit = 100;
    std::set<std::string> codes;
    for (const auto& d : search_.List(q).documents) codes.insert(d.code() + "@" + d.issue_date().substr(0, 4));
    return codes;
  };
  EXPECT_EQ(listed(v1::IN_FORCE),
            (std::set<std::string>{"101/Q\u0110-SGD\u0110T@2025", "103/Q\u0110-SGD\u0110T@2026"}));
  EXPECT_EQ(listed(v1::REPLACED),
            (std::set<std::string>{"101/Q\u0110-SGD\u0110T@2026", "102/Q\u0110-SGD\u0110T@2026"}));
  EXPECT_EQ(listed(v1::EXPIRED), listed(v1::REPLACED)) << "replaced documents are no longer in force";
  SearchQuery s;
  s.tsquery = BuildTsQuery("101");
  s.phrase = BuildTsPhrase("101");
  s.filter.set_validity(v1::IN_FORCE);
  auto found = search_.Search(s);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].issue_date(), "2025-03-02");

  // Editing C again, or publishing the draft that also names A, announces nothing new about A or B.
  documents_.Modify(
      IdOf(c),
      [](v1::Document& d) {
        return Mutation{EventKind::kUpdated, {"subject"}, *ParseCode(d.code()).code};
      },
      "TCCB");
  Publish(draft);
  EXPECT_EQ(read(a).replaced_by(), b.name()) << "the first replacement is the one shown";
  EXPECT_EQ(Events("DocumentReplaced"),
            (std::map<std::string, int>{{"101/Q\u0110-SGD\u0110T", 1}, {"102/Q\u0110-SGD\u0110T", 1}}));
  // Withdrawing C puts B back in force (reads are derived from the published documents).
  documents_.ChangeStatus(
      IdOf(c), StatusChange{v1::WITHDRAWN, "nh\u1EA7m", EventKind::kWithdrawn}, [](const v1::Document&) {}, "TCCB");
  EXPECT_EQ(read(b).validity(), v1::IN_FORCE);
  EXPECT_TRUE(read(b).replaced_by().empty());

  // replaced_by is kept on the rows (migration 011): a document written after its replacement gets it as it is
  // stored (what Create returns), and a newer document of the same number ends the replaced one's line.
  auto e = Published("105/Q\u0110-SGD\u0110T", {"", "", "2026-07-01", {"106/Q\u0110-SGD\u0110T"}});
  auto f = Create("106/Q\u0110-SGD\u0110T", {"", "", "2025-06-01", {}});
  EXPECT_EQ(f.replaced_by(), e.name());
  EXPECT_EQ(read(f).replaced_by(), e.name());
  EXPECT_EQ(read(f).replaced_by_code(), "105/Q\u0110-SGD\u0110T");
  auto g = Create("106/Q\u0110-SGD\u0110T", {"", "", "2026-01-10", {}});
  EXPECT_TRUE(read(f).replaced_by().empty()) << "the newer 106 (of 2026) is the one E replaces";
  EXPECT_EQ(read(g).replaced_by(), e.name());
}

}  // namespace
}  // namespace cchc::document
