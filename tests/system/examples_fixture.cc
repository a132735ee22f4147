#include "system/examples_fixture.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cchc::testing {

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void ExamplesTest::SetUpTestSuite() {
  WholeSystemTest::SetUpTestSuite();
  stack_->Cchcctl("document import " + ShellQuote(SourceDir() + "/tools/demo/documents.json"));
  auto subscriber = stack_->TccbSubscriber(false);
  tv1::Subscriber created;
  auto status =
      stack_->Notifications().CreateSubscriber(SystemStack::Context(Tokens::kAdmin).get(), subscriber, &created);
  if (!status.ok()) throw std::runtime_error("CreateSubscriber: " + status.error_message());
  tv1::CreateSubscriptionRequest req;
  req.set_parent("subscribers/TCCB");
  req.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
  req.mutable_subscription()->mutable_filter()->add_fields("Tổ chức cán bộ");
  req.mutable_subscription()->add_channels()->set_channel(tv1::INBOX);
  tv1::Subscription subscription;
  status = stack_->Notifications().CreateSubscription(SystemStack::Context(Tokens::kAdmin).get(), req, &subscription);
  if (!status.ok()) throw std::runtime_error("CreateSubscription: " + status.error_message());
}

CommandResult ExamplesTest::Run(const std::string& command) {
  const std::string err_path = stack_->Dir() + "/command.err";
  CommandResult result;
  FILE* p = popen((command + " 2>" + ShellQuote(err_path)).c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) result.out.append(buf.data(), n);
  int status = pclose(p);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_path, std::ios::binary);
  std::stringstream err;
  err << in.rdbuf();
  result.err = err.str();
  return result;
}

std::string ExamplesTest::Client(const std::string& args, const std::string& token) {
  std::string command = "/usr/bin/python3 " + ShellQuote(SourceDir() + "/examples/python/cchc_client.py") +
                        " --stubs " + ShellQuote(std::string(CCHC_BUILD_DIR) + "/examples/python/stubs") +
                        " --document-address " + stack_->Address(Service::kDocument) + " --notification-address " +
                        stack_->Address(Service::kNotification);
  if (!token.empty()) command += " --token " + ShellQuote(token);
  return command + " " + args;
}

dv1::Document ExamplesTest::Publish(const std::string& code, const std::string& subject, const std::string& field) {
  dv1::CreateDocumentRequest create;
  auto* d = create.mutable_document();
  d->set_code(code);
  d->set_issue_date("2018-06-20");
  d->set_subject(subject);
  d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d->add_fields(field);
  dv1::Document draft, published;
  auto status = stack_->Documents().CreateDocument(SystemStack::Context(Tokens::kEditor).get(), create, &draft);
  if (!status.ok()) throw std::runtime_error("CreateDocument " + code + ": " + status.error_message());
  dv1::PublishDocumentRequest req;
  req.set_name(draft.name());
  status = stack_->Documents().PublishDocument(SystemStack::Context(Tokens::kEditor).get(), req, &published);
  if (!status.ok()) throw std::runtime_error("PublishDocument " + code + ": " + status.error_message());
  return published;
}

}  // namespace cchc::testing
