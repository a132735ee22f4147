// `cchcctl notify holidays import FILE` and `cchcctl notify holidays list --year YYYY` (ngày nghỉ lễ, admin): the
// file (holiday_file.h) is read line by line, then each year it names replaces that year's holidays in one
// ImportHolidays call. With --continue-on-error a bad line or a refused year is reported and the rest goes on;
// the summary counts lines and years.
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "conventions.h"
#include "holiday_file.h"
#include "notify_client.h"
#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

struct HolidayArgs {
  std::string file;
  int year = 0;
  bool continue_on_error = false;
};

void RunHolidayImport(Client& client, const HolidayArgs& a) {
  std::ifstream in(a.file);
  if (!in) throw StatusError(grpc::StatusCode::NOT_FOUND, a.file + ": cannot read");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line) && lines.size() <= 10000;) lines.push_back(line);
  if (lines.size() > 10000) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, a.file + ": over 10000 lines");
  std::map<int, notify_v1::ImportHolidaysRequest> years;
  ImportRun read(lines.size(), a.continue_on_error);
  for (size_t i = 0; i < lines.size(); ++i)
    read.Run(a.file + ":" + std::to_string(i + 1), [&] {
      auto h = ParseHolidayLine(lines[i]);
      if (!h) return;
      int year = std::stoi(h->date.substr(0, 4));
      auto& req = years[year];
      req.set_year(year);
      auto* out = req.add_holidays();
      out->set_date(h->date);
      out->set_display_name(h->name);
    });
  ImportRun send(years.size(), a.continue_on_error);
  nlohmann::json summary = nlohmann::json::array();
  for (const auto& [year, req] : years)
    send.Run("year " + std::to_string(year), [&] {
      notify_v1::ImportHolidaysResponse out;
      Notifications().Check(Notifications().Stub().ImportHolidays(client.NewContext().get(), req, &out));
      summary.push_back({{"year", out.year()}, {"imported", out.imported()}, {"removed", out.removed()}});
      if (!client.options().json)
        std::cout << out.year() << ": " << out.imported() << " holidays, " << out.removed() << " removed\n";
    });
  if (client.options().json) std::cout << nlohmann::json{{"years", summary}}.dump() << '\n';
  read.Finish();
  send.Finish();
}

void RunHolidayList(Client& client, const HolidayArgs& a) {
  notify_v1::ListHolidaysRequest req;
  req.set_year(a.year);
  notify_v1::ListHolidaysResponse out;
  Notifications().Check(Notifications().Stub().ListHolidays(client.NewContext().get(), req, &out));
  if (client.options().json) {
    for (const auto& h : out.holidays()) PrintJsonLine(std::cout, h);
    return;
  }
  for (const auto& h : out.holidays()) std::cout << h.date() << "  " << h.display_name() << '\n';
}

}  // namespace

void AddNotifyHolidayCommands(CLI::App* notify, Action* slot) {
  auto args = std::make_shared<HolidayArgs>();
  CLI::App* holidays = notify->add_subcommand("holidays", "Ngày nghỉ lễ: no webhook or e-mail on these days");
  holidays->require_subcommand(1);
  CLI::App* import =
      NotifySub(holidays, "import", "Replace each year in FILE (CSV: date,name per line) with its holidays (admin)");
  import->add_option("file", args->file, "e.g. holidays-2027.csv: lines like 06/02/2027,Tết Nguyên đán")->required();
  AddContinueOnError(import, &args->continue_on_error);
  OnRun(import, slot, args, &RunHolidayImport);
  CLI::App* list = NotifySub(holidays, "list", "The holidays of a year (admin)");
  list->add_option("--year", args->year, "e.g. 2027")->required();
  OnRun(list, slot, args, &RunHolidayList);
}

}  // namespace cchc::cchcctl
