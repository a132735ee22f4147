#pragma once
// Public holidays (ngày nghỉ lễ) in storage (migration 007): whole local days on which no webhook or e-mail goes
// out. An operator replaces one year's at a time; the delivery workers read the days ahead. Refusals are
// cchc::DomainError.
#include <chrono>
#include <vector>

#include "platform/db.h"
#include "rules/holidays.h"
#include "rules/send_windows.h"

namespace cchc::notification {

// The statements HolidayStore runs, for the pool to prepare on every connection.
std::vector<db::Statement> HolidayStatements();

struct ImportedHolidays {
  int imported = 0;  // the year's holidays now
  int removed = 0;   // the year's holidays before that are gone
};

class HolidayStore {
 public:
  explicit HolidayStore(db::Pool& pool) : pool_(pool) {}

  // In one transaction: the holidays of `year` become `holidays` (each in that year, as ValidateHolidays
  // returns them).
  ImportedHolidays Import(int year, const std::vector<HolidaySpec>& holidays);
  // The holidays of `year`, in date order.
  std::vector<HolidaySpec> List(int year);
  // The holidays from local day `from` on, at most kMaxDaysAhead days ahead (bounded by the yearly limit).
  Holidays From(std::chrono::sys_days from);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::notification
