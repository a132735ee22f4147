// Events the broker refuses for good, across the whole system. A document event over the service's write limit
// fails its publish and writes nothing. One the service accepts but the producer refuses (its message.max.bytes
// set below the event) is parked — visible in the metrics and in `cchcctl outbox list` — while a document
// published after it still reaches the TCCB office's inbox within seconds; after an operator retries it (the
// limit raised again) the parked one arrives too, each document once. Attachments per document are capped, and
// an event carries their count and summary, not the whole list.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include "cchc/document/v1/events.pb.h"
#include "platform/auth.h"
#include "support/kafka_reader.h"
#include "support/refusal_details.h"
#include "system/system_stack.h"

namespace cchc::testing {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

class WholeSystemOutboxTest : public WholeSystemTest {
 protected:
  static void SetUpTestSuite() {
    WholeSystemTest::SetUpTestSuite();
    // The Sở's TCCB office: new CCHC documents in its inbox.
    auto req = stack_->TccbSubscriber(false);
    tv1::Subscriber out;
    auto created = stack_->Notifications().CreateSubscriber(SystemStack::Context(Tokens::kAdmin).get(), req, &out);
    if (!created.ok()) throw std::runtime_error("CreateSubscriber: " + created.error_message());
    tv1::CreateSubscriptionRequest sreq;
    sreq.set_parent("subscribers/TCCB");
    sreq.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
    sreq.mutable_subscription()->mutable_filter()->add_fields("Cải cách hành chính");
    sreq.mutable_subscription()->add_channels()->set_channel(tv1::INBOX);
    tv1::Subscription subscription;
    auto subscribed =
        stack_->Notifications().CreateSubscription(SystemStack::Context(Tokens::kAdmin).get(), sreq, &subscription);
    if (!subscribed.ok()) throw std::runtime_error("CreateSubscription: " + subscribed.error_message());
  }

  // A CCHC draft; `large` makes its event ~5 KB (a 500-character subject, ten long fields), a plain one ~1 KB.
  static dv1::Document Draft(int number, bool large) {
    dv1::CreateDocumentRequest req;
    auto* d = req.mutable_document();
    d->set_code(std::to_string(number) + "/QĐ-SGDĐT");
    d->set_issue_date("2018-06-19");
    d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
    d->add_fields("Cải cách hành chính");
    if (large) {
      d->set_subject(Repeat("ữ", 500));
      for (int i = 0; i < 9; ++i) d->add_fields(Repeat("ệ", 99) + std::to_string(i));
    } else {
      d->set_subject("Quyết định về cải cách hành chính số " + std::to_string(number));
    }
    dv1::Document draft;
    auto status = stack_->Documents().CreateDocument(SystemStack::Context(Tokens::kAdmin).get(), req, &draft);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return draft;
  }

  static grpc::Status Publish(const std::string& name) {
    dv1::PublishDocumentRequest req;
    req.set_name(name);
    dv1::Document out;
    return stack_->Documents().PublishDocument(SystemStack::Context(Tokens::kAdmin).get(), req, &out);
  }

  static grpc::Status Attach(const std::string& document, const std::string& file_name) {
    dv1::Attachment out;
    auto context = SystemStack::Context(Tokens::kAdmin);
    auto writer = stack_->Documents().UploadAttachment(context.get(), &out);
    const std::string content = "Biên bản họp " + file_name;
    dv1::UploadAttachmentRequest header;
    header.mutable_header()->set_document(document);
    header.mutable_header()->set_file_name(file_name);
    header.mutable_header()->set_media_type("text/plain");
    header.mutable_header()->set_size_bytes(static_cast<int64_t>(content.size()));
    writer->Write(header);
    dv1::UploadAttachmentRequest chunk;
    chunk.set_chunk(content);
    writer->Write(chunk);
    writer->WritesDone();
    return writer->Finish();
  }

  // How many notifications of each document (the event's subject) the TCCB inbox holds.
  static std::map<std::string, int> Inbox() {
    tv1::ListNotificationsRequest req;
    req.set_parent("subscribers/TCCB");
    req.set_page_size(100);
    tv1::ListNotificationsResponse resp;
    std::map<std::string, int> seen;
    if (!stack_->Notifications().ListNotifications(SystemStack::Context(Tokens::kTccbInbox).get(), req, &resp).ok())
      return seen;
    for (const auto& n : resp.notifications()) seen[n.subject()]++;
    return seen;
  }

  // What a cchcctl call that must fail printed on stderr (empty, failing the test, when it succeeded).
  static std::string CchcctlError(const std::string& args, const std::string& token = Tokens::kAdmin) {
    try {
      std::string out = stack_->Cchcctl(args, token);
      ADD_FAILURE() << "cchcctl " << args << " succeeded: " << out;
      return "";
    } catch (const std::runtime_error& e) {
      return e.what();
    }
  }

  // cchcctl's exit code in what CchcctlError returned (Shell reports pclose's status): 64 + the gRPC code.
  static int ExitCode(const std::string& error) {
    static const std::string kFailed = "command failed (";
    auto at = error.find(kFailed);
    if (at == std::string::npos) return -1;
    return WEXITSTATUS(std::stoi(error.substr(at + kFailed.size())));
  }

  static double Metric(const std::string& series) { return MetricValue(stack_->Metrics(Service::kDocument), series); }

  void TearDown() override {
    stack_->SetExtraArguments(Service::kDocument, {});
    stack_->Restart(Service::kDocument);
  }
};

TEST_F(WholeSystemOutboxTest, AnEventOverTheWriteLimitFailsThePublishAndWritesNothing) {
  stack_->SetExtraArguments(Service::kDocument, {"--max-event-bytes", "3000"});
  stack_->Restart(Service::kDocument);
  dv1::Document large = Draft(901, true);
  auto refused = Publish(large.name());
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_NE(refused.error_message().find("--max-event-bytes"), std::string::npos) << refused.error_message();
  EXPECT_NE(refused.error_message().find(large.name()), std::string::npos) << refused.error_message();
  EXPECT_TRUE(HasDetails(refused, "EVENT_TOO_LARGE", "event"));
  dv1::GetDocumentRequest get;
  get.set_name(large.name());
  dv1::Document after;
  ASSERT_TRUE(stack_->Documents().GetDocument(SystemStack::Context(Tokens::kAdmin).get(), get, &after).ok());
  EXPECT_EQ(after.status(), dv1::DRAFT);
  EXPECT_EQ(after.etag(), large.etag());
  EXPECT_EQ(stack_->Pg().Sql("SELECT count(*) FROM document.outbox WHERE aggregate_id = '" + large.name() + "'"),
            "0\n");
  dv1::Document plain = Draft(902, false);
  EXPECT_TRUE(Publish(plain.name()).ok());
}

TEST_F(WholeSystemOutboxTest, AnEventTheBrokerRefusesIsParkedAndTheNextDocumentStillReachesTheInbox) {
  // The write limit above the producer's: the relay meets the refusal.
  stack_->SetExtraArguments(Service::kDocument,
                            {"--kafka-property", "message.max.bytes=3000", "--max-event-bytes", "1000000"});
  stack_->Restart(Service::kDocument);
  dv1::Document large = Draft(903, true);
  ASSERT_TRUE(Publish(large.name()).ok());
  ASSERT_TRUE(WaitFor([&] { return Metric("cchc_outbox_parked") == 1; }, std::chrono::seconds(15)))
      << stack_->Metrics(Service::kDocument);
  EXPECT_EQ(Metric("cchc_outbox_failed_total"), 1);
  EXPECT_EQ(Metric("cchc_ready"), 1);  // a refused event says nothing about the broker
  std::string listed =
      stack_->Cchcctl("outbox list --service document --service-address " + stack_->Address(Service::kDocument));
  EXPECT_NE(listed.find(large.name()), std::string::npos) << listed;
  EXPECT_NE(listed.find("MSG_SIZE_TOO_LARGE"), std::string::npos) << listed;
  // Admin only.
  std::string denied = CchcctlError(
      "outbox list --service document --service-address " + stack_->Address(Service::kDocument), Tokens::kEditor);
  EXPECT_NE(denied.find("PERMISSION_DENIED"), std::string::npos) << denied;
  EXPECT_EQ(ExitCode(denied), 64 + 7) << denied;  // 64 + PERMISSION_DENIED
  // --json prints one compact object per line.
  std::string lines =
      stack_->Cchcctl("--json outbox list --service document --service-address " + stack_->Address(Service::kDocument));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.rfind("{\"", 0), 0u) << lines;
  EXPECT_EQ(lines.find('\n'), lines.size() - 1) << lines;  // the one parked event, on one line
  EXPECT_NE(lines.find(large.name()), std::string::npos) << lines;

  auto start = std::chrono::steady_clock::now();
  dv1::Document plain = Draft(904, false);
  ASSERT_TRUE(Publish(plain.name()).ok());
  ASSERT_TRUE(WaitFor([&] { return Inbox()[plain.name()] == 1; }, std::chrono::seconds(10)));
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "a document published after the parked event reached the TCCB inbox in " << took << " s\n";
  EXPECT_EQ(Inbox().count(large.name()), 0u);

  // The operator raises the producer's limit and retries the parked event: it arrives, once.
  stack_->SetExtraArguments(Service::kDocument, {});
  stack_->Restart(Service::kDocument);
  std::string event_id =
      stack_->Pg().Sql("SELECT event_id FROM document.outbox WHERE aggregate_id = '" + large.name() + "'");
  event_id = event_id.substr(0, event_id.find('\n'));
  std::string retried = stack_->Cchcctl("outbox retry " + event_id + " --service document --service-address " +
                                        stack_->Address(Service::kDocument));
  EXPECT_NE(retried.find("PENDING"), std::string::npos) << retried;
  ASSERT_TRUE(WaitFor([&] { return Inbox()[large.name()] == 1; }, std::chrono::seconds(15)));
  EXPECT_TRUE(WaitFor([&] { return Metric("cchc_outbox_parked") == 0; }, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a second copy would have come by now
  auto inbox = Inbox();
  EXPECT_EQ(inbox[large.name()], 1);
  EXPECT_EQ(inbox[plain.name()], 1);
  // Retrying what is no longer parked is NOT_FOUND.
  std::string gone = CchcctlError("outbox retry " + event_id + " --service document --service-address " +
                                  stack_->Address(Service::kDocument));
  EXPECT_NE(gone.find("NOT_FOUND: event_id: no parked event"), std::string::npos) << gone;
  EXPECT_EQ(ExitCode(gone), 64 + 5) << gone;  // 64 + NOT_FOUND
}

TEST_F(WholeSystemOutboxTest, AttachmentsAreCappedPerDocumentAndEventsCarryTheirSummary) {
  stack_->SetExtraArguments(Service::kDocument, {"--max-attachments-per-document", "12"});
  stack_->Restart(Service::kDocument);
  dv1::Document draft = Draft(905, false);
  for (int i = 1; i <= 12; ++i) ASSERT_TRUE(Attach(draft.name(), "bien-ban-" + std::to_string(i) + ".txt").ok()) << i;
  auto over = Attach(draft.name(), "bien-ban-13.txt");
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << over.error_message();
  EXPECT_NE(over.error_message().find("--max-attachments-per-document"), std::string::npos) << over.error_message();
  EXPECT_EQ(stack_->Pg().Sql("SELECT count(*) FROM document.attachments a JOIN document.documents d ON d.id = "
                             "a.document_id WHERE d.code = '905/QĐ-SGDĐT'"),
            "12\n");
  ASSERT_TRUE(Publish(draft.name()).ok());
  // The event on the topic: the document without its list, the count and the first ten beside it.
  ASSERT_TRUE(WaitFor([&] { return Inbox()[draft.name()] == 1; }, std::chrono::seconds(15)));
  std::vector<ConsumedMessage> of_draft;
  for (auto& m : ReadTopic(stack_->Kafka().Bootstrap(), "cchc.document.v1", 1))
    if (m.key == draft.name()) of_draft.push_back(std::move(m));
  ASSERT_EQ(of_draft.size(), 1u);
  dv1::DocumentPublished event;
  ASSERT_TRUE(event.ParseFromString(of_draft[0].value));
  EXPECT_EQ(event.document().attachments_size(), 0);
  EXPECT_EQ(event.attachments().count(), 12);
  EXPECT_EQ(event.attachments().first_size(), 10);
  EXPECT_EQ(event.attachments().first(0).file_name(), "bien-ban-1.txt");
  EXPECT_GT(event.attachments().total_bytes(), 12 * 20);
}

}  // namespace
}  // namespace cchc::testing
