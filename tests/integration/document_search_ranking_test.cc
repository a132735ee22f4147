// Ranking quality of document search (tra cứu văn bản) against a real PostgreSQL: the portal's demo documents
// (tools/demo/documents.json) among 1,000 documents of the benchmark corpus (tools/loadgen/corpus.h) as
// distractors, and a labelled set of queries as people type them (accented or not, upper case, NFD, số/ký hiệu,
// a word half typed), each with the document expected among the first three results.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corpus.h"
#include "migrations/migrations.h"
#include "platform/outbox.h"
#include "rules/code.h"
#include "search_queries.h"
#include "store/attachments.h"
#include "store/documents.h"
#include "store/search.h"
#include "support/store_suite.h"

namespace cchc::document {
namespace {

constexpr int kDistractors = 1000;

struct Labelled {
  std::string query;
  std::string expected_code;  // among the first three results
};

// "Cải cách hành chính" and "Kiểm soát thủ tục" spelled in NFD (base letters, then combining marks).
const std::string kNfdCchc = "ca\u0309i ca\u0301ch ha\u0300nh chi\u0301nh";
const std::string kNfdKiemSoat = "Kie\u0302\u0309m soa\u0301t thu\u0309 tu\u0323c";

const std::vector<Labelled>& LabelledSet() {
  static const std::vector<Labelled> kSet = {
      // số/ký hiệu, as written, folded, partial
      {"998/QĐ-SGDĐT", "998/QĐ-SGDĐT"},
      {"998/qd-sgddt", "998/QĐ-SGDĐT"},
      {"1264/BC-SGDĐT", "1264/BC-SGDĐT"},
      {"334/SGDĐT-TCCB", "334/SGDĐT-TCCB"},
      {"2974/TB", "2974/TB-SGDĐT"},
      {"1480/SNV-CCHC", "1480/SNV-CCHC"},
      {"snv-cchc", "1480/SNV-CCHC"},
      {"746 qd sgddt", "746/QĐ-SGDĐT"},
      {"2530/BC-SGDĐT", "2530/BC-SGDĐT"},
      // the subject's words, accented
      {"Bản cam kết thực hiện cải cách thủ tục hành chính", "1480/SNV-CCHC"},
      {"Chấm điểm chỉ số CCHC 2017", "334/SGDĐT-TCCB"},
      {"Hội nghị tổng kết công tác cải cách hành chính năm 2016", "431/TB-SGDĐT"},
      {"Tuyên truyền cải cách hành chính giai đoạn 2017-2020", "1099/KH-SGDĐT"},
      {"Góp ý dự thảo Kế hoạch tuyên truyền cải cách hành chính giai đoạn 2017-2020", "731/SGDĐT-TCCB"},
      {"Đóng góp ý kiến dự thảo tiêu chí chấm điểm chỉ số CCHC", "707/SGDĐT-TCCB"},
      {"Ban hành Chỉ số cải cách hành chính đối với các đơn vị sự nghiệp", "746/QĐ-SGDĐT"},
      {"dịch vụ bưu chính công ích", "152/TB-SGDĐT"},
      {"về việc cung cấp dịch vụ công trực tuyến mức độ 4", "2974/TB-SGDĐT"},
      // without accents
      {"ban cam ket cai cach thu tuc hanh chinh", "1480/SNV-CCHC"},
      {"cong bo chi so cai cach hanh chinh doi voi cac don vi su nghiep nam 2017", "998/QĐ-SGDĐT"},
      {"kiem soat thu tuc hanh chinh nam 2017 thuoc pham vi chuc nang quan ly", "185/KH-SGDĐT"},
      {"dong gop y kien du thao ke hoach tuyen truyen cchc nam 2018", "171/SGDĐT-TCCB"},
      {"ket qua thuc hien cong tac cai cach hanh chinh 6 thang dau nam 2017", "1137/BC-SGDĐT"},
      {"bao cao ket qua thuc hien cong tac cai cach hanh chinh nam 2016", "2530/BC-SGDĐT"},
      // upper case
      {"KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2017 TẠI CÁC ĐƠN VỊ", "699/KH-SGDĐT"},
      {"TÌNH HÌNH, KẾT QUẢ THỰC HIỆN CẢI CÁCH HÀNH CHÍNH QUÝ III", "1664/BC-SGDĐT"},
      {"CHAM DIEM CHI SO CCHC 2017", "334/SGDĐT-TCCB"},
      // NFD
      {kNfdKiemSoat + " ha\u0300nh chi\u0301nh na\u0306m 2018", "139/KH-SGDĐT"},
      {"Tuye\u0302n truye\u0300n " + kNfdCchc + " na\u0306m 2018", "248/KH-SGDĐT"},
      {"Ke\u0302\u0301 hoa\u0323ch thu\u031b\u0323c hie\u0323\u0302n " + kNfdCchc + " na\u0306m 2017", "137/KH-SGDĐT"},
      // the last word half typed
      {"ban cam ke", "1480/SNV-CCHC"},
      {"quý I và phương hướng, nhiệm vụ cải cách hành chính quý II năm 2018", "358/BC-SGDĐT"},
      {"thực hiện cải cách hành chính năm 2018 và phương hướng nhiệm v", "2667/BC-SGDĐT"},
      {"thuc hien cai cach hanh chinh 6 thang dau nam va phuong huong nhiem vu cai cach hanh chinh 6 thang cuo",
       "1264/BC-SGDĐT"},
  };
  return kSet;
}

class DocumentSearchRankingTest : public testing::StoreSuite<DocumentSearchRankingTest> {
 protected:
  static void SetUpTestSuite() {
    StartDatabase("document", Migrations(), {DocumentStatements(), AttachmentStatements(), outbox::Statements()});
    auto publish = &Publish;
    std::ifstream in(CCHC_DEMO_DOCUMENTS);
    ASSERT_TRUE(in) << CCHC_DEMO_DOCUMENTS;
    int n = 0;
    for (const auto& j : nlohmann::json::parse(in)) {
      v1::Document d;
      d.set_code(j.at("code").get<std::string>());
      d.set_issue_date(j.at("issue_date").get<std::string>());
      d.set_subject(j.at("subject").get<std::string>());
      d.set_issuer_name(j.value("issuer_name", ""));
      d.set_drafting_unit(j.value("drafting_unit", ""));
      for (const auto& f : j.value("fields", std::vector<std::string>{})) d.add_fields(f);
      publish(d, "demo-" + std::to_string(n++));
    }
    demo_documents_ = n;
    for (int64_t i = 0; i < kDistractors; ++i)
      publish(loadgen::CorpusDocument(i, kDistractors), "corpus-" + std::to_string(i));
    feed_ = new PublishedIndexFeed(*pool_);
    feed_->Load();
  }
  static void Publish(const v1::Document& d, const std::string& request_id) {
    DocumentStore documents(*pool_);
    auto parsed = ParseCode(d.code());
    ASSERT_TRUE(parsed.code) << d.code() << ": " << parsed.error;
    auto created = documents.Create(d, *parsed.code, "TCCB", request_id);
    documents.ChangeStatus(
        created.name().substr(std::string("documents/").size()), StatusChange{v1::PUBLISHED, "", EventKind::kPublished},
        [](const v1::Document&) {}, "TCCB");
  }
  static void TearDownTestSuite() {
    delete feed_;
    feed_ = nullptr;
    StoreSuite::TearDownTestSuite();
  }
  DocumentSearchRankingTest() { memory_.UseIndex(feed_); }

  // The ids of a reader's search, in the order returned.
  static std::vector<std::string> Ids(SearchStore& store, const SearchQuery& q) {
    std::vector<std::string> ids;
    for (const auto& d : store.Search(q)) ids.push_back(d.name().substr(std::string("documents/").size()));
    return ids;
  }
  static SearchQuery Query(const std::string& text, int limit, int offset = 0) {
    SearchQuery q;
    q.tsquery = BuildTsQuery(text);
    q.phrase = BuildTsPhrase(text);
    q.limit = limit;
    q.offset = offset;
    return q;
  }

  // The codes of the first `n` results of `query`, as a reader sees them.
  std::vector<std::string> Top(const std::string& query, int n, SearchStore* store = nullptr) {
    SearchQuery q;
    q.tsquery = BuildTsQuery(query);
    q.phrase = BuildTsPhrase(query);
    q.limit = n;
    std::vector<std::string> codes;
    for (const auto& d : (store ? *store : search_).Search(q)) codes.push_back(d.code());
    return codes;
  }

  static inline int demo_documents_ = 0;
  static inline PublishedIndexFeed* feed_ = nullptr;
  SearchStore search_{*pool_};
  // A reader's search from the index in memory (store/published_index_feed.h); PostgreSQL ranks its candidates.
  SearchStore memory_{*pool_};
  // The same search with windows this small corpus crosses: broad queries end in the first, old matches in later
  // ones or the rest.
  SearchStore small_plan_{*pool_, SearchPlan{{50, 150, 300, 600}}};
};

TEST_F(DocumentSearchRankingTest, EveryLabelledQueryFindsItsDocumentAmongTheFirstThree) {
  ASSERT_EQ(demo_documents_, 26);
  ASSERT_GE(LabelledSet().size(), 30u);
  int found = 0;
  for (const auto& l : LabelledSet()) {
    auto top = Top(l.query, 3);
    bool hit = std::find(top.begin(), top.end(), l.expected_code) != top.end();
    EXPECT_EQ(Top(l.query, 3, &small_plan_), top) << l.query << ": the same ranking whichever way it was found";
    EXPECT_EQ(Top(l.query, 3, &memory_), top) << l.query << ": the same ranking from the index in memory";
    found += hit;
    EXPECT_TRUE(hit) << "\"" << l.query << "\" → " << ::testing::PrintToString(top) << ", expected " << l.expected_code;
  }
  std::cout << "labelled queries: " << found << "/" << LabelledSet().size() << " with their document in the top 3\n";
}

TEST_F(DocumentSearchRankingTest, ExactPhraseAndCodeComeFirst) {
  EXPECT_EQ(Top("998/QĐ-SGDĐT", 1), std::vector<std::string>{"998/QĐ-SGDĐT"});
  EXPECT_EQ(Top("Bản cam kết thực hiện cải cách thủ tục hành chính", 1), std::vector<std::string>{"1480/SNV-CCHC"});
  // a broad query still returns a full page, newest-ranked among equals, and pages stop at kMaxSearchResults
  EXPECT_EQ(Top("cai cach hanh chinh", 20).size(), 20u);
  SearchQuery last;
  last.tsquery = BuildTsQuery("cai cach hanh chinh");
  last.phrase = BuildTsPhrase("cai cach hanh chinh");
  last.limit = 20;
  last.offset = kMaxSearchResults - 20;
  EXPECT_EQ(search_.Search(last).size(), 20u) << "the last page within the bound is full";
  last.offset = kMaxSearchResults;
  EXPECT_TRUE(search_.Search(last).empty()) << "nothing past the bound";
}

TEST_F(DocumentSearchRankingTest, EveryWayOfFindingTheNewestMatchesAgreesWithReadingThemAll) {
  // Broad (walk), few (GIN), old matches (every) and half-typed (typed) queries, with the default thresholds and
  // with small ones: the newest kMaxSearchResults matches ranked are the newest matches of all, whichever way the
  // statement found them.
  for (const std::string query : {"cai cach hanh chinh", "tuyen truyen", "ban cam ket", "2013", "quy i nam 2011",
                                  "ke hoach tuyen tr", "998 qd", "nam hoc 2020"}) {
    std::string ts = BuildTsQuery(query);
    auto expected = pg_->Sql(
        "SELECT coalesce(string_agg(id::text, ',' ORDER BY id::text), '') FROM (SELECT id FROM document.documents "
        "WHERE search_vector @@ to_tsquery('simple', $q$" +
        ts + "$q$) ORDER BY issue_date DESC, seq DESC LIMIT " + std::to_string(kMaxSearchResults) + ") x");
    SearchQuery q;
    q.tsquery = ts;
    q.phrase = BuildTsPhrase(query);
    q.limit = kMaxSearchResults;
    if (!expected.empty() && expected.back() == '\n') expected.pop_back();
    for (auto* store : {&search_, &small_plan_, &memory_}) {
      std::vector<std::string> ids;
      for (const auto& d : store->Search(q)) ids.push_back(d.name().substr(std::string("documents/").size()));
      std::sort(ids.begin(), ids.end());
      std::string got;
      for (const auto& id : ids) got += (got.empty() ? "" : ",") + id;
      EXPECT_TRUE(got == expected) << query
                                   << (store == &search_   ? ""
                                       : store == &memory_ ? " (memory)"
                                                           : " (small plan)");
      EXPECT_FALSE(ids.empty()) << query;
    }
  }
}

TEST_F(DocumentSearchRankingTest, TheIndexInMemoryGivesTheWindowsPagesOnAThousandQueries) {
  // The load generator's queries (1–5 words, accented or not, upper case, NFD, half typed, số/ký hiệu fragments),
  // drawn from this corpus's vocabulary, and every page of a few broad ones: the same documents in the same order.
  ASSERT_TRUE(feed_->Ready());
  EXPECT_EQ(feed_->index().Documents(), static_cast<size_t>(demo_documents_ + kDistractors));
  int compared = 0, nonempty = 0;
  for (const auto& text : loadgen::SearchQueryTexts(kDistractors, 1000)) {
    if (BuildTsQuery(text).empty()) continue;
    auto q = Query(text, 20);
    auto want = Ids(search_, q);
    ASSERT_EQ(Ids(memory_, q), want) << text;
    ++compared;
    nonempty += !want.empty();
  }
  EXPECT_GE(compared, 990);
  EXPECT_GE(nonempty, 500) << "the queries find documents";
  for (const std::string text : {"cai cach hanh chinh", "nam 2017", "sgddt", "k"})
    for (int offset = 0; offset < kMaxSearchResults; offset += 50) {
      auto q = Query(text, 50, offset);
      EXPECT_EQ(Ids(memory_, q), Ids(search_, q)) << text << " from " << offset;
    }
  // filters: the index's own tests of type, issuer, field, code form and dates, against the SQL's
  for (int i = 0; i < 6; ++i) {
    auto q = Query(i % 2 ? "ke hoach" : "bao cao", 20);
    if (i == 0) q.filter.set_type_abbreviation("KH");
    if (i == 1) q.filter.set_issuer_code("SGDĐT");
    if (i == 2) q.filter.set_issue_date_from("2017-01-01");
    if (i == 3) q.filter.set_issue_date_to("2016-12-31");
    if (i == 4) q.filter.set_field("Cải cách hành chính");
    if (i == 5) q.filter.set_code_form(v1::TYPED);
    EXPECT_EQ(Ids(memory_, q), Ids(search_, q)) << "filter " << i;
  }
}

TEST_F(DocumentSearchRankingTest, TheSearchIndexFollowsEveryWriteOfADocument) {
  // Rows of documents and document_search that differ in a copied column, or exist on one side only.
  const std::string differing =
      "SELECT count(*) FROM document.documents d FULL JOIN document.document_search s USING (id) WHERE "
      "(d.issue_date, d.seq, d.status, d.created_by, d.type_key, d.issuer_key, d.signer_key, d.field_keys, "
      "d.effective_date, d.expiry_date, d.code_form, d.code_key, d.search_vector, d.replaced_by) IS DISTINCT FROM "
      "(s.issue_date, s.seq, s.status, s.created_by, s.type_key, s.issuer_key, s.signer_key, s.field_keys, "
      "s.effective_date, s.expiry_date, s.code_form, s.code_key, s.search_vector, s.replaced_by)";
  EXPECT_EQ(pg_->Value("SELECT count(*) FROM document.document_search"),
            pg_->Value("SELECT count(*) FROM document.documents"));
  EXPECT_EQ(pg_->Value(differing), "0") << "after the fixture's creates and publishes";
  // A status change, a rewrite of the searched text and dates, a write the index does not copy, and a delete: each
  // in its own transaction, as the store's statements make them; on the newest distractors (the labelled demo
  // documents stay as they are for the other tests).
  const std::string withdrawn = pg_->Value("SELECT count(*) FROM document.document_search WHERE status = 3");
  // A second replica's index, loaded now, reading the log three rows a statement.
  PublishedIndexFeed paged(*pool_, nullptr, 3);
  paged.Load();
  SearchStore paged_search(*pool_);
  paged_search.UseIndex(&paged);
  pg_->Sql(
      "UPDATE document.documents SET status = 3 WHERE id = (SELECT id FROM document.documents ORDER BY seq DESC LIMIT "
      "1)");
  pg_->Sql(
      "UPDATE document.documents SET search_vector = to_tsvector('simple', 'mot tu rieng'), issue_date = "
      "issue_date - 1, expiry_date = NULL WHERE id = (SELECT id FROM document.documents ORDER BY seq DESC OFFSET 1 "
      "LIMIT 1)");
  pg_->Sql("UPDATE document.documents SET view_count = view_count + 1");
  pg_->Sql(
      "DELETE FROM document.documents WHERE id = (SELECT id FROM document.documents ORDER BY seq DESC OFFSET 2 LIMIT "
      "1)");
  EXPECT_EQ(pg_->Value(differing), "0") << "after a status change, a rewrite, a view count and a delete";
  EXPECT_EQ(pg_->Value("SELECT count(*) FROM document.document_search WHERE search_vector @@ 'rieng'"), "1");
  EXPECT_EQ(std::stoi(pg_->Value("SELECT count(*) FROM document.document_search WHERE status = 3")),
            std::stoi(withdrawn) + 1);

  // The index in memory follows the same writes before its next search: the rewritten words found, the withdrawn
  // and the deleted documents gone, every page as the windows give it.
  EXPECT_EQ(Ids(memory_, Query("mot tu rieng", 20)).size(), 1u);
  EXPECT_EQ(Ids(memory_, Query("mot tu rieng", 20)), Ids(search_, Query("mot tu rieng", 20)));
  for (const std::string text : {"cai cach", "nam 20", "bao cao ket qua", "2013"}) {
    EXPECT_EQ(Ids(memory_, Query(text, 200)), Ids(search_, Query(text, 200))) << text;
    EXPECT_EQ(Ids(paged_search, Query(text, 200)), Ids(search_, Query(text, 200))) << text << " (paged)";
  }
  EXPECT_EQ(Ids(paged_search, Query("mot tu rieng", 20)).size(), 1u);
  EXPECT_EQ(feed_->index().Documents(),
            std::stoul(pg_->Value("SELECT count(*) FROM document.document_search WHERE status = 2")));
  // A publish in another transaction, then a truncate: the index loads anew, empty.
  pg_->Sql("UPDATE document.documents SET status = 2 WHERE status = 3");
  EXPECT_EQ(Ids(memory_, Query("cai cach", 200)), Ids(search_, Query("cai cach", 200)));
  EXPECT_EQ(feed_->index().Documents(),
            std::stoul(pg_->Value("SELECT count(*) FROM document.document_search WHERE status = 2")));
  const int loads = feed_->Loads();
  pg_->Sql("TRUNCATE document.documents CASCADE");
  EXPECT_TRUE(Ids(memory_, Query("cai cach", 20)).empty());
  EXPECT_EQ(feed_->Loads(), loads + 1);
  EXPECT_EQ(feed_->index().Documents(), 0u);
  // Once: a document published after the truncate is found by the next search (no second load of everything).
  const auto after = loadgen::CorpusDocument(0, 1);
  Publish(after, "after-truncate");
  EXPECT_EQ(Ids(memory_, Query(after.subject(), 20)).size(), 1u);
  EXPECT_EQ(feed_->index().Documents(), 1u);
  EXPECT_EQ(feed_->index().Slots(), 1u) << "the document put once";
  EXPECT_EQ(feed_->Loads(), loads + 1) << "the truncate's mark loads the index once";
}

}  // namespace
}  // namespace cchc::document
