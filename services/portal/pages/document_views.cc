#include "pages/document_views.h"

#include <string_view>

#include "pages/format.h"
#include "pages/render.h"
#include "platform/dates.h"

namespace cchc::portal::pages {
namespace {

namespace dv1 = cchc::document::v1;

constexpr std::string_view kDocumentsPrefix = "documents/";

mstch::array Options(const std::vector<std::pair<std::string, std::string>>& values, const std::string& selected) {
  mstch::array out;
  for (const auto& [value, label] : values)
    out.push_back(mstch::map{{"value", value}, {"label", label}, {"selected", value == selected}});
  return out;
}

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& values, const std::string& sep) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : sep) + v;
  return out;
}

std::string SignerText(const dv1::Signer& s) {
  if (s.name().empty()) return "";
  std::string role = s.authority().empty() ? s.position() : s.authority() + " " + s.position();
  return role.empty() ? s.name() : s.name() + " (" + role + ")";
}

mstch::array Links(const std::vector<DocumentLink>& links) {
  mstch::array out;
  for (const auto& l : links)
    out.push_back(
        mstch::map{{"code", l.code}, {"href", l.id.empty() ? std::string() : "/van-ban/" + PercentEncode(l.id)}});
  return out;
}

// The body's paragraphs: one per non-empty line.
mstch::array Paragraphs(const std::string& body) {
  mstch::array out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) out.push_back(mstch::map{{"text", line}});
    start = end + 1;
  }
  return out;
}

std::string LatestUpdate(const google::protobuf::RepeatedPtrField<dv1::Document>& documents) {
  const google::protobuf::Timestamp* latest = nullptr;
  for (const auto& d : documents)
    if (latest == nullptr || d.update_time().seconds() > latest->seconds()) latest = &d.update_time();
  return latest == nullptr ? "" : HttpDate(*latest);
}

}  // namespace

std::string DocumentId(const std::string& name) {
  if (name.rfind(kDocumentsPrefix, 0) != 0) return "";
  std::string id = name.substr(kDocumentsPrefix.size());
  return id.find('/') == std::string::npos ? id : "";
}

std::string DocumentHref(const dv1::Document& document) {
  return "/van-ban/" + PercentEncode(DocumentId(document.name()));
}

PageContent DocumentListView(const DocumentQuery& query,
                             const google::protobuf::RepeatedPtrField<dv1::Document>& documents,
                             const std::string& next_page_token) {
  mstch::array rows;
  for (const auto& d : documents) {
    rows.push_back(mstch::map{{"href", DocumentHref(d)},
                              {"code", d.code()},
                              {"issue_iso", d.issue_date()},
                              {"issue_date", dates::IsoToDisplay(d.issue_date())},
                              {"subject", d.subject()},
                              {"issuer", d.issuer_name()}});
  }
  mstch::map context{
      {"q", query.q},
      {"field", query.field},
      {"type", query.type},
      {"issuer", query.issuer},
      {"year", query.year},
      {"validities", Options({{"", "Tất cả"},
                              {"con-hieu-luc", "Còn hiệu lực"},
                              {"chua-hieu-luc", "Chưa có hiệu lực"},
                              {"het-hieu-luc", "Hết hiệu lực"}},
                             query.validity)},
      {"searching", !query.q.empty()},
      {"count", std::to_string(documents.size())},
      {"has_documents", !rows.empty()},
      {"documents", rows},
      {"next_href", next_page_token.empty() ? std::string() : DocumentListHref(query, next_page_token)},
      {"first_href", query.page_token.empty() ? std::string() : DocumentListHref(query, "")},
  };
  PageContent page;
  page.title = query.q.empty() ? "Văn bản" : "Tìm kiếm văn bản: " + query.q;
  page.breadcrumb = {{"Văn bản", query.q.empty() ? "" : "/van-ban"}};
  if (!query.q.empty()) page.breadcrumb.emplace_back("Tìm kiếm", "");
  page.main_html = Render("document_list", context);
  page.etag_source = page.title + '\n' + page.main_html;
  page.last_modified_rfc1123 = LatestUpdate(documents);
  return page;
}

std::string ValidityText(const dv1::Document& d, const std::string& day_iso) {
  if (d.status() == dv1::WITHDRAWN) return "Đã thu hồi";
  if (!d.effective_date().empty() && d.effective_date() > day_iso) return "Chưa có hiệu lực";
  if (!d.expiry_date().empty() && d.expiry_date() < day_iso) return "Hết hiệu lực";
  return "Còn hiệu lực";
}

PageContent DocumentView(const dv1::Document& d, const std::vector<DocumentLink>& related,
                         const std::vector<DocumentLink>& replaces, const std::string& day_iso) {
  const std::string id = DocumentId(d.name());
  mstch::array attachments;
  for (const auto& a : d.attachments()) {
    const std::string& name = a.name();
    std::string attachment_id = name.substr(name.rfind('/') + 1);
    attachments.push_back(mstch::map{{"href", "/van-ban/" + PercentEncode(id) + "/tep/" + PercentEncode(attachment_id)},
                                     {"file_name", a.file_name()},
                                     {"size", DisplaySize(a.size_bytes())},
                                     {"media_type", a.media_type()}});
  }
  std::string validity = ValidityText(d, day_iso);
  mstch::array paragraphs = Paragraphs(d.body());
  mstch::map context{
      {"code", d.code()},
      {"type_name", d.type_name()},
      {"issue_iso", d.issue_date()},
      {"issue_date", dates::IsoToDisplay(d.issue_date())},
      {"effective_date", d.effective_date().empty() ? std::string() : dates::IsoToDisplay(d.effective_date())},
      {"expiry_date", d.expiry_date().empty() ? std::string() : dates::IsoToDisplay(d.expiry_date())},
      {"subject", d.subject()},
      {"issuer", d.issuer_name().empty() ? d.issuer_code() : d.issuer_name()},
      {"drafting_unit", d.drafting_unit()},
      {"signer", SignerText(d.signer())},
      {"fields", Joined(d.fields(), ", ")},
      {"validity", validity},
      {"in_force", validity == "Còn hiệu lực"},
      {"withdraw_reason", d.withdraw_reason()},
      {"has_related", !related.empty()},
      {"related", Links(related)},
      {"has_replaces", !replaces.empty()},
      {"replaces", Links(replaces)},
      {"has_attachments", !attachments.empty()},
      {"attachments", attachments},
      {"has_body", !paragraphs.empty()},
      {"paragraphs", paragraphs},
  };
  PageContent page;
  page.title = d.code() + ": " + d.subject();
  page.breadcrumb = {{"Văn bản", "/van-ban"}, {d.code(), ""}};
  page.main_html = Render("document", context);
  page.etag_source = page.title + '\n' + d.etag() + '\n' + page.main_html;
  page.last_modified_rfc1123 = HttpDate(d.update_time());
  return page;
}

}  // namespace cchc::portal::pages
