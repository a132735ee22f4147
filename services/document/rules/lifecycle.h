#pragma once
// The lifecycle of a document's validity (hiệu lực): what it is on a day, and which announcements are due then.
// Pure: days are ISO strings (yyyy-mm-dd) in Asia/Ho_Chi_Minh, "today" is given by the caller (an injected clock
// in tests), no SQL, no gRPC.
//
// A document is in force from its effective_date through its expiry_date, both inclusive. It is announced
// (DocumentBecameEffective) at 00:00 of its effective_date and (DocumentExpired) at 00:00 of the day after its
// expiry_date, but only for announcement days on or after both its publication day and the day the feature first
// started: a document published today whose effective_date is today is announced at once; dates already past
// at publication or at the first start are never announced (no backlog).
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"

namespace cchc::document {

// The validity on `today` of a document with these dates (empty: none) that `replaced` or not.
v1::Validity ValidityOn(const std::string& effective_date, const std::string& expiry_date, bool replaced,
                        const std::string& today);

enum class LifecycleKind { kBecameEffective = 1, kExpired = 2, kReplaced = 3 };

// The dates of a published document that the scheduler looks at.
struct LifecycleDates {
  std::string effective_date;  // "" when none
  std::string expiry_date;     // "" when none
  std::string published_day;   // the day of its first publication
};

// One announcement: its kind and its day (the effective_date; the day after the expiry_date).
struct DueTransition {
  LifecycleKind kind;
  std::string day;
  bool operator==(const DueTransition&) const = default;
};

// The announcements due by `today` for a document, in the order they happened (effective before expired), given the
// day the feature first started. Already announced ones are the caller's to skip.
std::vector<DueTransition> DueTransitions(const LifecycleDates& dates, const std::string& today,
                                          const std::string& first_start_day);

// The first day a scheduler pass must look at: one day before the day up to which every announcement was made
// (a document published just before midnight may commit after the pass that closed that day), never before the
// first start. `caught_up_through` empty: nothing done yet.
std::string ScanFrom(const std::string& first_start_day, const std::string& caught_up_through);

// `iso` plus `days` (may be negative).
std::string AddDays(const std::string& iso, int days);

}  // namespace cchc::document
