#include "rules/slug.h"

#include "platform/text.h"

namespace cchc::news {
namespace {
bool IsSlugChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
}  // namespace

std::string MakeSlug(std::string_view title) {
  std::string folded = text::Fold(title);
  std::string out;
  bool pending_dash = false;
  for (char c : folded) {
    if (!IsSlugChar(c)) {
      pending_dash = !out.empty();
      continue;
    }
    if (pending_dash) out += '-';
    pending_dash = false;
    out += c;
  }
  if (out.size() > kMaxSlugChars) {
    size_t cut = out.rfind('-', kMaxSlugChars);
    out.resize(cut == std::string::npos || cut == 0 ? kMaxSlugChars : cut);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out;
}

bool IsValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > kMaxSlugChars || slug.front() == '-' || slug.back() == '-') return false;
  for (size_t i = 0; i < slug.size(); ++i) {
    if (slug[i] == '-') {
      if (slug[i - 1] == '-') return false;
    } else if (!IsSlugChar(slug[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace cchc::news
