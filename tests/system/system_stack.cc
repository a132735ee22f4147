#include "system/system_stack.h"

#include <signal.h>

#include <fstream>
#include <sstream>

#include "platform/auth.h"

namespace cchc::testing {
namespace {

size_t Index(Service s) {
  return static_cast<size_t>(s);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

const char* ServiceName(Service s) {
  switch (s) {
    case Service::kDocument:
      return "document";
    case Service::kNews:
      return "news";
    case Service::kScoring:
      return "scoring";
    case Service::kNotification:
      return "notification";
  }
  return "?";
}

SystemStack::SystemStack() {
  dir_ = std::make_unique<TempDir>();
  pg_ = std::make_unique<PostgresCluster>();
  broker_ = std::make_unique<Broker>();
  {
    std::ofstream tokens(dir_->Path() + "/tokens");
    tokens << crypto::Sha256Hex(Tokens::kAdmin) << " SGDĐT admin\n"
           << crypto::Sha256Hex(Tokens::kEditor) << " SGDĐT-TCCB editor,reader\n"
           << crypto::Sha256Hex(Tokens::kModerator) << " SGDĐT-TCCB moderator,reader\n"
           << crypto::Sha256Hex(Tokens::kReader) << " PUBLIC reader\n"
           << crypto::Sha256Hex(Tokens::kTccbInbox) << " SGDĐT-TCCB reader\n"
           << crypto::Sha256Hex(Tokens::kOtherUnit) << " SNV reader,editor\n"
           << crypto::Sha256Hex(Tokens::kScorer) << " SGDĐT scorer,reader\n"
           << crypto::Sha256Hex(Tokens::kAppraiser) << " SNV appraiser,reader\n"
           << crypto::Sha256Hex(Tokens::kNewsAtDocuments) << " NEWS reader\n"
           << crypto::Sha256Hex(Tokens::kScoringAtDocuments) << " SCORING reader\n"
           << crypto::Sha256Hex(Tokens::kPortal) << " PORTAL reader,portal\n";
  }
  webhook_port_ = FreePort();
  webhook_ =
      std::make_unique<Process>(std::vector<std::string>{"/usr/bin/python3", SourceDir() + "/tools/webhook-receiver",
                                                         "--port", std::to_string(webhook_port_), "--secret",
                                                         kWebhookSecret, "--out", dir_->Path() + "/webhook.jsonl"},
                                dir_->Path() + "/webhook-receiver.log");
  if (!WaitFor([&] { return webhook_->Log().find("listening") != std::string::npos || !webhook_->Running(); },
               std::chrono::seconds(10)) ||
      !webhook_->Running())
    throw std::runtime_error("the webhook receiver did not start: " + webhook_->Log());

  for (Service s : kAllServices) {
    urls_[Index(s)] = pg_->Provision(ServiceName(s));
    addresses_[Index(s)] = "127.0.0.1:" + std::to_string(FreePort());
    metrics_ports_[Index(s)] = FreePort();
  }
  for (Service s : kAllServices) Start(s);
  auto channel = [](const std::string& a) { return grpc::CreateChannel(a, grpc::InsecureChannelCredentials()); };
  documents_ = document::v1::DocumentService::NewStub(channel(Address(Service::kDocument)));
  news_ = news::v1::NewsService::NewStub(channel(Address(Service::kNews)));
  scoring_ = scoring::v1::ScoringService::NewStub(channel(Address(Service::kScoring)));
  notifications_ = notification::v1::NotificationService::NewStub(channel(Address(Service::kNotification)));
}

SystemStack::~SystemStack() {
  for (auto& p : processes_) {
    if (!p) continue;
    p->Signal(SIGTERM);
    p->Wait(std::chrono::seconds(20));
    p.reset();
  }
  webhook_.reset();
  broker_.reset();
  pg_.reset();
}

std::vector<std::string> SystemStack::Arguments(Service s) const {
  size_t i = Index(s);
  std::vector<std::string> args = {BinaryPath(std::string(ServiceName(s)) + "-service"),
                                   "--database-url",
                                   urls_[i],
                                   "--kafka-brokers",
                                   broker_->Bootstrap(),
                                   "--tokens-file",
                                   dir_->Path() + "/tokens",
                                   "--page-token-keys-file",
                                   WritePageTokenKeys(dir_->Path()),
                                   "--grpc-address",
                                   addresses_[i],
                                   "--metrics-address",
                                   "127.0.0.1:" + std::to_string(metrics_ports_[i]),
                                   "--unready-seconds",
                                   "0.1",
                                   "--drain-seconds",
                                   "1",
                                   "--kafka-property",
                                   "message.timeout.ms=10000"};
  auto add = [&](std::initializer_list<std::string> more) { args.insert(args.end(), more); };
  switch (s) {
    case Service::kDocument:
      break;
    case Service::kNews:
      add({"--document-service-address", Address(Service::kDocument), "--document-service-token",
           Tokens::kNewsAtDocuments, "--scheduler-interval-ms", "200"});
      break;
    case Service::kScoring:
      add({"--document-service-address", Address(Service::kDocument), "--document-service-token",
           Tokens::kScoringAtDocuments});
      break;
    case Service::kNotification:
      // The fault suite sends every document event to one webhook (TCCB's), some 40 a second: above the
      // default per-endpoint rate (10/s), which would spread them over minutes.
      add({"--delivery-poll-ms", "50", "--backoff-base-ms", "50", "--backoff-cap-ms", "500", "--webhook-retry-schedule",
           "50ms,200ms,500ms", "--webhook-timeout-ms", "2000", "--portal-base-url", "https://sgddt.soctrang.gov.vn",
           "--webhook-allow-cidr", "127.0.0.0/8", "--delivery-endpoint-rate", "1000", "--delivery-endpoint-concurrency",
           "4"});
      break;
  }
  args.insert(args.end(), extra_[i].begin(), extra_[i].end());
  return args;
}

void SystemStack::Start(Service s) {
  size_t i = Index(s);
  if (processes_[i] && processes_[i]->Running()) return;
  processes_[i] = std::make_unique<Process>(Arguments(s), dir_->Path() + "/" + ServiceName(s) + "-service.log");
  if (!WaitUntilReady(*processes_[i], metrics_ports_[i], std::chrono::seconds(60)))
    throw std::runtime_error(std::string(ServiceName(s)) + "-service did not become ready:\n" + processes_[i]->Log());
}

void SystemStack::Restart(Service s) {
  Kill(s, SIGTERM);
  Start(s);
}

void SystemStack::Kill(Service s, int signal) {
  auto& p = processes_[Index(s)];
  if (!p) return;
  p->Signal(signal);
  p->Wait(std::chrono::seconds(30));
  p.reset();
}

bool SystemStack::Ready(Service s) {
  return MetricValue(Metrics(s), "cchc_ready") == 1;
}

std::string SystemStack::Address(Service s) const {
  return addresses_[Index(s)];
}

int SystemStack::MetricsPort(Service s) const {
  return metrics_ports_[Index(s)];
}

std::string SystemStack::Metrics(Service s) const {
  return HttpGet(MetricsPort(s), "/metrics");
}

std::string SystemStack::WebhookLog() const {
  return ReadAll(dir_->Path() + "/webhook.jsonl");
}

notification::v1::CreateSubscriberRequest SystemStack::TccbSubscriber(bool webhook) const {
  notification::v1::CreateSubscriberRequest req;
  auto* sub = req.mutable_subscriber();
  sub->set_id("TCCB");
  sub->set_display_name("Phòng Tổ chức cán bộ, Sở GD&ĐT");
  sub->set_kind(notification::v1::UNIT);
  sub->set_unit("SGDĐT-TCCB");
  if (webhook) {
    sub->set_webhook_url("http://127.0.0.1:" + std::to_string(webhook_port_) + "/cchc");
    sub->set_webhook_secret(kWebhookSecret);
  }
  return req;
}

std::unique_ptr<grpc::ClientContext> SystemStack::Context(const std::string& token, int seconds) {
  return CallContext(token, seconds);
}

std::string SystemStack::Cchcctl(const std::string& args, const std::string& token) const {
  std::string err = dir_->Path() + "/cchcctl.err";
  // Each group of commands reads its service's address from the environment.
  std::string env = "CCHC_NEWS_ADDRESS=" + Address(Service::kNews) +
                    " CCHC_SCORING_ADDRESS=" + Address(Service::kScoring) +
                    " CCHC_NOTIFICATION_ADDRESS=" + Address(Service::kNotification) + " ";
  std::string command = "{ " + env + "'" + BinaryPath("cchcctl") + "' --token " + token + " --address " +
                        Address(Service::kDocument) + " " + args + " 2>'" + err + "'; }";
  try {
    return Shell(command);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + "\nstderr: " + ReadAll(err));
  }
}

}  // namespace cchc::testing
