// Faults: SIGKILL in the middle of a stream of writes loses no acknowledged write and no event; SIGTERM
// turns health NOT_SERVING and drains.
#include <signal.h>

#include <atomic>
#include <set>
#include <thread>

#include "cchc/document/v1/events.pb.h"
#include "document_fixture.h"
#include "support/kafka_reader.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

TEST_F(DocumentServiceTest, SigkillDuringWritesLosesNoAcknowledgedWriteOrEvent) {
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;  // names of documents whose publish was acknowledged
  auto writer = [&](int worker) {
    int n = 0;
    while (!stop) {
      auto d = NewDocument("TB");
      d.set_code(std::to_string(50000 + worker * 10000 + n++) + "/TB-SGDĐT");
      v1::CreateDocumentRequest req;
      *req.mutable_document() = d;
      v1::Document created, published;
      if (!Stub().CreateDocument(Context(kEditor).get(), req, &created).ok()) continue;
      v1::PublishDocumentRequest pub;
      pub.set_name(created.name());
      if (Stub().PublishDocument(Context(kEditor).get(), pub, &published).ok()) {
        std::lock_guard lock(mu);
        acknowledged.push_back(published.name());
      }
    }
  };
  std::vector<std::thread> writers;
  for (int i = 0; i < 3; ++i) writers.emplace_back(writer, i);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto t0 = std::chrono::steady_clock::now();
  StopService(SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  StartService();
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GT(acknowledged.size(), 10u);
  auto t1 = std::chrono::steady_clock::now();

  // Every acknowledged publish is stored as published…
  std::string stored = pg_->Sql(
      "SELECT count(*) FROM document.documents WHERE status = 2 AND code LIKE '%/TB-SGDĐT' "
      "AND number_value >= 50000");
  EXPECT_GE(std::stoul(stored), acknowledged.size());
  std::string ids;
  for (const auto& name : acknowledged) ids += (ids.empty() ? "'" : ",'") + name.substr(10) + "'";
  EXPECT_EQ(pg_->Sql("SELECT count(*) FROM document.documents WHERE status = 2 AND id IN (" + ids + ")"),
            std::to_string(acknowledged.size()) + "\n");
  // …and its DocumentPublished event reached the topic exactly once (counting distinct ce_id per document).
  ASSERT_TRUE(
      WaitFor([&] { return pg_->Sql("SELECT count(*) FROM document.outbox WHERE published_at IS NULL") == "0\n"; },
              std::chrono::seconds(60)));
  auto t2 = std::chrono::steady_clock::now();
  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.document.v1", acknowledged.size(), std::chrono::seconds(60));
  auto t3 = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
  std::printf("timings: restart %ld ms, outbox drained %ld ms, topic read %ld ms\n", ms(t1 - t0), ms(t2 - t1),
              ms(t3 - t2));
  std::map<std::string, std::set<std::string>> published_ids;
  size_t redelivered = 0;
  for (const auto& m : messages) {
    if (m.headers.at("ce_type") != "cchc.document.v1.DocumentPublished") continue;
    if (!published_ids[m.key].insert(m.headers.at("ce_id")).second) ++redelivered;
  }
  for (const auto& name : acknowledged) {
    ASSERT_TRUE(published_ids.count(name)) << name << " has no event";
    EXPECT_EQ(published_ids[name].size(), 1u) << name << " has more than one distinct event";
  }
  std::printf("SIGKILL: %zu publishes acknowledged, all stored, all with one event (%zu redelivered copies)\n",
              acknowledged.size(), redelivered);
}

TEST_F(DocumentServiceTest, BrokerOutageDelaysEventsButLosesNone) {
  ASSERT_EQ(broker_->Control("down all"), "ok");
  // Whatever happens below, the brokers come back for the tests that follow.
  struct BrokersUp {
    Broker* broker;
    ~BrokersUp() { broker->Control("up all"); }
  } brokers_up{broker_};
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    v1::CreateDocumentRequest req;
    *req.mutable_document() = NewDocument("HD");
    v1::Document created, published;
    auto created_status = Stub().CreateDocument(Context(kEditor).get(), req, &created);
    ASSERT_TRUE(created_status.ok()) << created_status.error_code() << " " << created_status.error_message();
    v1::PublishDocumentRequest pub;
    pub.set_name(created.name());
    auto s = Stub().PublishDocument(Context(kEditor).get(), pub, &published);
    ASSERT_TRUE(s.ok()) << "writes go on while the broker is down: " << s.error_message();
    names.push_back(published.name());
  }
  // Longer than the service's message.timeout.ms (5 s): the events time out in the producer and go again.
  std::this_thread::sleep_for(std::chrono::seconds(6));
  EXPECT_GE(std::stoi(pg_->Sql("SELECT count(*) FROM document.outbox WHERE published_at IS NULL")), 5);
  EXPECT_GE(MetricValue(HttpGet(metrics_port_, "/metrics"), "cchc_outbox_pending"), 1);
  ASSERT_EQ(broker_->Control("up all"), "ok");
  ASSERT_TRUE(WaitFor([&] { return MetricValue(HttpGet(metrics_port_, "/metrics"), "cchc_outbox_pending") == 0; },
                      std::chrono::seconds(60)));
  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.document.v1", 5, std::chrono::seconds(30));
  std::map<std::string, int> count;
  for (const auto& m : messages)
    if (m.headers.at("ce_type") == "cchc.document.v1.DocumentPublished") count[m.key]++;
  for (const auto& n : names) EXPECT_EQ(count[n], 1) << n;
}

TEST_F(DocumentServiceTest, SigtermTurnsNotServingThenDrainsAndExitsCleanly) {
  service_->Signal(SIGTERM);
  EXPECT_EQ(service_->Wait(std::chrono::seconds(30)), 0) << service_->Log();
  EXPECT_NE(service_->Log().find("stopping: NOT_SERVING, then draining"), std::string::npos);
  StartService();  // for the tests that follow
}

}  // namespace
}  // namespace cchc::testing
