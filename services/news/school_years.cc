#include "school_years.h"

#include "platform/errors.h"
#include "rules/school_year.h"

namespace cchc::news {
namespace {

const std::string kColumns =
    "name, start_date::text, end_date::text, theme, updated_by, " + db::EpochMicros("updated_at");

v1::SchoolYear RowToYear(const pqxx::row& r) {
  v1::SchoolYear y;
  y.set_name("schoolYears/" + r[0].as<std::string>());
  y.set_start_date(r[1].as<std::string>());
  y.set_end_date(r[2].as<std::string>());
  y.set_theme(r[3].as<std::string>());
  y.set_updated_by(r[4].as<std::string>());
  db::SetTimestamp(y.mutable_update_time(), r[5].as<int64_t>());
  return y;
}

}  // namespace

std::vector<db::Statement> SchoolYearStatements() {
  return {
      // Puts are serialised so two overlapping years cannot both pass the overlap check.
      {"school_year_lock", "SELECT pg_advisory_xact_lock(hashtext('school-years'))"},
      {"school_year_overlap",
       "SELECT name FROM school_years WHERE name <> $1 AND start_date <= $3::date AND end_date >= $2::date "
       "ORDER BY start_date LIMIT 1"},
      {"school_year_upsert",
       "INSERT INTO school_years (name, start_date, end_date, theme, updated_by) VALUES ($1, $2, $3, $4, $5) "
       "ON CONFLICT (name) DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date, "
       "theme = excluded.theme, updated_by = excluded.updated_by, updated_at = clock_timestamp() RETURNING " +
           kColumns},
      {"school_year_get", "SELECT " + kColumns + " FROM school_years WHERE name = $1"},
      {"school_year_on", "SELECT " + kColumns +
                             " FROM school_years WHERE start_date <= $1::date AND end_date >= $1::date "
                             "ORDER BY start_date DESC LIMIT 1"},
  };
}

v1::SchoolYear SchoolYears::Put(const v1::SchoolYear& year, const std::string& principal) {
  std::string id = *ParseSchoolYearName(year.name());
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared("school_year_lock");
    auto clash = tx.exec_prepared("school_year_overlap", id, year.start_date(), year.end_date());
    if (!clash.empty())
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION, "school_year: " + year.start_date() + " … " +
                                                                   year.end_date() + " overlaps schoolYears/" +
                                                                   clash[0][0].as<std::string>());
    auto r = tx.exec_prepared("school_year_upsert", id, year.start_date(), year.end_date(), year.theme(), principal);
    tx.commit();
    return RowToYear(r[0]);
  });
}

std::optional<v1::SchoolYear> SchoolYears::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::SchoolYear> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("school_year_get", id);
        if (r.empty()) return std::nullopt;
        return RowToYear(r[0]);
      },
      true);
}

std::optional<v1::SchoolYear> SchoolYears::On(const std::string& iso_date) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::SchoolYear> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("school_year_on", iso_date);
        if (r.empty()) return std::nullopt;
        return RowToYear(r[0]);
      },
      true);
}

}  // namespace cchc::news
