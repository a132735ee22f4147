#include "store/school_years.h"

#include "platform/domain_error.h"
#include "rules/school_year.h"

namespace cchc::news {
namespace {

// Columns every read returns, named as RowToYear reads them.
const std::string kSchoolYearColumns =
    "name, start_date::text AS start_date, end_date::text AS end_date, theme, updated_by, " +
    db::EpochMicros("updated_at") + " AS update_micros";

v1::SchoolYear RowToYear(const pqxx::row& r) {
  v1::SchoolYear y;
  y.set_name("schoolYears/" + r["name"].as<std::string>());
  y.set_start_date(r["start_date"].as<std::string>());
  y.set_end_date(r["end_date"].as<std::string>());
  y.set_theme(r["theme"].as<std::string>());
  y.set_updated_by(r["updated_by"].as<std::string>());
  db::SetTimestamp(y.mutable_update_time(), r["update_micros"].as<int64_t>());
  return y;
}

// Puts are serialised so two overlapping years cannot both pass the overlap check.
const db::Statement kLock{"school_year_lock", "SELECT pg_advisory_xact_lock(hashtext('school-years'))"};
const db::Statement kOverlap{"school_year_overlap",
                             "SELECT name FROM school_years WHERE name <> $1 AND start_date <= $3::date AND "
                             "end_date >= $2::date ORDER BY start_date LIMIT 1"};
const db::Statement kUpsert{
    "school_year_upsert",
    "INSERT INTO school_years (name, start_date, end_date, theme, updated_by) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (name) DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date, "
    "theme = excluded.theme, updated_by = excluded.updated_by, updated_at = clock_timestamp() RETURNING " +
        kSchoolYearColumns};

}  // namespace

v1::SchoolYear SchoolYearStore::Put(const v1::SchoolYear& year, const std::string& principal) {
  std::string id = *ParseSchoolYearName(year.name());
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(kLock.name);
    auto clash = tx.exec_prepared(kOverlap.name, id, year.start_date(), year.end_date());
    if (!clash.empty())
      throw DomainError(DomainErrorKind::kFailedPrecondition,
                        "school_year: " + year.start_date() + " … " + year.end_date() + " overlaps schoolYears/" +
                            clash[0]["name"].as<std::string>(),
                        platform::v1::OVERLAPPING_SCHOOL_YEAR);
    auto r = tx.exec_prepared(kUpsert.name, id, year.start_date(), year.end_date(), year.theme(), principal);
    tx.commit();
    return RowToYear(r[0]);
  });
}

namespace {
const db::Statement kGetSchoolYear{"school_year_get",
                                   "SELECT " + kSchoolYearColumns + " FROM school_years WHERE name = $1"};
}  // namespace

std::optional<v1::SchoolYear> SchoolYearStore::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::SchoolYear> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGetSchoolYear.name, id);
        if (r.empty()) return std::nullopt;
        return RowToYear(r[0]);
      },
      true);
}

namespace {
const db::Statement kOn{"school_year_on",
                        "SELECT " + kSchoolYearColumns +
                            " FROM school_years WHERE start_date <= $1::date AND end_date >= $1::date "
                            "ORDER BY start_date DESC LIMIT 1"};
}  // namespace

std::optional<v1::SchoolYear> SchoolYearStore::On(const std::string& iso_date) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::SchoolYear> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kOn.name, iso_date);
        if (r.empty()) return std::nullopt;
        return RowToYear(r[0]);
      },
      true);
}

std::vector<db::Statement> SchoolYearStatements() {
  return {kLock, kOverlap, kUpsert, kGetSchoolYear, kOn};
}

}  // namespace cchc::news
