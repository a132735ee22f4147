// Memory held by readers' calls stays bounded (the read caches count bytes), and page tokens are signed with the
// key the replicas share: a forged or tampered one is INVALID_ARGUMENT naming page_token.
#include <chrono>
#include <cstdio>
#include <thread>

#include "document_limits_fixture.h"
#include "platform/page_token.h"
#include "platform/page_token_keys.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

// 1996-01-01 + `days`, ISO.
std::string DayAfter1996(int days) {
  std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::year{1996} / 1 / 1} + std::chrono::days{days}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return out;
}

// A reader's first page of 100 documents issued from `from` on.
grpc::Status ListFrom(const std::string& from, v1::ListDocumentsResponse* out, const std::string& token = "") {
  v1::ListDocumentsRequest req;
  req.mutable_filter()->set_issue_date_from(from);
  req.set_page_size(100);
  req.set_page_token(token);
  return DocumentServiceTest::Stub().ListDocuments(DocumentServiceTest::Context(DocumentServiceTest::kReader).get(),
                                                   req, out);
}

TEST_F(DocumentLimitsTest, DistinctListCallsKeepTheServiceWithin100MegabytesOfIdle) {
  PublishDocuments(120);
  const pid_t pid = service_->Pid();
  // Idle: the service after start-up and a few calls (threads, connections, prepared statements in place).
  for (int i = 0; i < 40; ++i) {
    v1::ListDocumentsResponse page;
    ASSERT_TRUE(ListFrom(DayAfter1996(9000 + i), &page).ok());
  }
  const int64_t idle = ResidentBytes(pid);
  ASSERT_GT(idle, 0);

  constexpr int kCalls = 8000, kThreads = 4;
  std::atomic<int> failures{0}, short_pages{0};
  int64_t peak = idle;
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak, ResidentBytes(pid));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = t; i < kCalls; i += kThreads) {
        v1::ListDocumentsResponse page;
        if (!ListFrom(DayAfter1996(i), &page).ok()) ++failures;
        if (page.documents_size() != 100) ++short_pages;
      }
    });
  }
  for (auto& c : callers) c.join();
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  done = true;
  sampler.join();
  const int64_t after = ResidentBytes(pid);
  peak = std::max(peak, after);
  auto metrics = HttpGet(metrics_port_, "/metrics");
  double list_bytes = MetricValue(metrics, "cchc_read_cache_bytes{cache=\"list\"}");
  std::printf(
      "[memory] %d distinct 100-document list calls in %.1f s: RSS idle %.1f MB, after %.1f MB (+%.1f MB), "
      "peak %.1f MB; list cache counts %.1f MB\n",
      kCalls, seconds, idle / 1e6, after / 1e6, (after - idle) / 1e6, peak / 1e6, list_bytes / 1e6);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(short_pages.load(), 0);
  EXPECT_LE(after - idle, int64_t{100} * 1000 * 1000);
  EXPECT_LE(peak - idle, int64_t{100} * 1000 * 1000);
  EXPECT_GT(list_bytes, 0);
  EXPECT_LE(list_bytes, kReadCacheBytes / 3);

  // Still a cache: the most recent filters are served from memory.
  double hits = MetricValue(metrics, "cchc_read_cache_requests_total{cache=\"list\",result=\"hit\"}");
  for (int i = kCalls - 20; i < kCalls; ++i) {
    v1::ListDocumentsResponse page;
    ASSERT_TRUE(ListFrom(DayAfter1996(i), &page).ok());
  }
  EXPECT_GE(
      MetricValue(HttpGet(metrics_port_, "/metrics"), "cchc_read_cache_requests_total{cache=\"list\",result=\"hit\"}"),
      hits + 10);
}

TEST_F(DocumentLimitsTest, PageTokensAreSignedWithTheSharedKeyAndAForgedOneIsRefused) {
  PublishDocuments(3);
  v1::ListDocumentsRequest req;
  req.mutable_filter()->set_issue_date_from("1996-01-01");
  req.set_page_size(1);
  v1::ListDocumentsResponse first;
  ASSERT_TRUE(Stub().ListDocuments(Context(kReader).get(), req, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  auto list = [&](const std::string& token) {
    v1::ListDocumentsRequest next = req;
    next.set_page_token(token);
    v1::ListDocumentsResponse out;
    return Stub().ListDocuments(Context(kReader).get(), next, &out);
  };
  EXPECT_TRUE(list(first.next_page_token()).ok());

  // The cursor of the real token, signed in this process with the key every replica was given: another
  // replica's token is good here.
  auto raw = paging::Base64UrlDecode(first.next_page_token());
  ASSERT_TRUE(raw && raw->size() > 32);
  auto cursor = nlohmann::json::parse(raw->substr(32));
  paging::InstallTokenKeys(paging::LoadTokenKeys(dir_->Path() + "/page-token-keys"));
  EXPECT_TRUE(list(paging::EncodeToken(cursor)).ok());

  std::string before = Count("documents");
  // Tampered: another cursor behind the real token's MAC.
  auto tampered = cursor;
  tampered["s"] = tampered["s"].get<int64_t>() + 1000;
  auto forged = [&](const std::string& token) {
    auto s = list(token);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_EQ(s.error_message().rfind("page_token", 0), 0u) << s.error_message();
  };
  forged(paging::Base64UrlEncode(raw->substr(0, 32) + tampered.dump()));
  // Minted with a key the service does not hold.
  paging::InstallTokenKeys({"a-key-that-no-replica-of-the-service-holds", ""});
  forged(paging::EncodeToken(cursor));
  EXPECT_EQ(Count("documents"), before);
}

}  // namespace
}  // namespace cchc::testing
