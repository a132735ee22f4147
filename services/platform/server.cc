#include "server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "grpc_metrics.h"
#include "log.h"
#include "thread_name.h"
#include "unparsable_request.h"

namespace cchc {
namespace {
sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

ServiceHost::ServiceHost(const CommonOptions& options, metrics::Registry& registry)
    : options_(options), registry_(registry) {}

void ServiceHost::AddService(grpc::Service* service, std::string full_name) {
  services_.emplace_back(service, std::move(full_name));
}

void ServiceHost::AddReadinessCheck(std::string name, std::function<bool()> check) {
  checks_.push_back(std::make_unique<BoundedCheck>(std::move(name), std::move(check), kReadinessCheckDeadline));
}

void ServiceHost::AddShutdownHook(std::function<void()> hook) {
  shutdown_hooks_.push_back(std::move(hook));
}

int ServiceHost::Run() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> creds = tls::ServerCredentials(options_.ServerTls());
  int bound_port = 0;
  builder.AddListeningPort(options_.grpc_address, creds, &bound_port);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, options_.grpc_threads);
  grpc::ResourceQuota quota("cchc-server");
  quota.SetMaxThreads(options_.grpc_max_threads);  // past it a sync call gets RESOURCE_EXHAUSTED
  builder.SetResourceQuota(quota);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options_.grpc_max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, static_cast<int>(options_.grpc_keepalive_time_ms));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, static_cast<int>(options_.grpc_keepalive_timeout_ms));
  // Keepalive pings go on while no data flows (a quiet Watch stream, an idle channel): gRPC would stop after 2.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);  // else a client's idle ping is a strike
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             static_cast<int>(options_.grpc_min_client_ping_ms));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, options_.grpc_max_ping_strikes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, static_cast<int>(options_.grpc_max_connection_age_ms));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             static_cast<int>(options_.grpc_max_connection_age_grace_ms));
  for (auto& [service, name] : services_) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(unparsable_request::MakeInterceptorFactory());  // first: the metrics see its status
  interceptors.push_back(grpc_metrics::MakeInterceptorFactory(registry_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || bound_port == 0)
    throw std::runtime_error("cannot listen on " + options_.grpc_address + " (--grpc-address): in use or not allowed");
  auto* health = server->GetHealthCheckService();
  auto& ready_gauge = registry_.AddGauge("cchc_ready", "1 when every readiness check passes").WithLabels({});
  auto set_serving = [&](bool serving) {
    health->SetServingStatus("", serving);
    for (auto& [service, name] : services_) health->SetServingStatus(name, serving);
    ready_gauge.Set(serving ? 1 : 0);
  };
  set_serving(false);
  health->SetServingStatus(kLivenessService, true);
  log::Info("serving", {{"grpc_address", options_.grpc_address},
                        {"tls", options_.tls_cert_file.empty()        ? "off"
                                : options_.tls_client_ca_file.empty() ? "on"
                                                                      : "mtls"}});

  std::atomic<bool> stopping{false};
  std::thread readiness([&] {
    NameThisThread("readiness");
    bool last = false;
    bool first = true;
    while (!stopping) {
      bool ok = true;
      std::string failing;
      for (auto& check : checks_) {
        if (!check->Run()) {
          ok = false;
          failing += failing.empty() ? check->Name() : "," + check->Name();
        }
      }
      if (!stopping && (ok != last || first)) {
        set_serving(ok);
        if (ok)
          log::Info("ready");
        else
          log::Warn("not ready", {{"failing", failing}});
        last = ok;
        first = false;
      }
      for (int i = 0; i < 10 && !stopping; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  sigset_t set = TerminationSignals();
  int sig = 0;
  sigwait(&set, &sig);
  log::Info("stopping: NOT_SERVING, then draining", {{"signal", std::to_string(sig)}});
  stopping = true;
  readiness.join();
  health->Shutdown();  // every service, liveness too, NOT_SERVING from now on
  ready_gauge.Set(0);
  std::this_thread::sleep_for(std::chrono::duration<double>(options_.unready_seconds));
  auto deadline = std::chrono::system_clock::now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                                         std::chrono::duration<double>(options_.drain_seconds));
  for (auto& hook : shutdown_hooks_) hook();
  server->Shutdown(deadline);
  server->Wait();
  log::Info("stopped");
  return 0;
}

}  // namespace cchc
