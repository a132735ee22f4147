// The seed page, rebuilt end to end: the document and news services running over PostgreSQL and the broker,
// the demo data loaded through cchcctl as `tools/dev up` loads it, and `cchcctl page` for the seed's day
// printing the page byte for byte (the page file has no final newline; the command ends with one).
#include <fstream>
#include <sstream>

#include "news_fixture.h"

namespace cchc::testing {
namespace {

class PortalPageTest : public NewsServiceTest {
 protected:
  static std::string Cchcctl(const std::string& args) {
    std::string err = dir_->Path() + "/cchcctl.err";
    std::string command = "{ '" + BinaryPath("cchcctl") + "' --token " + kAdmin + " --address " + document_address_ +
                          " " + args + " --news-address " + news_address_[0] + " 2>'" + err + "'; }";
    try {
      return Shell(command);
    } catch (const std::exception& e) {
      std::ifstream in(err);
      std::stringstream s;
      s << in.rdbuf();
      throw std::runtime_error(std::string(e.what()) + "\nstderr: " + s.str());
    }
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr const char* kSlug = "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016";

TEST_F(PortalPageTest, RebuildsTheSeedPageFromTheServicesAnswers) {
  const std::string demo = SourceDir() + "/tools/demo";
  // The document command has no --news-address: import documents with a plain call.
  Shell("'" + BinaryPath("cchcctl") + "' --token " + kAdmin + " --address " + document_address_ + " document import '" +
        demo + "/documents.json'");
  Cchcctl("article import '" + demo + "/articles.json'");
  Cchcctl("school-year import '" + demo + "/school_years.json'");

  std::string page = Cchcctl(std::string("page ") + kSlug + " --date 19/06/2018");
  std::string seed = ReadFile(SourceDir() + "/tests/data/seed_page.txt");
  ASSERT_FALSE(seed.empty());
  EXPECT_EQ(page, seed + "\n");

  // A day outside every school year has no theme line; a document issued after the page's day is not listed.
  std::string earlier = Cchcctl(std::string("page ") + kSlug + " --date 2017-06-19");
  EXPECT_EQ(earlier.find("Chủ đề năm học"), std::string::npos);
  EXPECT_EQ(earlier.find("998/QĐ-SGDĐT"), std::string::npos);
  EXPECT_EQ(earlier.find("1480/SNV-CCHC"), std::string::npos);  // 30/06/2017
  EXPECT_NE(earlier.find("1137/BC-SGDĐT"), std::string::npos);  // 16/05/2017

  // Importing again changes nothing: the page is the same.
  Cchcctl("article import '" + demo + "/articles.json'");
  Cchcctl("school-year import '" + demo + "/school_years.json'");
  EXPECT_EQ(Cchcctl(std::string("page ") + kSlug + " --date 2018-06-19"), seed + "\n");
}

TEST_F(PortalPageTest, SchoolYearsRefuseBadInputAndChangeNothing) {
  auto put = [](const std::string& token, const std::string& name, const std::string& start, const std::string& end) {
    news::v1::PutSchoolYearRequest req;
    req.mutable_school_year()->set_name(name);
    req.mutable_school_year()->set_start_date(start);
    req.mutable_school_year()->set_end_date(end);
    req.mutable_school_year()->set_theme("Năm học thử");
    news::v1::SchoolYear out;
    return Stub().PutSchoolYear(Context(token).get(), req, &out);
  };
  ASSERT_TRUE(put(kAdmin, "schoolYears/2030-2031", "2030-09-01", "2031-08-31").ok());
  std::string before = Sql("SELECT count(*), max(updated_at) FROM news.school_years");

  auto denied = put(kEditor, "schoolYears/2032-2033", "2032-09-01", "2033-08-31");
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << denied.error_message();
  auto overlap = put(kAdmin, "schoolYears/2031-2032", "2031-08-01", "2032-08-31");
  EXPECT_EQ(overlap.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << overlap.error_message();
  EXPECT_NE(overlap.error_message().find("schoolYears/2030-2031"), std::string::npos) << overlap.error_message();
  auto bad_date = put(kAdmin, "schoolYears/2034-2035", "2034-02-30", "2035-08-31");
  EXPECT_EQ(bad_date.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad_date.error_message().rfind("school_year.start_date:", 0), 0u) << bad_date.error_message();
  auto bad_name = put(kAdmin, "schoolYears/2034-2036", "2034-09-01", "2035-08-31");
  EXPECT_EQ(bad_name.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad_name.error_message().rfind("school_year.name:", 0), 0u) << bad_name.error_message();
  EXPECT_EQ(Sql("SELECT count(*), max(updated_at) FROM news.school_years"), before);

  news::v1::GetSchoolYearRequest get;
  get.set_date("2031-01-15");
  news::v1::SchoolYear year;
  ASSERT_TRUE(Stub().GetSchoolYear(Context(kReader).get(), get, &year).ok());
  EXPECT_EQ(year.name(), "schoolYears/2030-2031");
  get.set_date("2029-01-15");
  EXPECT_EQ(Stub().GetSchoolYear(Context(kReader).get(), get, &year).error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_date("15/01/2031");
  EXPECT_EQ(Stub().GetSchoolYear(Context(kReader).get(), get, &year).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(PortalPageTest, SchoolYearImportGoesOnPastFailuresWhenToldAndExitsWithTheFirstFailuresCode) {
  const std::string file = dir_->Path() + "/school_years_with_errors.json";
  std::ofstream(file) << R"([
    {"name": "schoolYears/2040-2041", "startDate": "2040-02-30", "endDate": "2041-08-31", "theme": "ngày sai"},
    {"name": "schoolYears/2042-2043", "startDate": "2042-09-01", "endDate": "2043-08-31", "theme": "đúng"},
    {"name": "schoolYears/2044-2046", "startDate": "2044-09-01", "endDate": "2045-08-31", "theme": "tên sai"}
  ])";
  const std::string err = dir_->Path() + "/import.err";
  // Runs the import; returns cchcctl's exit code (stdout dropped, stderr in `err`).
  auto import = [&](const std::string& flags) {
    return std::stoi(Shell("'" + BinaryPath("cchcctl") + "' --token " + kAdmin + " school-year import '" + file +
                           "' --news-address " + news_address_[0] + " " + flags + " >/dev/null 2>'" + err +
                           "'; echo $?"));
  };
  auto has_year = [](const std::string& day) {
    news::v1::GetSchoolYearRequest get;
    get.set_date(day);
    news::v1::SchoolYear year;
    return Stub().GetSchoolYear(Context(kReader).get(), get, &year).ok();
  };

  // By default the import stops at the first failure: 64 + INVALID_ARGUMENT, nothing after it put.
  EXPECT_EQ(import(""), 64 + 3) << ReadFile(err);
  EXPECT_NE(ReadFile(err).find("error: INVALID_ARGUMENT: " + file + ": entry 1: school_year.start_date:"),
            std::string::npos)
      << ReadFile(err);
  // The refusal's AIP-193 details follow the message.
  EXPECT_NE(ReadFile(err).find("[reason INVALID_FIELD, field school_year.start_date]\n"), std::string::npos)
      << ReadFile(err);
  EXPECT_FALSE(has_year("2042-10-01"));

  // --continue-on-error puts the valid entry, reports each failure and ends with the summary and the first
  // failure's code. No progress line: stderr is a file, not a terminal.
  EXPECT_EQ(import("--continue-on-error"), 64 + 3) << ReadFile(err);
  std::string report = ReadFile(err);
  EXPECT_TRUE(has_year("2042-10-01"));
  EXPECT_NE(report.find("entry 1: school_year.start_date:"), std::string::npos) << report;
  EXPECT_NE(report.find("entry 3: school_year.name:"), std::string::npos) << report;
  EXPECT_NE(report.find("[reason INVALID_NAME, field school_year.name]\n"), std::string::npos) << report;
  EXPECT_NE(report.find("\ndone 1, failed 2\n"), std::string::npos) << report;
  EXPECT_EQ(report.find('\r'), std::string::npos) << report;
}

}  // namespace
}  // namespace cchc::testing
