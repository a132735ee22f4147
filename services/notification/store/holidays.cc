#include "store/holidays.h"

#include <algorithm>

#include "platform/dates.h"

namespace cchc::notification {
namespace {

// Import: the year $1's holidays, removed (their days returned), then $2 (ISO days) named $3 inserted.
const db::Statement kDeleteYear{
    "delete_holidays_of_year",
    "DELETE FROM holidays WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) RETURNING day::text "
    "AS day"};
const db::Statement kInsert{"insert_holidays",
                            "INSERT INTO holidays (day, display_name) SELECT * FROM unnest($1::date[], $2::text[])"};
// List: the year $1's, in date order.
const db::Statement kList{"list_holidays",
                          "SELECT day::text AS day, display_name FROM holidays WHERE day >= make_date($1, 1, 1) AND "
                          "day < make_date($1 + 1, 1, 1) ORDER BY day"};
// From: the days from $1 (ISO) to $2 days after it.
const db::Statement kFrom{"holidays_from",
                          "SELECT day::text AS day FROM holidays WHERE day >= $1::date AND day < $1::date + $2::int "
                          "ORDER BY day"};

}  // namespace

std::vector<db::Statement> HolidayStatements() {
  return {kDeleteYear, kInsert, kList, kFrom};
}

ImportedHolidays HolidayStore::Import(int year, const std::vector<HolidaySpec>& holidays) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::vector<std::string> days, names;
    for (const auto& h : holidays) days.push_back(dates::ToIso(h.day)), names.push_back(h.display_name);
    ImportedHolidays out;
    for (const auto& r : tx.exec_prepared(kDeleteYear.name, year))
      if (std::find(days.begin(), days.end(), r["day"].as<std::string>()) == days.end()) ++out.removed;
    if (!days.empty()) tx.exec_prepared(kInsert.name, db::TextArrayLiteral(days), db::TextArrayLiteral(names));
    tx.commit();
    out.imported = static_cast<int>(days.size());
    return out;
  });
}

std::vector<HolidaySpec> HolidayStore::List(int year) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<HolidaySpec> out;
        for (const auto& r : tx.exec_prepared(kList.name, year))
          out.push_back({*dates::ParseIso(r["day"].as<std::string>()), r["display_name"].as<std::string>()});
        return out;
      },
      true);
}

Holidays HolidayStore::From(std::chrono::sys_days from) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        Holidays out;
        for (const auto& r :
             tx.exec_prepared(kFrom.name, dates::ToIso(std::chrono::year_month_day(from)), kMaxDaysAhead))
          out.insert(std::chrono::sys_days(*dates::ParseIso(r["day"].as<std::string>())));
        return out;
      },
      true);
}

}  // namespace cchc::notification
