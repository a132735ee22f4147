// The news stores (services/news/store/) against a real PostgreSQL cluster: what they return, the domain errors they
// throw (kind and message, as the API shows them), the outbox row each published change writes in its transaction
// (and none on a refusal), Vietnamese text kept NFC and found by folded search.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "migrations/migrations.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "platform/search_text.h"
#include "store/articles.h"
#include "store/comments.h"
#include "store/school_years.h"
#include "store/views.h"
#include "support/store_suite.h"
#include "views.h"

namespace cchc::news {
namespace {

// "Cải cách hành chính" in NFC (precomposed) and in NFD (base letters and combining marks).
const std::string kNfc = "C\u1EA3i c\u00E1ch h\u00E0nh ch\u00EDnh";
const std::string kNfd = "Ca\u0309i ca\u0301ch ha\u0300nh chi\u0301nh";
const std::string kMissing = "00000000-0000-4000-8000-000000000000";

class NewsStoresTest : public testing::StoreSuite<NewsStoresTest> {
 protected:
  static void SetUpTestSuite() {
    StartDatabase(
        "news", Migrations(),
        {ArticleStatements(), CommentStatements(), ViewStatements(), SchoolYearStatements(), outbox::Statements()});
  }

  v1::Article Draft(const std::string& title, const std::string& slug, const std::string& request_id = "",
                    int64_t initial_views = 0) {
    v1::Article a;
    a.set_title(title);
    a.set_slug(slug);
    a.set_lead("Tin t\u1EEB S\u1EDF Gi\u00E1o d\u1EE5c v\u00E0 \u0110\u00E0o t\u1EA1o");
    a.set_body("N\u1ED9i dung: " + title);
    a.set_author("Tr\u1EA7n Th\u1ECB H\u01B0\u01A1ng");
    a.set_category("Tin t\u1EE9c");
    a.add_tags("\u0110\u1ED5i m\u1EDBi");
    a.set_comments_enabled(true);
    return articles_.Create(a, "VP", request_id, initial_views);
  }
  static std::string IdOf(const v1::Article& a) { return a.name().substr(std::string("articles/").size()); }

  // Publishes (or archives, …) `a` through Modify with the event `event`.
  v1::Article SetStatus(const v1::Article& a, v1::ArticleStatus status, EventKind event) {
    return articles_.Modify(
        IdOf(a),
        [&](v1::Article& edited) {
          edited.set_status(status);
          if (!edited.has_publish_time()) db::SetTimestamp(edited.mutable_publish_time(), db::NowMicros());
          return Mutation{event, {"status"}};
        },
        "VP");
  }

  // The outbox rows about `aggregate` (an article's name), of `type` when given.
  static int OutboxRows(const std::string& aggregate, const std::string& type = "") {
    std::string sql = "SELECT count(*) FROM news.outbox WHERE aggregate_id = '" + aggregate + "'";
    if (!type.empty()) sql += " AND event_type = '" + type + "'";
    return std::stoi(pg_->Sql(sql));
  }

  ArticleStore articles_{*pool_};
  CommentStore comments_{*pool_};
  ViewStore views_{*pool_};
  SchoolYearStore years_{*pool_};
};

using testing::ExpectDomainError;

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST_F(NewsStoresTest, ArticlesCreateDraftsReplayRequestsAndRefuseATakenSlug) {
  auto created = Draft(kNfc + " trong tr\u01B0\u1EDDng h\u1ECDc", "cai-cach-hanh-chinh", "req-1", 120);
  EXPECT_EQ(created.status(), v1::DRAFT);
  EXPECT_EQ(created.title(), kNfc + " trong tr\u01B0\u1EDDng h\u1ECDc");
  EXPECT_EQ(created.view_count(), 120);
  EXPECT_EQ(created.created_by(), "VP");
  EXPECT_EQ(created.tags_size(), 1);
  EXPECT_EQ(OutboxRows(created.name()), 0) << "a draft is no event";
  EXPECT_EQ(Draft("other", "other-slug", "req-1").name(), created.name());  // the first answer, replayed

  ExpectDomainError([&] { Draft("Kh\u00E1c", "cai-cach-hanh-chinh", "req-2"); }, DomainErrorKind::kAlreadyExists,
                    "article.slug: cai-cach-hanh-chinh is already used by an article");
  EXPECT_FALSE(articles_.GetBySlug("other-slug"));
  auto by_slug = articles_.GetBySlug("cai-cach-hanh-chinh");
  ASSERT_TRUE(by_slug);
  EXPECT_EQ(by_slug->name(), created.name());
  EXPECT_EQ(by_slug->body(), created.body());
  EXPECT_FALSE(articles_.Get(kMissing));
}

TEST_F(NewsStoresTest, ArticlesModifyWritesTheEventItAsksForOnceAndNothingWhenRefused) {
  auto a = Draft("Tin s\u1EEDa", "tin-sua");
  Draft("Tin kh\u00E1c", "tin-khac");
  auto published = SetStatus(a, v1::PUBLISHED, EventKind::kPublished);
  EXPECT_EQ(published.status(), v1::PUBLISHED);
  EXPECT_NE(published.etag(), a.etag());
  EXPECT_EQ(OutboxRows(a.name(), "cchc.news.v1.ArticlePublished"), 1);

  articles_.Modify(
      IdOf(a),
      [](v1::Article& edited) {
        edited.set_lead("ch\u1EC9 s\u1EEDa sapo");
        return Mutation{};
      },
      "VP");
  EXPECT_EQ(OutboxRows(a.name()), 1) << "no event asked, none written";

  ExpectDomainError(
      [&] {
        articles_.Modify(
            IdOf(a),
            [](v1::Article& edited) {
              edited.set_slug("tin-khac");
              return Mutation{EventKind::kUpdated, {"slug"}};
            },
            "VP");
      },
      DomainErrorKind::kAlreadyExists, "article.slug: tin-khac is already used by an article");
  ExpectDomainError(
      [&] {
        articles_.Modify(
            IdOf(a),
            [](v1::Article&) -> Mutation { throw DomainError(DomainErrorKind::kFailedPrecondition, "refused"); }, "VP");
      },
      DomainErrorKind::kFailedPrecondition, "refused");
  EXPECT_EQ(OutboxRows(a.name()), 1);
  EXPECT_EQ(articles_.Get(IdOf(a))->slug(), "tin-sua");

  auto updated = articles_.Modify(
      IdOf(a),
      [](v1::Article& edited) {
        edited.set_title("Tin \u0111\u00E3 s\u1EEDa");
        return Mutation{EventKind::kUpdated, {"title"}};
      },
      "TDKT");
  EXPECT_EQ(updated.updated_by(), "TDKT");
  EXPECT_EQ(articles_.Get(IdOf(a))->title(), "Tin \u0111\u00E3 s\u1EEDa");
  EXPECT_EQ(OutboxRows(a.name(), "cchc.news.v1.ArticleUpdated"), 1);
  EXPECT_EQ(OutboxRows(a.name()), 2);

  ExpectDomainError(
      [&] {
        articles_.Modify(
            kMissing, [](v1::Article&) { return Mutation{}; }, "VP");
      },
      DomainErrorKind::kNotFound, "name: articles/" + kMissing + " does not exist");
}

TEST_F(NewsStoresTest, PublishDuePublishesEachDueArticleOnceWithItsEvent) {
  auto due = articles_.Modify(
      IdOf(Draft("H\u1EB9n gi\u1EDD \u0111\u0103ng", "hen-gio")),
      [](v1::Article& edited) {
        edited.set_status(v1::SCHEDULED);
        db::SetTimestamp(edited.mutable_publish_time(), db::NowMicros() - 1000000);
        return Mutation{};
      },
      "VP");
  auto later = articles_.Modify(
      IdOf(Draft("Ng\u00E0y mai", "ngay-mai")),
      [](v1::Article& edited) {
        edited.set_status(v1::SCHEDULED);
        db::SetTimestamp(edited.mutable_publish_time(), db::NowMicros() + int64_t{3600} * 1000000);
        return Mutation{};
      },
      "VP");
  EXPECT_EQ(articles_.PublishDue(10), 1);
  EXPECT_EQ(articles_.PublishDue(10), 0);
  auto stored = articles_.Get(IdOf(due));
  EXPECT_EQ(stored->status(), v1::PUBLISHED);
  EXPECT_EQ(stored->updated_by(), "scheduler");
  EXPECT_EQ(OutboxRows(due.name(), "cchc.news.v1.ArticlePublished"), 1);
  EXPECT_EQ(articles_.Get(IdOf(later))->status(), v1::SCHEDULED);
  EXPECT_EQ(OutboxRows(later.name()), 0);
}

TEST_F(NewsStoresTest, SearchFindsFoldedWordsAndListFiltersByFoldedKeysPageByPage) {
  auto cchc =
      SetStatus(Draft(kNfc + " c\u1EA5p tr\u01B0\u1EDDng", "cchc-cap-truong"), v1::PUBLISHED, EventKind::kPublished);
  auto dai_hoi = SetStatus(Draft("\u0110\u1EA1i h\u1ED9i c\u00F4ng \u0111o\u00E0n ng\u00E0nh", "dai-hoi"),
                           v1::PUBLISHED, EventKind::kPublished);
  auto draft = Draft(kNfc + " (nh\u00E1p)", "cchc-nhap");
  auto names = [](const std::vector<v1::Article>& articles) {
    std::vector<std::string> out;
    for (const auto& a : articles) out.push_back(a.name());
    return out;
  };
  auto search = [&](const std::string& words, v1::ArticleStatus status) {
    SearchQuery q;
    q.tsquery = search::BuildTsQuery(words);
    q.phrase = search::BuildTsPhrase(words);
    q.filter.set_status(status);
    return names(articles_.Search(q));
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(search("cai cach hanh chinh cap truong", v1::PUBLISHED), Names{cchc.name()});
  EXPECT_EQ(search(kNfd + " c\u00E2\u0301p", v1::PUBLISHED), Names{cchc.name()});  // asked in NFD
  EXPECT_EQ(search("dai hoi cong doan", v1::PUBLISHED), Names{dai_hoi.name()});    // đ folds to d
  EXPECT_EQ(search("\u0110\u1EA0I H\u1ED8I", v1::PUBLISHED), Names{dai_hoi.name()});
  EXPECT_TRUE(Has(search("cai cach", v1::DRAFT), draft.name()));
  EXPECT_FALSE(Has(search("cai cach", v1::PUBLISHED), draft.name()));
  EXPECT_TRUE(search("khong co tu nay", v1::ARTICLE_STATUS_UNSPECIFIED).empty());

  ListQuery q;
  q.filter.set_category("TIN TUC");  // "Tin tức", folded
  q.filter.set_tag("doi moi");       // "Đổi mới", folded
  q.filter.set_status(v1::PUBLISHED);
  q.limit = 1;
  std::vector<std::string> seen;
  for (int page = 0; page < 20; ++page) {
    auto p = articles_.List(q);
    for (const auto& a : p.articles) {
      EXPECT_TRUE(a.body().empty()) << "listed without body";
      seen.push_back(a.name());
    }
    if (!p.last) break;
    q.after = p.last;
  }
  EXPECT_TRUE(Has(seen, cchc.name()));
  EXPECT_TRUE(Has(seen, dai_hoi.name()));
  EXPECT_FALSE(Has(seen, draft.name()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size()) << "no article on two pages";
  q.after.reset();
  q.filter.set_category("Th\u00F4ng b\u00E1o");
  EXPECT_TRUE(articles_.List(q).articles.empty());
}

TEST_F(NewsStoresTest, PreparedListsPageLikeTheGenericListNewestFirst) {
  // Every Draft() is in "Tin tức" with the tag "Đổi mới": adding the tag to a filter gives the same articles
  // through the generic (unprepared) list, which the prepared status and category shapes must match page by page.
  std::vector<std::string> published;
  for (int n = 0; n < 5; ++n)
    published.push_back(SetStatus(Draft("Trang " + std::to_string(n), "trang-" + std::to_string(n)), v1::PUBLISHED,
                                  EventKind::kPublished)
                            .name());
  auto draft = Draft("Trang nh\u00E1p", "trang-nhap");
  auto pages = [&](ListQuery q) {
    std::vector<std::string> out;
    for (int page = 0; page < 100; ++page) {
      auto p = articles_.List(q);
      for (const auto& a : p.articles) {
        EXPECT_TRUE(a.body().empty()) << "listed without body";
        out.push_back(a.name());
      }
      if (!p.last) break;
      q.after = p.last;
    }
    return out;
  };
  for (const std::string category : {"Tin t\u1EE9c", ""}) {
    ListQuery prepared;
    prepared.filter.set_status(v1::PUBLISHED);
    prepared.filter.set_category(category);
    prepared.limit = 2;
    ListQuery generic = prepared;
    generic.filter.set_tag("\u0110\u1ED5i m\u1EDBi");
    auto got = pages(prepared);
    EXPECT_EQ(got, pages(generic)) << "category '" << category << "'";
    for (const auto& n : published) EXPECT_TRUE(Has(got, n)) << n;
    EXPECT_FALSE(Has(got, draft.name()));
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), got.size()) << "no article on two pages";
    EXPECT_TRUE(Has(got, published.back()) && Has(got, published.front()));
    auto newest = std::find(got.begin(), got.end(), published.back());
    auto oldest = std::find(got.begin(), got.end(), published.front());
    EXPECT_LT(newest, oldest) << "newest first";
  }
  ListQuery drafts;
  drafts.filter.set_status(v1::DRAFT);
  drafts.filter.set_category("tin tuc");
  EXPECT_TRUE(Has(pages(drafts), draft.name()));
}

TEST_F(NewsStoresTest, ViewsCountOnlyPublishedArticlesAcrossShards) {
  auto published = SetStatus(Draft("L\u01B0\u1EE3t xem", "luot-xem", "", 10), v1::PUBLISHED, EventKind::kPublished);
  auto draft = Draft("Ch\u01B0a \u0111\u0103ng", "chua-dang");
  auto counted = views_.Add({{IdOf(published), 3}, {IdOf(draft), 5}, {kMissing, 7}}, 0);
  EXPECT_EQ(counted, std::set<std::string>{IdOf(published)});
  EXPECT_EQ(views_.Add({{IdOf(published), 2}}, kViewShards - 1), std::set<std::string>{IdOf(published)});
  EXPECT_EQ(views_.Add({{IdOf(published), 4}}, 0), std::set<std::string>{IdOf(published)});
  EXPECT_EQ(articles_.Get(IdOf(published))->view_count(), 10 + 3 + 2 + 4);
  EXPECT_EQ(articles_.Get(IdOf(draft))->view_count(), 0);
  EXPECT_EQ(OutboxRows(published.name()), 1) << "views are no event";
}

TEST_F(NewsStoresTest, ViewCounterWithSeveralFlushersCountsEveryAcknowledgedViewOnce) {
  auto published =
      SetStatus(Draft("Nhi\u1EC1u l\u01B0\u1EE3t xem", "nhieu-luot-xem"), v1::PUBLISHED, EventKind::kPublished);
  auto draft = Draft("B\u1EA3n nh\u00E1p", "ban-nhap");
  constexpr int kThreads = 6, kViewsEach = 300;
  std::atomic<int> counted{0}, refused{0}, failed{0}, done{0};
  {
    ViewCounter counter(views_, nullptr, ViewLimits{1 << 16, 64, 3, 2});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kViewsEach; ++i) {
          const std::string& id = (t == 0 && i % 10 == 0) ? IdOf(draft) : IdOf(published);
          ASSERT_TRUE(counter.RecordAsync(id, [&](bool ok, std::exception_ptr error) {
            (error ? failed : ok ? counted : refused)++;
            done++;
          }));
        }
      });
    for (auto& t : threads) t.join();
  }  // the destructor commits what is queued
  EXPECT_EQ(done.load(), kThreads * kViewsEach);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(refused.load(), kViewsEach / 10) << "the draft's views are refused, not counted";
  EXPECT_EQ(counted.load(), kThreads * kViewsEach - kViewsEach / 10);
  EXPECT_EQ(articles_.Get(IdOf(published))->view_count(), counted.load());
  EXPECT_EQ(articles_.Get(IdOf(draft))->view_count(), 0);
  EXPECT_GT(
      std::stoi(pg_->Sql("SELECT count(*) FROM news.article_view_shards WHERE article_id = '" + IdOf(published) + "'")),
      1)
      << "the flushers write different shards";
  EXPECT_THROW(ViewCounter(views_, nullptr, ViewLimits{4096, 1024, 0}), std::invalid_argument);
  EXPECT_THROW(ViewCounter(views_, nullptr, ViewLimits{4096, 1024, kViewShards + 1}), std::invalid_argument);
  EXPECT_THROW(ViewCounter(views_, nullptr, ViewLimits{4096, 1024, 2, 0}), std::invalid_argument);
}

TEST_F(NewsStoresTest, CommentsSubmitUnderTheLimitsAndModerationEmitsApprovals) {
  auto open = SetStatus(Draft("B\u00E0i c\u00F3 \u00FD ki\u1EBFn", "co-y-kien"), v1::PUBLISHED, EventKind::kPublished);
  auto draft = Draft("B\u00E0i nh\u00E1p", "bai-nhap");
  auto closed = articles_.Modify(
      IdOf(SetStatus(Draft("\u0110\u00F3ng \u00FD ki\u1EBFn", "dong-y-kien"), v1::PUBLISHED, EventKind::kPublished)),
      [](v1::Article& a) {
        a.set_comments_enabled(false);
        return Mutation{};
      },
      "VP");
  auto archived = SetStatus(SetStatus(Draft("L\u01B0u tr\u1EEF", "luu-tru"), v1::PUBLISHED, EventKind::kPublished),
                            v1::ARCHIVED, EventKind::kUnpublished);
  v1::Comment comment;
  comment.set_author_name("L\u00EA V\u0103n \u0110\u1EA1t");
  comment.set_email("dat@example.vn");
  comment.set_content("\u0110\u1EC1 ngh\u1ECB c\u00F4ng khai th\u1EE7 t\u1EE5c");
  CommentLimits limits;
  limits.per_sender = 2;
  limits.per_client = 3;
  limits.client_window = std::chrono::seconds(90);
  limits.pending_per_article = 4;

  const int before = OutboxRows(open.name());
  auto first = comments_.Submit(IdOf(open), comment, "client-1", limits);
  EXPECT_EQ(first.status(), v1::PENDING);
  EXPECT_EQ(first.content(), comment.content());
  EXPECT_EQ(first.name().rfind(open.name() + "/comments/", 0), 0u) << first.name();
  EXPECT_EQ(OutboxRows(open.name(), "cchc.news.v1.CommentSubmitted"), 1);
  comments_.Submit(IdOf(open), comment, "client-1", limits);
  ExpectDomainError([&] { comments_.Submit(IdOf(open), comment, "client-2", limits); }, DomainErrorKind::kExhausted,
                    "comment.email: at most 2 comments per 10 minutes from one address; try later");
  comment.set_email("other@example.vn");
  comments_.Submit(IdOf(open), comment, "client-1", limits);
  comment.set_email("third@example.vn");
  ExpectDomainError([&] { comments_.Submit(IdOf(open), comment, "client-1", limits); }, DomainErrorKind::kExhausted,
                    "x-cchc-client-id: at most 3 comments per 90 seconds from one client; try later");
  comments_.Submit(IdOf(open), comment, "", limits);
  comment.set_email("fourth@example.vn");
  ExpectDomainError([&] { comments_.Submit(IdOf(open), comment, "", limits); }, DomainErrorKind::kExhausted,
                    "parent: " + open.name() +
                        " already has 4 comments awaiting moderation, the most it holds; try again once they are "
                        "moderated");
  EXPECT_EQ(OutboxRows(open.name(), "cchc.news.v1.CommentSubmitted"), 4);

  ExpectDomainError([&] { comments_.Submit(IdOf(draft), comment, "", limits); }, DomainErrorKind::kNotFound,
                    "parent: " + draft.name() + " does not exist");
  ExpectDomainError([&] { comments_.Submit(kMissing, comment, "", limits); }, DomainErrorKind::kNotFound,
                    "parent: articles/" + kMissing + " does not exist");
  ExpectDomainError([&] { comments_.Submit(IdOf(closed), comment, "", limits); }, DomainErrorKind::kFailedPrecondition,
                    "parent: comments on " + closed.name() + " are closed");
  ExpectDomainError([&] { comments_.Submit(IdOf(archived), comment, "", limits); },
                    DomainErrorKind::kFailedPrecondition,
                    "parent: " + archived.name() + " is archived; comments are closed");
  EXPECT_EQ(OutboxRows(draft.name()), 0);
  EXPECT_EQ(OutboxRows(closed.name(), "cchc.news.v1.CommentSubmitted"), 0);
  EXPECT_EQ(OutboxRows(archived.name(), "cchc.news.v1.CommentSubmitted"), 0);

  const std::string comment_id = first.name().substr(first.name().rfind('/') + 1);
  ExpectDomainError(
      [&] {
        comments_.Moderate(IdOf(open), comment_id, v1::APPROVED, "VP", [](const v1::Comment&) {
          throw DomainError(DomainErrorKind::kFailedPrecondition, "refused");
        });
      },
      DomainErrorKind::kFailedPrecondition, "refused");
  EXPECT_EQ(OutboxRows(open.name(), "cchc.news.v1.CommentApproved"), 0);
  auto approved = comments_.Moderate(IdOf(open), comment_id, v1::APPROVED, "VP",
                                     [](const v1::Comment& c) { EXPECT_EQ(c.status(), v1::PENDING); });
  EXPECT_EQ(approved.status(), v1::APPROVED);
  EXPECT_EQ(approved.moderated_by(), "VP");
  EXPECT_TRUE(approved.has_moderate_time());
  EXPECT_EQ(OutboxRows(open.name(), "cchc.news.v1.CommentApproved"), 1);
  comments_.Moderate(IdOf(open), comment_id, v1::REJECTED, "VP", [](const v1::Comment&) {});
  EXPECT_EQ(OutboxRows(open.name(), "cchc.news.v1.CommentApproved"), 1) << "a rejection is no event";
  EXPECT_EQ(OutboxRows(open.name()), before + 5);
  ExpectDomainError([&] { comments_.Moderate(IdOf(draft), comment_id, v1::APPROVED, "VP", [](const v1::Comment&) {}); },
                    DomainErrorKind::kNotFound,
                    "name: " + draft.name() + "/comments/" + comment_id + " does not exist");

  CommentQuery q;
  q.article_id = IdOf(open);
  q.limit = 3;
  auto page = comments_.List(q);
  ASSERT_EQ(page.comments.size(), 3u);
  EXPECT_EQ(page.comments[0].name(), first.name()) << "oldest first";
  EXPECT_EQ(page.comments[0].status(), v1::REJECTED);
  ASSERT_TRUE(page.last_seq);
  q.after_seq = page.last_seq;
  EXPECT_EQ(comments_.List(q).comments.size(), 1u);
  CommentQuery pending;
  pending.status = v1::PENDING;
  pending.newest_first = true;
  EXPECT_EQ(comments_.List(pending).comments.size(), 3u);
}

TEST_F(NewsStoresTest, SchoolYearsPutReplaceFindByDateAndRefuseOverlaps) {
  v1::SchoolYear year;
  year.set_name("schoolYears/2025-2026");
  year.set_start_date("2025-09-05");
  year.set_end_date("2026-05-31");
  year.set_theme("N\u0103m h\u1ECDc \u0111\u1ED5i m\u1EDBi, " + kNfc);
  auto put = years_.Put(year, "VP");
  EXPECT_EQ(put.name(), "schoolYears/2025-2026");
  EXPECT_EQ(put.theme(), year.theme());
  EXPECT_EQ(put.updated_by(), "VP");
  auto on = years_.On("2026-01-15");
  ASSERT_TRUE(on);
  EXPECT_EQ(on->name(), "schoolYears/2025-2026");
  EXPECT_TRUE(years_.On("2025-09-05"));
  EXPECT_TRUE(years_.On("2026-05-31"));
  EXPECT_FALSE(years_.On("2026-06-01"));

  v1::SchoolYear next;
  next.set_name("schoolYears/2026-2027");
  next.set_start_date("2026-05-31");
  next.set_end_date("2027-05-31");
  next.set_theme("Ch\u1EE7 \u0111\u1EC1 m\u1EDBi");
  ExpectDomainError([&] { years_.Put(next, "VP"); }, DomainErrorKind::kFailedPrecondition,
                    "school_year: 2026-05-31 \u2026 2027-05-31 overlaps schoolYears/2025-2026");
  EXPECT_FALSE(years_.Get("2026-2027"));
  next.set_start_date("2026-09-05");
  EXPECT_EQ(years_.Put(next, "VP").start_date(), "2026-09-05");

  year.set_theme("Ch\u1EE7 \u0111\u1EC1 thay th\u1EBF");
  year.set_end_date("2026-06-15");
  years_.Put(year, "TCCB");  // replacing a year does not clash with itself
  auto replaced = years_.Get("2025-2026");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->theme(), "Ch\u1EE7 \u0111\u1EC1 thay th\u1EBF");
  EXPECT_EQ(replaced->end_date(), "2026-06-15");
  EXPECT_EQ(replaced->updated_by(), "TCCB");
  EXPECT_EQ(years_.On("2026-06-10")->name(), "schoolYears/2025-2026");
}

}  // namespace
}  // namespace cchc::news
