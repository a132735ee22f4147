// examples/python/cchc_client.py, run by /usr/bin/python3 against the whole system: the sidebar it reads is the
// one the C++ stub reads, a search without accents finds the accented document, the inbox watch ends with the
// notification the test triggered (or by its time-out when none comes), and the Standard Webhooks verifier
// accepts the specification's test vector and refuses a tampered body or an old timestamp.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "system/examples_fixture.h"

namespace cchc::testing {
namespace {

// The JSON objects of `text`, one a line.
std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST_F(ExamplesTest, PythonSidebarIsWhatTheCppClientSees) {
  auto run = Run(Client("--json sidebar --date 2018-06-19 --limit 30", Tokens::kReader));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto lines = JsonLines(run.out);

  dv1::ListDocumentsRequest req;
  req.mutable_filter()->set_field("Cải cách hành chính");
  req.mutable_filter()->set_status(dv1::PUBLISHED);
  req.mutable_filter()->set_issue_date_to("2018-06-19");
  req.set_page_size(30);
  dv1::ListDocumentsResponse cpp;
  ASSERT_TRUE(stack_->Documents().ListDocuments(SystemStack::Context(Tokens::kReader).get(), req, &cpp).ok());
  ASSERT_EQ(cpp.documents_size(), 26);
  ASSERT_EQ(lines.size(), 26u) << run.out;
  for (int i = 0; i < cpp.documents_size(); ++i) {
    EXPECT_EQ(lines[i]["name"], cpp.documents(i).name());
    EXPECT_EQ(lines[i]["code"], cpp.documents(i).code());
    EXPECT_EQ(lines[i]["subject"], cpp.documents(i).subject());
  }
  EXPECT_EQ(lines[0]["code"], "998/QĐ-SGDĐT");  // newest first: 07/06/2018

  // The text form: Số/ký hiệu | dd/mm/yyyy | trích yếu.
  run = Run(Client("sidebar --date 2018-06-19 --limit 2", Tokens::kReader));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("998/QĐ-SGDĐT | 07/06/2018 | Công bố chỉ số cải cách hành chính", 0), 0u) << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2);
}

TEST_F(ExamplesTest, PythonSearchIgnoresAccents) {
  auto run = Run(Client("--json search cong bo chi so cai cach hanh chinh nam 2017", Tokens::kReader));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto lines = JsonLines(run.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0]["code"], "998/QĐ-SGDĐT") << run.out;
  EXPECT_EQ(
      lines[0]["subject"],
      "Công bố chỉ số cải cách hành chính đối với các đơn vị sự nghiệp trực thuộc Sở Giáo dục và Đào tạo năm 2017");

  // A failed call exits with 64 + its gRPC code, as cchcctl does: an unknown token is UNAUTHENTICATED (16).
  run = Run(Client("search cai cach", "no-such-token"));
  EXPECT_EQ(run.exit_code, 64 + 16) << run.err;
  EXPECT_NE(run.err.find("UNAUTHENTICATED"), std::string::npos) << run.err;
}

TEST_F(ExamplesTest, PythonInboxWatchEndsWithTheTriggeredNotificationOrByTimeOut) {
  const std::string log = stack_->Dir() + "/python-watch.log";
  Process watch({"/bin/sh", "-c", Client("--json watch TCCB --max 1 --timeout 60", Tokens::kTccbInbox)}, log);
  dv1::Document doc = Publish("1402/SGDĐT-TCCB", "Về việc bổ nhiệm lại viên chức quản lý năm 2018", "Tổ chức cán bộ");
  ASSERT_EQ(watch.Wait(std::chrono::seconds(60)), 0) << watch.Log();
  const std::string out = watch.Log();
  auto first = out.find('{');
  ASSERT_NE(first, std::string::npos) << out;
  auto n = nlohmann::json::parse(out.substr(first, out.find('\n', first) - first));
  EXPECT_EQ(n["subject"], doc.name());
  EXPECT_EQ(n["event_type"], "cchc.document.v1.DocumentPublished");
  EXPECT_NE(out.find("watch: 1 notification(s), ended by max"), std::string::npos) << out;

  // Nothing after it: the watch ends by its time-out, having printed nothing.
  const std::string cursor = n["cursor"].get<std::string>();  // int64 is a string in proto JSON
  auto started = std::chrono::steady_clock::now();
  auto run = Run(Client("--json watch TCCB --max 1 --timeout 2 --after " + cursor, Tokens::kTccbInbox));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("watch: 0 notification(s), ended by timeout, last cursor " + cursor), std::string::npos)
      << run.err;
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

// The Standard Webhooks 1.0 test vector (reference/webhooks.md), through the client's command line.
TEST_F(ExamplesTest, PythonWebhookVerifierAcceptsTheSpecVectorAndRefusesTampering) {
  const std::string body_file = stack_->Dir() + "/webhook-body.json";
  Shell("printf '%s' " + ShellQuote(R"({"test": 2432232314})") + " > " + ShellQuote(body_file));
  auto verify = [&](const std::string& body, const std::string& extra) {
    return Run(
        Client("verify-webhook --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --id msg_p5jXN8AQM9LWM0D4loKWxJek"
               " --timestamp 1614265330 --signature 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='"
               " --body-file " +
               ShellQuote(body) + " " + extra));
  };
  auto accepted = verify(body_file, "--now 1614265400");
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(accepted.out, "verified\n");

  const std::string tampered_file = stack_->Dir() + "/webhook-body-tampered.json";
  Shell("printf '%s' " + ShellQuote(R"({"test": 2432232315})") + " > " + ShellQuote(tampered_file));
  auto tampered = verify(tampered_file, "--now 1614265400");
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.err.find("no v1 signature matches"), std::string::npos) << tampered.err;

  auto old = verify(body_file, "");  // judged by today's clock: years too old
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_NE(old.err.find("webhook-timestamp: more than 300 s from now"), std::string::npos) << old.err;
}

}  // namespace
}  // namespace cchc::testing
