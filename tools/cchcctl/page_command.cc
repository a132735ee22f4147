// `cchcctl page` (the portal page, assembled from the services' answers alone) and `cchcctl school-year …`
// (put, get, import: the header's chủ đề năm học).
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "conventions.h"
#include "document_format.h"
#include "news_client.h"
#include "platform/dates.h"
#include "platform/errors.h"
#include "portal_page.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

namespace document_v1 = cchc::document::v1;

struct PageArgs {
  std::string article;  // slug or articles/{id}
  std::string date;     // yyyy-mm-dd or dd/mm/yyyy; default today in Asia/Ho_Chi_Minh
  std::string field = "Cải cách hành chính";
  int documents = 30;
};

std::chrono::year_month_day ParseDay(const std::string& text, const std::string& option) {
  if (text.empty()) return dates::VietnamDay();
  if (auto d = dates::ParseIso(text)) return *d;
  if (auto d = dates::ParseDisplay(text)) return *d;
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, option + ": a date, yyyy-mm-dd or dd/mm/yyyy");
}

// The theme of the school year that contains `day`; none (no header line) when no year does.
std::string ThemeOn(Client& client, const std::string& iso_day) {
  news_v1::GetSchoolYearRequest req;
  req.set_date(iso_day);
  news_v1::SchoolYear year;
  grpc::Status status = News().Stub().GetSchoolYear(client.NewContext().get(), req, &year);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return "";
  News().Check(status);
  return year.theme();
}

// The newest `limit` published documents of `field` issued on or before `iso_day`.
std::vector<document_v1::Document> SidebarDocuments(Client& client, const std::string& field,
                                                    const std::string& iso_day, int limit) {
  std::vector<document_v1::Document> out;
  document_v1::ListDocumentsRequest req;
  req.mutable_filter()->set_field(field);
  req.mutable_filter()->set_status(document_v1::PUBLISHED);
  req.mutable_filter()->set_issue_date_to(iso_day);
  while (static_cast<int>(out.size()) < limit) {
    req.set_page_size(std::min(100, limit - static_cast<int>(out.size())));
    document_v1::ListDocumentsResponse page;
    client.Check(client.Documents().ListDocuments(client.NewContext().get(), req, &page));
    for (auto& d : *page.mutable_documents()) out.push_back(std::move(d));
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

void RunPage(Client& client, const PageArgs& a) {
  PortalPage page;
  page.today = ParseDay(a.date, "--date");
  std::string iso_day = dates::ToIso(page.today);
  page.school_year_theme = ThemeOn(client, iso_day);
  page.article = ResolveArticle(client, a.article);
  page.approved_comments = ApprovedComments(client, page.article.name());
  page.sidebar_field = a.field;
  page.sidebar_documents = SidebarDocuments(client, a.field, iso_day, a.documents);
  std::cout << RenderPortalPage(page);
}

struct SchoolYearArgs {
  std::string name, start, end, theme, date, file;
  bool continue_on_error = false;
};

void PrintYear(const Client& client, const news_v1::SchoolYear& y) {
  if (client.options().json) return PrintJson(std::cout, y);
  PrintKeyValues(std::cout, {{"Năm học", y.name()},
                             {"Từ ngày", dates::IsoToDisplay(y.start_date())},
                             {"Đến ngày", dates::IsoToDisplay(y.end_date())},
                             {"Chủ đề năm học", y.theme()}});
}

std::string YearName(const std::string& given) {
  return given.rfind("schoolYears/", 0) == 0 ? given : "schoolYears/" + given;
}

news_v1::SchoolYear Put(Client& client, const news_v1::SchoolYear& year) {
  news_v1::PutSchoolYearRequest req;
  *req.mutable_school_year() = year;
  news_v1::SchoolYear out;
  News().Check(News().Stub().PutSchoolYear(client.NewContext().get(), req, &out));
  return out;
}

void RunPut(Client& client, const SchoolYearArgs& a) {
  news_v1::SchoolYear year;
  year.set_name(YearName(a.name));
  year.set_start_date(dates::ToIso(ParseDay(a.start, "--start")));
  year.set_end_date(dates::ToIso(ParseDay(a.end, "--end")));
  year.set_theme(a.theme);
  PrintYear(client, Put(client, year));
}

void RunGet(Client& client, const SchoolYearArgs& a) {
  news_v1::GetSchoolYearRequest req;
  if (!a.name.empty())
    req.set_name(YearName(a.name));
  else
    req.set_date(dates::ToIso(ParseDay(a.date, "--date")));
  news_v1::SchoolYear out;
  News().Check(News().Stub().GetSchoolYear(client.NewContext().get(), req, &out));
  PrintYear(client, out);
}

// A JSON array of SchoolYear objects (proto JSON names). Putting the same year again changes nothing.
void RunImport(Client& client, const SchoolYearArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) throw StatusError(grpc::StatusCode::NOT_FOUND, "cannot read " + a.file);
  nlohmann::json root = nlohmann::json::parse(in, nullptr, false);
  if (root.is_discarded() || !root.is_array())
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, a.file + ": expected a JSON array of school years");
  ImportRun run(root.size(), a.continue_on_error);
  for (size_t i = 0; i < root.size(); ++i)
    run.Run(a.file + ": entry " + std::to_string(i + 1), [&] {
      news_v1::SchoolYear year;
      auto status = google::protobuf::util::JsonStringToMessage(root[i].dump(), &year);
      if (!status.ok()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, std::string(status.message()));
      Put(client, year);
    });
  run.Finish();
  std::cout << "school years: " << root.size() << '\n';
}

}  // namespace

void AddPageCommand(CLI::App& app, Action* slot) {
  auto args = std::make_shared<PageArgs>();
  CLI::App* page = app.add_subcommand(
      "page", "Print the portal page of an article: header, breadcrumb, article, comments, documents sidebar");
  AddNewsAddressOption(page);
  page->add_option("article", args->article, "Slug or articles/{id}")->required();
  page->add_option("--date", args->date, "The page's day (yyyy-mm-dd or dd/mm/yyyy); default today");
  page->add_option("--field", args->field, "Lĩnh vực of the sidebar's documents")->capture_default_str();
  page->add_option("--documents", args->documents, "How many documents the sidebar lists")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  OnRun(page, slot, args, &RunPage);
}

void AddSchoolYearCommands(CLI::App& app, Action* slot) {
  CLI::App* group = app.add_subcommand("school-year", "Năm học: the school years and their themes");
  group->require_subcommand(1);
  auto args = std::make_shared<SchoolYearArgs>();

  CLI::App* put = group->add_subcommand("put", "Create or replace a school year");
  AddNewsAddressOption(put);
  put->add_option("name", args->name, "2017-2018 or schoolYears/2017-2018")->required();
  put->add_option("--start", args->start, "First day")->required();
  put->add_option("--end", args->end, "Last day")->required();
  put->add_option("--theme", args->theme, "Chủ đề năm học")->required();
  OnRun(put, slot, args, &RunPut);

  CLI::App* get = group->add_subcommand("get", "A school year by name, or the one containing --date");
  AddNewsAddressOption(get);
  get->add_option("name", args->name, "2017-2018 or schoolYears/2017-2018");
  get->add_option("--date", args->date, "A day (default today)");
  OnRun(get, slot, args, &RunGet);

  CLI::App* import = group->add_subcommand("import", "Put the school years of a JSON file (idempotent)");
  AddNewsAddressOption(import);
  import->add_option("file", args->file, "e.g. tools/demo/school_years.json")->required();
  AddContinueOnError(import, &args->continue_on_error);
  OnRun(import, slot, args, &RunImport);
}

}  // namespace cchc::cchcctl
