#pragma once
// The portal page (trang cổng thông tin) as text, laid out as the Sở's portal shows it: the header with
// today's date the Vietnamese way and the school year's theme, the breadcrumb, the article, its reader
// comments and the sidebar of documents of one field. Pure functions: the `page` command fetches, this renders.
#include <chrono>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "cchc/news/v1/news.pb.h"

namespace cchc::cchcctl {

// Characters of a trích yếu the sidebar shows before it cuts at a word boundary and adds " ...".
inline constexpr size_t kSidebarSubjectChars = 100;

struct PortalPage {
  std::chrono::year_month_day today;
  std::string school_year_theme;  // chủ đề năm học; no line when empty
  cchc::news::v1::Article article;
  std::vector<cchc::news::v1::Comment> approved_comments;
  std::string sidebar_field;  // lĩnh vực of the sidebar's documents, e.g. "Cải cách hành chính"
  std::vector<cchc::document::v1::Document> sidebar_documents;
};

// "Hôm nay, ngày 19 tháng 06 năm 2018".
std::string VietnameseToday(std::chrono::year_month_day day);

// The article block: title, views, date (dd/mm/yyyy, Asia/Ho_Chi_Minh), the cover image's alternative text
// and the heading (both the title, as the portal repeats it), the lead, the body's paragraphs with the photo's
// caption where the photo stands, "Tác giả: …", "Nguồn: …", then "Ý kiến bạn đọc" and the approved comments.
std::string RenderArticle(const cchc::news::v1::Article& article,
                          const std::vector<cchc::news::v1::Comment>& approved_comments);

// The whole page, ending with a newline.
std::string RenderPortalPage(const PortalPage& page);

}  // namespace cchc::cchcctl
