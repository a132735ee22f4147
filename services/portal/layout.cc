#include "layout.h"

#include "platform/dates.h"
#include "platform/log.h"
#include "platform/text.h"
#include "templates.h"

namespace cchc::portal {
namespace {

namespace dv1 = document::v1;

// The theme of the school year holding `iso_day`; "" when none does. Throws grpc::Status's code otherwise.
bool ThemeOn(const Clients& clients, const std::string& iso_day, const std::string& traceparent, std::string* theme) {
  news::v1::GetSchoolYearRequest req;
  req.set_date(iso_day);
  news::v1::SchoolYear year;
  grpc::ClientContext ctx;
  clients.Prepare(ctx, traceparent);
  grpc::Status status = clients.news->GetSchoolYear(&ctx, req, &year);
  if (status.ok()) *theme = year.theme();
  if (status.ok() || status.error_code() == grpc::StatusCode::NOT_FOUND) return true;
  log::Warn("school year unavailable",
            {{"code", std::to_string(status.error_code())}, {"error", status.error_message()}});
  return false;
}

bool SidebarDocuments(const Clients& clients, const SidebarSettings& settings, const std::string& iso_day,
                      const std::string& traceparent, std::vector<dv1::Document>* out) {
  dv1::ListDocumentsRequest req;
  req.mutable_filter()->set_field(settings.field);
  req.mutable_filter()->set_status(dv1::PUBLISHED);
  req.mutable_filter()->set_issue_date_to(iso_day);
  req.set_view(dv1::BASIC);  // name, code, issue date, subject and etag are all the sidebar shows
  while (static_cast<int>(out->size()) < settings.documents) {
    req.set_page_size(std::min(100, settings.documents - static_cast<int>(out->size())));
    dv1::ListDocumentsResponse page;
    grpc::ClientContext ctx;
    clients.Prepare(ctx, traceparent);
    grpc::Status status = clients.documents->ListDocuments(&ctx, req, &page);
    if (!status.ok()) {
      log::Warn("sidebar unavailable",
                {{"code", std::to_string(status.error_code())}, {"error", status.error_message()}});
      out->clear();
      return false;
    }
    for (auto& d : *page.mutable_documents()) out->push_back(std::move(d));
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  if (static_cast<int>(out->size()) > settings.documents) out->resize(settings.documents);
  return true;
}

std::string ErrorTitle(int status) {
  switch (status) {
    case 400:
      return "Yêu cầu không hợp lệ";
    case 404:
      return "Không tìm thấy trang";
    case 429:
      return "Quá nhiều yêu cầu";
    case 503:
      return "Dịch vụ tạm thời gián đoạn";
    default:
      return "Lỗi máy chủ";
  }
}

}  // namespace

std::string DocumentHref(const std::string& name) {
  auto slash = name.find('/');
  return "/van-ban/" + (slash == std::string::npos ? name : name.substr(slash + 1));
}

LayoutParts FetchLayoutParts(const Clients& clients, const SidebarSettings& settings, const PageDay& day,
                             const std::string& traceparent) {
  LayoutParts parts;
  parts.day = day;
  const std::string iso = dates::ToIso(day.day);
  parts.theme_available = ThemeOn(clients, iso, traceparent, &parts.theme);
  parts.sidebar.field = settings.field;
  parts.sidebar.available = SidebarDocuments(clients, settings, iso, traceparent, &parts.sidebar.documents);
  return parts;
}

std::string RenderLayout(const LayoutParts& parts, const PageContent& given) {
  const PageContent page = given.status == 200 ? given : ErrorPage(given.status, given.message);
  mstch::array breadcrumb;
  for (const auto& [label, href] : page.breadcrumb)
    breadcrumb.push_back(mstch::map{{"label", label}, {"href", href}, {"linked", !href.empty()}});
  mstch::array documents;
  for (const auto& d : parts.sidebar.documents)
    documents.push_back(mstch::map{{"href", DocumentHref(d.name())},
                                   {"code", d.code()},
                                   {"iso", d.issue_date()},
                                   {"date", dates::IsoToDisplay(d.issue_date())},
                                   {"subject", text::TruncateAtWord(d.subject(), kSidebarSubjectChars)},
                                   {"full_subject", d.subject()}});
  mstch::map context{{"title", page.title},
                     {"today", VietnameseToday(parts.day.day)},
                     {"today_iso", dates::ToIso(parts.day.day)},
                     {"archive", parts.day.archive},
                     {"has_theme", !parts.theme.empty()},
                     {"theme", parts.theme},
                     {"theme_unavailable", !parts.theme_available},
                     {"breadcrumb", breadcrumb},
                     {"has_breadcrumb", !breadcrumb.empty()},
                     {"main_html", page.main_html},
                     {"sidebar_field", parts.sidebar.field},
                     {"sidebar_available", parts.sidebar.available},
                     {"documents", documents}};
  return RenderTemplate("layout.mustache", context);
}

std::string LayoutFingerprint(const LayoutParts& parts) {
  std::string out = dates::ToIso(parts.day.day) + (parts.day.archive ? "|a|" : "|t|") + parts.theme + "|" +
                    (parts.theme_available ? "1" : "0") + (parts.sidebar.available ? "1" : "0");
  for (const auto& d : parts.sidebar.documents) out += "|" + d.name() + "@" + d.etag();
  return out;
}

PageContent ErrorPage(int status, const std::string& message) {
  PageContent page;
  page.status = status;
  page.message = message;
  page.title = ErrorTitle(status);
  page.breadcrumb = {{"Trang chủ", "/"}, {page.title, ""}};
  page.main_html = RenderTemplate(
      "error.mustache", mstch::map{{"title", page.title}, {"message", message}, {"status", std::to_string(status)}});
  return page;
}

PageContent ErrorFromStatus(const grpc::Status& status, const std::string& what) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return ErrorPage(404, "Không tìm thấy " + what + ".");
    case grpc::StatusCode::INVALID_ARGUMENT:
      return ErrorPage(400, "Yêu cầu về " + what + " không hợp lệ.");
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return ErrorPage(429, "Hệ thống đang bận; xin thử lại sau ít phút.");
    default:
      log::Warn("page unavailable",
                {{"what", what}, {"code", std::to_string(status.error_code())}, {"error", status.error_message()}});
      return ErrorPage(503, "Không tải được " + what + " lúc này (dịch vụ không trả lời). Xin thử lại sau ít phút.");
  }
}

}  // namespace cchc::portal
