#include "echo_limit.h"

#include <stdexcept>

#include "echo.grpc.pb.h"

namespace cchc::loadgen {
namespace {

class CallbackEcho final : public cchc::loadgen::Echo::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const EchoMessage* request,
                                 EchoMessage* response) override {
    response->set_payload(request->payload());
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class SyncEcho final : public cchc::loadgen::Echo::Service {
  grpc::Status Echo(grpc::ServerContext*, const EchoMessage* request, EchoMessage* response) override {
    response->set_payload(request->payload());
    return grpc::Status::OK;
  }
};

struct EchoSlot {
  std::unique_ptr<grpc::ClientContext> ctx;
  EchoMessage request, response;
};

}  // namespace

Stats RunEchoLimit(const LoadShape& shape, const EchoOptions& options) {
  CallbackEcho callback_service;
  SyncEcho sync_service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  if (options.server_kind == "callback")
    builder.RegisterService(&callback_service);
  else if (options.server_kind == "sync")
    builder.RegisterService(&sync_service);
  else
    throw std::invalid_argument("--echo-server must be callback or sync");
  auto server = builder.BuildAndStart();
  if (!server || port == 0) throw std::runtime_error("cannot start the echo server on 127.0.0.1");

  auto channels = MakeChannels("127.0.0.1:" + std::to_string(port), options.channels);
  std::vector<std::unique_ptr<cchc::loadgen::Echo::Stub>> stubs;
  for (auto& c : channels) {
    if (!c->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)))
      throw std::runtime_error("echo server unreachable");
    stubs.push_back(cchc::loadgen::Echo::NewStub(c));
  }
  std::vector<EchoSlot> slots(static_cast<size_t>(shape.concurrency));
  const std::string payload(static_cast<size_t>(options.payload_bytes), 'x');
  for (auto& s : slots) s.request.set_payload(payload);

  Stats stats = RunAsync("Echo (" + options.server_kind + " server)", shape, [&](int i, Done done) {
    auto& s = slots[static_cast<size_t>(i)];
    s.ctx = std::make_unique<grpc::ClientContext>();
    s.ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    s.response.Clear();
    stubs[static_cast<size_t>(i) % stubs.size()]->async()->Echo(
        s.ctx.get(), &s.request, &s.response,
        [done = std::move(done)](grpc::Status status) { done(ErrorName(status)); });
  });
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return stats;
}

double SerialBound(double echo_qps, double sql_qps) {
  if (echo_qps <= 0 || sql_qps <= 0) return 0;
  return 1 / (1 / echo_qps + 1 / sql_qps);
}

}  // namespace cchc::loadgen
