#include "lifecycle.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "platform/dates.h"

namespace cchc::document {

v1::Validity ValidityOn(const std::string& effective_date, const std::string& expiry_date, bool replaced,
                        const std::string& today) {
  if (replaced) return v1::REPLACED;
  if (!effective_date.empty() && effective_date > today) return v1::NOT_YET_IN_FORCE;
  if (!expiry_date.empty() && expiry_date < today) return v1::EXPIRED;
  return v1::IN_FORCE;
}

std::string AddDays(const std::string& iso, int days) {
  auto d = dates::ParseIso(iso);
  if (!d) throw std::invalid_argument("not an ISO date: " + iso);
  return dates::ToIso(std::chrono::year_month_day(std::chrono::sys_days(*d) + std::chrono::days(days)));
}

std::vector<DueTransition> DueTransitions(const LifecycleDates& dates, const std::string& today,
                                          const std::string& first_start_day) {
  // ISO days compare as strings.
  const std::string earliest = std::max(dates.published_day, first_start_day);
  std::vector<DueTransition> due;
  auto consider = [&](LifecycleKind kind, const std::string& day) {
    if (!day.empty() && day >= earliest && day <= today) due.push_back({kind, day});
  };
  if (!dates.effective_date.empty()) consider(LifecycleKind::kBecameEffective, dates.effective_date);
  if (!dates.expiry_date.empty()) consider(LifecycleKind::kExpired, AddDays(dates.expiry_date, 1));
  return due;
}

std::string ScanFrom(const std::string& first_start_day, const std::string& caught_up_through) {
  if (caught_up_through.empty()) return first_start_day;
  return std::max(first_start_day, AddDays(caught_up_through, -1));
}

}  // namespace cchc::document
