#pragma once
// The day a page is shown for: today in Asia/Ho_Chi_Minh, or the ?date=YYYY-MM-DD of an archive view (the
// header and the sidebar as they stood that day), and the header's Vietnamese line for it.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::portal {

struct PageDay {
  std::chrono::year_month_day day;
  bool archive = false;  // asked with ?date=: counts no view
};

// `date_param` empty: today at `now` in Asia/Ho_Chi_Minh. Else it must be an ISO day (yyyy-mm-dd, a real
// calendar day in 1900..2199), else nullopt (the page answers 400).
std::optional<PageDay> DayOfRequest(std::string_view date_param, std::chrono::system_clock::time_point now);

// "Hôm nay, ngày 19 tháng 06 năm 2018": the header's date, as the Sở's portal writes it.
std::string VietnameseToday(std::chrono::year_month_day day);

// 00:00 of `day` in Asia/Ho_Chi_Minh (UTC+7), as an IMF-fixdate: when a page's header last changed.
std::string StartOfDayHttpDate(std::chrono::year_month_day day);

}  // namespace cchc::portal
