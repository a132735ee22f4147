#include "event_view.h"

#include <google/protobuf/util/json_util.h>

#include <stdexcept>

#include "cchc/document/v1/events.pb.h"
#include "cchc/news/v1/events.pb.h"
#include "cchc/scoring/v1/events.pb.h"
#include "platform/text.h"

namespace cchc::notification {
namespace {

template <typename M>
M Parse(const events::CloudEvent& e) {
  M m;
  if (!m.ParseFromString(e.data)) throw std::runtime_error("payload of " + e.type + " does not parse");
  return m;
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

std::string Link(const std::string& base, const std::string& resource) {
  if (base.empty()) return resource;
  return (base.back() == '/' ? base : base + "/") + resource;
}

EventView DocumentView(const document::v1::Document& d, const std::string& verb, const std::string& base) {
  EventView v;
  for (const auto& f : d.fields()) v.attributes.fields.push_back(f);
  if (!d.type_abbreviation().empty()) v.attributes.type_codes.push_back(d.type_abbreviation());
  if (!d.issuer_code().empty()) v.attributes.issuers.push_back(d.issuer_code());
  if (!d.issuer_name().empty()) v.attributes.issuers.push_back(d.issuer_name());
  v.title = verb + ": " + d.code() + " — " + text::TruncateAtWord(d.subject(), 200);
  v.link = Link(base, d.name());
  return v;
}

EventView ArticleView(const news::v1::Article& a, const std::string& verb, const std::string& base) {
  EventView v;
  if (!a.category().empty()) v.attributes.categories.push_back(a.category());
  v.title = verb + ": " + text::TruncateAtWord(a.title(), 200);
  v.link = Link(base, a.name());
  return v;
}

}  // namespace

std::optional<EventView> ViewOf(const events::CloudEvent& e, const std::string& base) {
  const std::string& t = e.type;
  EventView v;
  if (t == "cchc.document.v1.DocumentPublished") {
    auto m = Parse<document::v1::DocumentPublished>(e);
    v = DocumentView(m.document(), "Văn bản mới", base);
    v.data_json = Json(m);
  } else if (t == "cchc.document.v1.DocumentUpdated") {
    auto m = Parse<document::v1::DocumentUpdated>(e);
    v = DocumentView(m.document(), "Văn bản được cập nhật", base);
    v.data_json = Json(m);
  } else if (t == "cchc.document.v1.DocumentWithdrawn") {
    auto m = Parse<document::v1::DocumentWithdrawn>(e);
    v = DocumentView(m.document(), "Văn bản bị thu hồi", base);
    v.data_json = Json(m);
  } else if (t == "cchc.document.v1.DocumentBecameEffective") {
    auto m = Parse<document::v1::DocumentBecameEffective>(e);
    v = DocumentView(m.document(), "Văn bản có hiệu lực", base);
    v.data_json = Json(m);
  } else if (t == "cchc.document.v1.DocumentExpired") {
    auto m = Parse<document::v1::DocumentExpired>(e);
    v = DocumentView(m.document(), "Văn bản hết hiệu lực", base);
    v.data_json = Json(m);
  } else if (t == "cchc.document.v1.DocumentReplaced") {
    auto m = Parse<document::v1::DocumentReplaced>(e);
    v = DocumentView(m.document(), "Văn bản bị thay thế bởi " + m.replaced_by_code(), base);
    v.data_json = Json(m);
  } else if (t == "cchc.document.v1.DocumentDeleted") {
    // A deleted document has no body or snapshot left: its identity, as the event carries it.
    auto m = Parse<document::v1::DocumentDeleted>(e);
    for (const auto& f : m.fields()) v.attributes.fields.push_back(f);
    if (!m.type_abbreviation().empty()) v.attributes.type_codes.push_back(m.type_abbreviation());
    if (!m.issuer_code().empty()) v.attributes.issuers.push_back(m.issuer_code());
    if (!m.issuer_name().empty()) v.attributes.issuers.push_back(m.issuer_name());
    v.title = "Văn bản đã bị xóa: " + m.code() + " — " + text::TruncateAtWord(m.subject(), 200);
    v.link = Link(base, m.name());
    v.data_json = Json(m);
  } else if (t == "cchc.news.v1.ArticlePublished") {
    auto m = Parse<news::v1::ArticlePublished>(e);
    v = ArticleView(m.article(), "Tin mới", base);
    v.data_json = Json(m);
  } else if (t == "cchc.news.v1.ArticleUpdated") {
    auto m = Parse<news::v1::ArticleUpdated>(e);
    v = ArticleView(m.article(), "Tin được cập nhật", base);
    v.data_json = Json(m);
  } else if (t == "cchc.news.v1.ArticleUnpublished") {
    auto m = Parse<news::v1::ArticleUnpublished>(e);
    v = ArticleView(m.article(), "Tin bị gỡ", base);
    v.data_json = Json(m);
  } else if (t == "cchc.news.v1.CommentSubmitted" || t == "cchc.news.v1.CommentApproved") {
    bool submitted = t == "cchc.news.v1.CommentSubmitted";
    news::v1::Comment c;
    std::string article;
    if (submitted) {
      auto m = Parse<news::v1::CommentSubmitted>(e);
      c = m.comment(), article = m.article(), v.data_json = Json(m);
    } else {
      auto m = Parse<news::v1::CommentApproved>(e);
      c = m.comment(), article = m.article(), v.data_json = Json(m);
    }
    v.attributes.articles.push_back(article);
    v.title = std::string(submitted ? "Ý kiến mới chờ duyệt" : "Ý kiến đã được duyệt") + " của " +
              text::TruncateAtWord(c.author_name(), 100);
    v.link = Link(base, c.name().empty() ? article : c.name());
  } else if (t == "cchc.scoring.v1.PeriodOpened") {
    auto m = Parse<scoring::v1::PeriodOpened>(e);
    v.title = "Mở kỳ đánh giá: " + text::TruncateAtWord(m.title(), 200);
    v.link = Link(base, m.period());
    v.data_json = Json(m);
  } else if (t == "cchc.scoring.v1.AssessmentSubmitted") {
    auto m = Parse<scoring::v1::AssessmentSubmitted>(e);
    v.attributes.unit_codes.push_back(m.unit_code());
    v.title = "Đã nộp tự đánh giá: " + m.unit_name() + " (" + m.self_total() + " điểm)";
    v.link = Link(base, m.period());
    v.data_json = Json(m);
  } else if (t == "cchc.scoring.v1.AssessmentAppraised") {
    auto m = Parse<scoring::v1::AssessmentAppraised>(e);
    v.attributes.unit_codes.push_back(m.unit_code());
    v.title = "Đã thẩm định: " + m.unit_name() + " (" + m.appraised_total() + " điểm)";
    v.link = Link(base, m.period());
    v.data_json = Json(m);
  } else if (t == "cchc.scoring.v1.ResultsPublished") {
    auto m = Parse<scoring::v1::ResultsPublished>(e);
    for (const auto& r : m.results()) v.attributes.unit_codes.push_back(r.unit_code());
    v.title = "Công bố kết quả chỉ số CCHC năm " + std::to_string(m.year());
    v.link = Link(base, m.period());
    v.data_json = Json(m);
  } else {
    return std::nullopt;
  }
  return v;
}

}  // namespace cchc::notification
