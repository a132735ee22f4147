#pragma once
// Slugs (đường dẫn tĩnh) of articles: the title without accents, lower case, words joined by '-'.
#include <string>
#include <string_view>

namespace cchc::news {

inline constexpr size_t kMaxSlugChars = 120;

// "Ủy ban nhân dân tỉnh Sóc Trăng…" → "uy-ban-nhan-dan-tinh-soc-trang-…": folded (accents, đ, case), every run
// of other characters one '-', no '-' at either end, cut back to a word boundary within kMaxSlugChars.
// Empty when `title` has no letter or digit.
std::string MakeSlug(std::string_view title);

// True when `slug` is what MakeSlug could produce: [a-z0-9]+ words joined by single '-', at most kMaxSlugChars.
bool IsValidSlug(std::string_view slug);

}  // namespace cchc::news
