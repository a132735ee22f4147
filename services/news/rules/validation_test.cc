#include "rules/validation.h"

#include <gtest/gtest.h>

namespace cchc::news {
namespace {

v1::Article Valid() {
  v1::Article a;
  a.set_title("Ủy ban nhân dân tỉnh Sóc Trăng tổ chức Hội nghị Cải cách hành chính năm 2016");
  a.set_lead("Nhằm tổng kết kết quả thực hiện cải cách hành chính năm 2015");
  a.set_body("Đoạn một.\n\nĐoạn hai.");
  a.set_author("Dương Thanh Bình");
  a.set_source("TCCB");
  a.set_category("Cải cách hành chính");
  a.add_tags("CCHC");
  return a;
}

TEST(ValidateArticle, FillsTheSlugFromTheTitle) {
  v1::Article a = Valid();
  ASSERT_FALSE(ValidateArticle(&a));
  EXPECT_EQ(a.slug(), "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016");
}

TEST(ValidateArticle, NamesTheFieldAtFault) {
  struct Case {
    const char* name;
    void (*spoil)(v1::Article&);
    const char* field;
  };
  const Case cases[] = {
      {"empty title", [](v1::Article& a) { a.set_title("  "); }, "article.title"},
      {"title of punctuation", [](v1::Article& a) { a.set_title("!!!"); }, "article.title"},
      {"long title", [](v1::Article& a) { a.set_title(std::string(251, 'x')); }, "article.title"},
      {"bad slug", [](v1::Article& a) { a.set_slug("Hội-nghị"); }, "article.slug"},
      {"newline in author", [](v1::Article& a) { a.set_author("a\nb"); }, "article.author"},
      {"repeated tag", [](v1::Article& a) { a.add_tags("cchc"); }, "article.tags[1]"},
      {"long caption", [](v1::Article& a) { a.mutable_cover_image()->set_caption(std::string(501, 'x')); },
       "article.cover_image.caption"},
      {"figure after a negative paragraph", [](v1::Article& a) { a.mutable_cover_image()->set_after_paragraph(-1); },
       "article.cover_image.after_paragraph"},
      {"figure too far down", [](v1::Article& a) { a.mutable_cover_image()->set_after_paragraph(1001); },
       "article.cover_image.after_paragraph"},
      {"empty related code", [](v1::Article& a) { a.add_related_document_codes(""); },
       "article.related_document_codes[0]"},
  };
  for (const auto& c : cases) {
    v1::Article a = Valid();
    c.spoil(a);
    auto e = ValidateArticle(&a);
    ASSERT_TRUE(e) << c.name;
    EXPECT_EQ(e->field, c.field) << c.name << ": " << e->description;
  }
}

TEST(UpdateMask, EmptyMaskBecomesTheSetFieldsAndUnknownPathsAreRefused) {
  v1::Article a;
  a.set_title("x");
  a.set_comments_enabled(true);
  std::vector<std::string> paths;
  ASSERT_FALSE(ResolveUpdateMask(a, &paths));
  EXPECT_EQ(paths, (std::vector<std::string>{"title", "comments_enabled"}));
  paths = {"view_count"};
  EXPECT_TRUE(ResolveUpdateMask(a, &paths));
  v1::Article target = Valid();
  ApplyMask(a, {"title", "tags"}, &target);
  EXPECT_EQ(target.title(), "x");
  EXPECT_EQ(target.tags_size(), 0);
  EXPECT_EQ(target.author(), "Dương Thanh Bình");
}

TEST(Transitions, FollowTheStatusMachine) {
  EXPECT_EQ(Transition(v1::DRAFT, Action::kPublishNow), v1::PUBLISHED);
  EXPECT_EQ(Transition(v1::DRAFT, Action::kSchedule), v1::SCHEDULED);
  EXPECT_EQ(Transition(v1::SCHEDULED, Action::kScheduledTimeReached), v1::PUBLISHED);
  EXPECT_EQ(Transition(v1::SCHEDULED, Action::kPublishNow), v1::PUBLISHED);
  EXPECT_EQ(Transition(v1::SCHEDULED, Action::kUnpublish), v1::DRAFT);
  EXPECT_EQ(Transition(v1::PUBLISHED, Action::kUnpublish), v1::DRAFT);
  EXPECT_EQ(Transition(v1::PUBLISHED, Action::kArchive), v1::ARCHIVED);
  EXPECT_EQ(Transition(v1::DRAFT, Action::kArchive), v1::ARCHIVED);
  EXPECT_FALSE(Transition(v1::PUBLISHED, Action::kPublishNow));
  EXPECT_FALSE(Transition(v1::PUBLISHED, Action::kSchedule));
  EXPECT_FALSE(Transition(v1::DRAFT, Action::kUnpublish));
  EXPECT_FALSE(Transition(v1::DRAFT, Action::kScheduledTimeReached));
  EXPECT_FALSE(Transition(v1::SCHEDULED, Action::kArchive));
  for (auto action : {Action::kPublishNow, Action::kSchedule, Action::kUnpublish, Action::kArchive})
    EXPECT_FALSE(Transition(v1::ARCHIVED, action));
  EXPECT_TRUE(VisibleToReaders(v1::PUBLISHED));
  EXPECT_TRUE(VisibleToReaders(v1::ARCHIVED));
  EXPECT_FALSE(VisibleToReaders(v1::DRAFT));
  EXPECT_FALSE(VisibleToReaders(v1::SCHEDULED));
}

TEST(Comments, AreBoundedAndNeedAnAddress) {
  v1::Comment c;
  c.set_author_name(" Nguyễn Văn A ");
  c.set_email("a@example.vn");
  c.set_content("Bài viết hay.\nCảm ơn.");
  ASSERT_FALSE(ValidateComment(&c));
  EXPECT_EQ(c.author_name(), "Nguyễn Văn A");
  for (std::string bad : {"", "a", "@example.vn", "a@b", "a@@b.vn", "a b@c.vn", "a@c."}) {
    v1::Comment d = c;
    d.set_email(bad);
    auto e = ValidateComment(&d);
    ASSERT_TRUE(e) << bad;
    EXPECT_EQ(e->field, "comment.email");
  }
  v1::Comment long_one = c;
  long_one.set_content(std::string(kMaxCommentChars + 1, 'x'));
  ASSERT_TRUE(ValidateComment(&long_one));
  EXPECT_EQ(ValidateComment(&long_one)->field, "comment.content");
  v1::Comment nameless = c;
  nameless.clear_author_name();
  EXPECT_EQ(ValidateComment(&nameless)->field, "comment.author_name");
  EXPECT_EQ(EmailKey("A.B@Example.VN"), "a.b@example.vn");
}

TEST(Comments, ModerationDecisions) {
  EXPECT_TRUE(IsModerationAllowed(v1::PENDING, v1::APPROVED));
  EXPECT_TRUE(IsModerationAllowed(v1::PENDING, v1::REJECTED));
  EXPECT_TRUE(IsModerationAllowed(v1::PENDING, v1::SPAM));
  EXPECT_TRUE(IsModerationAllowed(v1::APPROVED, v1::SPAM));
  EXPECT_FALSE(IsModerationAllowed(v1::APPROVED, v1::APPROVED));
  EXPECT_FALSE(IsModerationAllowed(v1::APPROVED, v1::PENDING));
  EXPECT_FALSE(IsModerationAllowed(v1::PENDING, v1::COMMENT_STATUS_UNSPECIFIED));
}

TEST(Names, ArticlesAndComments) {
  const std::string id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  EXPECT_EQ(ParseArticleName("articles/" + id), id);
  EXPECT_FALSE(ParseArticleName("articles/" + id + "x"));
  EXPECT_FALSE(ParseArticleName("documents/" + id));
  auto both = ParseCommentName("articles/" + id + "/comments/" + id);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->first, id);
  EXPECT_FALSE(ParseCommentName("articles/" + id + "/comments/x"));
}

}  // namespace
}  // namespace cchc::news
