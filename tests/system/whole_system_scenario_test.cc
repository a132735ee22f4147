// The seed page's scenario, end to end on the whole system: the demo data loaded as `tools/dev up` loads it;
// an editor publishes a new CCHC plan (KH); the TCCB office's inbox stream and webhook receive it once each; a
// reader comments on the article, a moderator approves it and it appears on the page; the 2015 results are
// published and Sóc Trăng's result reads 86.15 points, +4.43, 27/63, ▲6.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "system/system_stack.h"

namespace cchc::testing {
namespace {

constexpr const char* kSlug = "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Lines of `text` (one webhook delivery each) that mention `needle`.
int Occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

class WholeSystemScenarioTest : public WholeSystemTest {
 protected:
  static void SetUpTestSuite() {
    WholeSystemTest::SetUpTestSuite();
    const std::string demo = SourceDir() + "/tools/demo";
    stack_->Cchcctl("document import '" + demo + "/documents.json'");
    stack_->Cchcctl("article import '" + demo + "/articles.json'");
    stack_->Cchcctl("school-year import '" + demo + "/school_years.json'");
    stack_->Cchcctl("scoring import-demo '" + demo + "/scoring'");
  }
};

TEST_F(WholeSystemScenarioTest, TheSeedPageIsServedWordForWord) {
  std::string page = stack_->Cchcctl(std::string("page ") + kSlug + " --date 2018-06-19", Tokens::kReader);
  EXPECT_EQ(page, ReadFile(SourceDir() + "/tests/data/seed_page.txt") + "\n");
}

TEST_F(WholeSystemScenarioTest, ANewPlanReachesTheTccbInboxAndWebhookOnce) {
  SystemStack& s = *stack_;
  auto req = s.TccbSubscriber(true);
  tv1::Subscriber subscriber;
  ASSERT_TRUE(s.Notifications().CreateSubscriber(s.Context(Tokens::kAdmin).get(), req, &subscriber).ok());
  tv1::CreateSubscriptionRequest sreq;
  sreq.set_parent(subscriber.name());
  auto* subscription = sreq.mutable_subscription();
  subscription->set_event_type("cchc.document.v1.DocumentPublished");
  subscription->mutable_filter()->add_fields("Cải cách hành chính");
  subscription->mutable_filter()->add_type_codes("QĐ");
  subscription->mutable_filter()->add_type_codes("KH");
  subscription->add_channels()->set_channel(tv1::INBOX);
  subscription->add_channels()->set_channel(tv1::WEBHOOK);
  tv1::Subscription created;
  ASSERT_TRUE(s.Notifications().CreateSubscription(s.Context(Tokens::kAdmin).get(), sreq, &created).ok());

  // The office watches its inbox live.
  std::mutex mu;
  std::vector<tv1::Notification> seen;
  grpc::ClientContext watch_ctx;
  watch_ctx.AddMetadata("authorization", std::string("Bearer ") + Tokens::kTccbInbox);
  tv1::WatchNotificationsRequest watch;
  watch.set_parent(subscriber.name());
  auto stream = s.Notifications().WatchNotifications(&watch_ctx, watch);
  std::thread reader([&] {
    tv1::Notification n;
    while (stream->Read(&n)) {
      std::lock_guard lock(mu);
      seen.push_back(n);
    }
  });

  // An editor publishes the plan (and a công văn of another field, which must not reach the office).
  auto publish = [&](const std::string& code, const std::string& subject, const std::string& field) {
    dv1::CreateDocumentRequest create;
    create.mutable_document()->set_code(code);
    create.mutable_document()->set_issue_date("2018-06-20");
    create.mutable_document()->set_subject(subject);
    create.mutable_document()->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
    create.mutable_document()->add_fields(field);
    dv1::Document draft, published;
    EXPECT_TRUE(s.Documents().CreateDocument(s.Context(Tokens::kEditor).get(), create, &draft).ok());
    dv1::PublishDocumentRequest p;
    p.set_name(draft.name());
    EXPECT_TRUE(s.Documents().PublishDocument(s.Context(Tokens::kEditor).get(), p, &published).ok());
    return published;
  };
  dv1::Document plan =
      publish("1365/KH-SGDĐT", "Kế hoạch cải cách hành chính 6 tháng cuối năm 2018", "Cải cách hành chính");
  publish("1366/SGDĐT-VP", "Về việc tổ chức hội thao ngành giáo dục", "Thể dục thể thao");

  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return !seen.empty();
      },
      std::chrono::seconds(30)));
  ASSERT_TRUE(WaitFor([&] { return Occurrences(s.WebhookLog(), plan.name()) >= 1; }, std::chrono::seconds(30)))
      << s.WebhookLog();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // time for a second copy to show, were there one
  watch_ctx.TryCancel();
  reader.join();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].subject(), plan.name());
  EXPECT_EQ(seen[0].event_type(), "cchc.document.v1.DocumentPublished");
  EXPECT_NE(seen[0].title().find("1365/KH-SGDĐT"), std::string::npos) << seen[0].title();
  EXPECT_EQ(Occurrences(s.WebhookLog(), plan.name()), 1) << s.WebhookLog();
}

TEST_F(WholeSystemScenarioTest, AnApprovedCommentAppearsOnThePage) {
  SystemStack& s = *stack_;
  nv1::GetArticleBySlugRequest get;
  get.set_slug(kSlug);
  nv1::Article article;
  ASSERT_TRUE(s.News().GetArticleBySlug(s.Context(Tokens::kReader).get(), get, &article).ok());
  nv1::SubmitCommentRequest submit;
  submit.set_parent(article.name());
  submit.mutable_comment()->set_author_name("Nguyễn Thị Mai");
  submit.mutable_comment()->set_email("mai.nguyen@example.vn");
  submit.mutable_comment()->set_content("Mong Sở tiếp tục giữ vững thứ hạng chỉ số cải cách hành chính.");
  nv1::Comment pending;
  ASSERT_TRUE(s.News().SubmitComment(s.Context(Tokens::kReader).get(), submit, &pending).ok());
  std::string before = s.Cchcctl(std::string("page ") + kSlug + " --date 2018-06-19", Tokens::kReader);
  EXPECT_EQ(before.find("Nguyễn Thị Mai"), std::string::npos);  // pending: not shown

  nv1::ModerateCommentRequest approve;
  approve.set_name(pending.name());
  approve.set_decision(nv1::APPROVED);
  nv1::Comment approved;
  ASSERT_TRUE(s.News().ModerateComment(s.Context(Tokens::kModerator).get(), approve, &approved).ok());
  std::string after = s.Cchcctl(std::string("page ") + kSlug + " --date 2018-06-19", Tokens::kReader);
  size_t section = after.find("Ý kiến bạn đọc\n");
  ASSERT_NE(section, std::string::npos);
  size_t comment = after.find("Nguyễn Thị Mai (", section);
  ASSERT_NE(comment, std::string::npos) << after;
  EXPECT_LT(comment, after.find("Văn bản Cải cách hành chính"));
  EXPECT_NE(after.find("Mong Sở tiếp tục giữ vững thứ hạng"), std::string::npos);
  EXPECT_EQ(after.find("mai.nguyen@example.vn"), std::string::npos);  // never shown to the public
}

TEST_F(WholeSystemScenarioTest, SocTrangsResultReadsAsTheSeedPageSaysIt) {
  std::string result = stack_->Cchcctl("scoring result --year 2015 --kind PROVINCE --unit SOC_TRANG", Tokens::kReader);
  EXPECT_NE(result.find("86.15"), std::string::npos) << result;
  EXPECT_NE(result.find("+4.43"), std::string::npos) << result;
  EXPECT_NE(result.find("27/63"), std::string::npos) << result;
  EXPECT_NE(result.find("▲6"), std::string::npos) << result;
  std::string departments = stack_->Cchcctl("scoring ranking --year 2015 --kind DEPARTMENT", Tokens::kReader);
  EXPECT_NE(departments.find("14/22"), std::string::npos) << departments;
}

}  // namespace
}  // namespace cchc::testing
