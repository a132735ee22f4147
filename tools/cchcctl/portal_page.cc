#include "portal_page.h"

#include <cstdio>

#include "platform/dates.h"
#include "platform/text.h"

namespace cchc::cchcctl {
namespace {

namespace news_v1 = cchc::news::v1;

// The portal sets numbers and codes off with a no-break space, and indents body paragraphs with three
// no-break space + space pairs (its editor's "&nbsp; &nbsp; &nbsp; ").
constexpr const char* kNbsp = "\u00a0";
constexpr const char* kParagraphIndent = "\u00a0 \u00a0 \u00a0 ";

std::string DisplayDay(const google::protobuf::Timestamp& t) {
  auto point = std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds()));
  return dates::IsoToDisplay(dates::ToIso(dates::VietnamDay(point)));
}

std::vector<std::string> Paragraphs(const std::string& body) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find("\n\n", start);
    std::string p = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!p.empty() && p.front() == '\n') p.erase(0, 1);
    if (!p.empty()) out.push_back(std::move(p));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

}  // namespace

std::string VietnameseToday(std::chrono::year_month_day day) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "Hôm nay, ngày %02u tháng %02u năm %d", static_cast<unsigned>(day.day()),
                static_cast<unsigned>(day.month()), static_cast<int>(day.year()));
  return buffer;
}

std::string RenderArticle(const news_v1::Article& a, const std::vector<news_v1::Comment>& approved) {
  std::string out = a.title() + "\n";
  out += kNbsp + std::to_string(a.view_count()) + "\n";
  out += std::string(kNbsp) + (a.has_publish_time() ? DisplayDay(a.publish_time()) : "") + "\n";
  out += a.title() + "\n\n";  // the cover image, shown by its alternative text
  out += a.title() + "\n\n";  // the heading
  if (!a.lead().empty()) out += a.lead() + "\n\n";

  auto paragraphs = Paragraphs(a.body());
  const std::string& caption = a.cover_image().caption();
  int figure_after = a.cover_image().after_paragraph();
  if (figure_after <= 0 || figure_after > static_cast<int>(paragraphs.size())) figure_after = 0;
  if (!caption.empty() && figure_after == 0) out += caption + "\n\n";
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    out += kParagraphIndent + paragraphs[i] + "\n";
    if (!caption.empty() && static_cast<int>(i) + 1 == figure_after && i + 1 < paragraphs.size())
      out += "\n\n" + caption + "\n\n";
  }
  if (!caption.empty() && figure_after == static_cast<int>(paragraphs.size()) && figure_after > 0)
    out += "\n\n" + caption + "\n";
  out += "\n";
  if (!a.author().empty()) out += "Tác giả: " + a.author() + "\n";
  if (!a.source().empty()) out += "Nguồn: " + a.source() + "\n";
  out += "\nÝ kiến bạn đọc\n";
  for (const auto& c : approved) {
    out += "\n" + c.author_name() + " (" + (c.has_create_time() ? DisplayDay(c.create_time()) : "") + ")\n";
    out += c.content() + "\n";
  }
  return out;
}

std::string RenderPortalPage(const PortalPage& page) {
  std::string out = VietnameseToday(page.today) + "\n";
  if (!page.school_year_theme.empty()) out += "Chủ đề năm học: " + page.school_year_theme + "\n";
  out += page.article.category() + "\n";  // the breadcrumb: the article's category
  out += RenderArticle(page.article, page.approved_comments);
  out += "\nVăn bản " + page.sidebar_field + "\n";
  for (size_t i = 0; i < page.sidebar_documents.size(); ++i) {
    const auto& d = page.sidebar_documents[i];
    if (i > 0) out += "\n\n";
    out += kNbsp + d.code() + "\n" + dates::IsoToDisplay(d.issue_date()) + "\n\n" +
           text::TruncateAtWord(d.subject(), kSidebarSubjectChars);
  }
  return out + "\n";
}

}  // namespace cchc::cchcctl
