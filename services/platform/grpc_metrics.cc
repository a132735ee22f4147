#include "grpc_metrics.h"

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace cchc::grpc_metrics {

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK:
      return "OK";
    case grpc::CANCELLED:
      return "Canceled";
    case grpc::UNKNOWN:
      return "Unknown";
    case grpc::INVALID_ARGUMENT:
      return "InvalidArgument";
    case grpc::DEADLINE_EXCEEDED:
      return "DeadlineExceeded";
    case grpc::NOT_FOUND:
      return "NotFound";
    case grpc::ALREADY_EXISTS:
      return "AlreadyExists";
    case grpc::PERMISSION_DENIED:
      return "PermissionDenied";
    case grpc::RESOURCE_EXHAUSTED:
      return "ResourceExhausted";
    case grpc::FAILED_PRECONDITION:
      return "FailedPrecondition";
    case grpc::ABORTED:
      return "Aborted";
    case grpc::OUT_OF_RANGE:
      return "OutOfRange";
    case grpc::UNIMPLEMENTED:
      return "Unimplemented";
    case grpc::INTERNAL:
      return "Internal";
    case grpc::UNAVAILABLE:
      return "Unavailable";
    case grpc::DATA_LOSS:
      return "DataLoss";
    case grpc::UNAUTHENTICATED:
      return "Unauthenticated";
    default:
      return "Unknown";
  }
}

namespace {

struct Families {
  metrics::Family<metrics::Counter>& started;
  metrics::Family<metrics::Counter>& handled;
  metrics::Family<metrics::Histogram>& seconds;
};

const char* TypeName(grpc::internal::RpcMethod::RpcType type) {
  switch (type) {
    case grpc::internal::RpcMethod::NORMAL_RPC:
      return "unary";
    case grpc::internal::RpcMethod::CLIENT_STREAMING:
      return "client_stream";
    case grpc::internal::RpcMethod::SERVER_STREAMING:
      return "server_stream";
    case grpc::internal::RpcMethod::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

constexpr size_t kCodes = static_cast<size_t>(grpc::UNAUTHENTICATED) + 1;

// One method's children, looked up when its first call arrives; handled_total's per code when the first call
// ends with that code (a code never returned has no series, as before).
class MethodChildren {
 public:
  MethodChildren(Families& f, std::string type, std::string service, std::string method)
      : families_(f),
        labels_{std::move(type), std::move(service), std::move(method)},
        started_(f.started.WithLabels(labels_)),
        seconds_(f.seconds.WithLabels(labels_)) {}

  metrics::Counter& Started() { return started_; }
  metrics::Histogram& Seconds() { return seconds_; }
  metrics::Counter& Handled(grpc::StatusCode code) {
    size_t i = static_cast<size_t>(code) < kCodes ? static_cast<size_t>(code) : static_cast<size_t>(grpc::UNKNOWN);
    metrics::Counter* c = handled_[i].load(std::memory_order_acquire);
    if (!c) {
      c = &families_.handled.WithLabels({labels_[0], labels_[1], labels_[2], CodeName(code)});
      handled_[i].store(c, std::memory_order_release);
    }
    return *c;
  }

 private:
  Families& families_;
  std::vector<std::string> labels_;
  metrics::Counter& started_;
  metrics::Histogram& seconds_;
  std::array<std::atomic<metrics::Counter*>, kCodes> handled_{};
};

class Interceptor : public grpc::experimental::Interceptor {
 public:
  explicit Interceptor(MethodChildren& m) : children_(m), start_(std::chrono::steady_clock::now()) {
    children_.Started().Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      children_.Handled(status.error_code()).Increment();
      children_.Seconds().Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
    methods->Proceed();
  }

 private:
  MethodChildren& children_;
  std::chrono::steady_clock::time_point start_;
};

class Factory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(metrics::Registry& r)
      : families_{r.AddCounter("grpc_server_started_total", "RPCs started on the server",
                               {"grpc_type", "grpc_service", "grpc_method"}),
                  r.AddCounter("grpc_server_handled_total", "RPCs completed on the server, by status code",
                               {"grpc_type", "grpc_service", "grpc_method", "grpc_code"}),
                  r.AddHistogram("grpc_server_handling_seconds", "Time from the start of an RPC to its status",
                                 {"grpc_type", "grpc_service", "grpc_method"}, metrics::LatencyBuckets())} {}

  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new Interceptor(ChildrenOf(info));
  }

 private:
  // The children of the call's method: found under a shared lock once the method has been seen.
  MethodChildren& ChildrenOf(grpc::experimental::ServerRpcInfo* info) {
    std::string_view full = info->method() ? info->method() : "/unknown/unknown";
    const char* type = TypeName(static_cast<grpc::internal::RpcMethod::RpcType>(info->type()));
    {
      std::shared_lock lock(mu_);
      auto it = methods_.find(full);
      if (it != methods_.end()) return *it->second;
    }
    std::string key(full);
    if (!full.empty() && full.front() == '/') full.remove_prefix(1);
    auto slash = full.find('/');
    std::string service(full.substr(0, slash));
    std::string method = slash == std::string_view::npos ? "" : std::string(full.substr(slash + 1));
    std::unique_lock lock(mu_);
    auto& slot = methods_[key];
    if (!slot) slot = std::make_unique<MethodChildren>(families_, type, std::move(service), std::move(method));
    return *slot;
  }

  Families families_;
  std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<MethodChildren>, std::less<>> methods_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory(
    metrics::Registry& registry) {
  return std::make_unique<Factory>(registry);
}

}  // namespace cchc::grpc_metrics
