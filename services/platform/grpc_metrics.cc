#include "grpc_metrics.h"

#include <chrono>

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

class Interceptor : public grpc::experimental::Interceptor {
 public:
  Interceptor(grpc::experimental::ServerRpcInfo* info, Families& f)
      : families_(f), start_(std::chrono::steady_clock::now()) {
    std::string_view full = info->method() ? info->method() : "/unknown/unknown";
    if (!full.empty() && full.front() == '/') full.remove_prefix(1);
    auto slash = full.find('/');
    service_ = std::string(full.substr(0, slash));
    method_ = slash == std::string_view::npos ? "" : std::string(full.substr(slash + 1));
    type_ = TypeName(static_cast<grpc::internal::RpcMethod::RpcType>(info->type()));
    families_.started.WithLabels({type_, service_, method_}).Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      families_.handled.WithLabels({type_, service_, method_, CodeName(status.error_code())}).Increment();
      families_.seconds.WithLabels({type_, service_, method_})
          .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
    methods->Proceed();
  }

 private:
  Families& families_;
  std::chrono::steady_clock::time_point start_;
  std::string service_, method_;
  const char* type_;
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
    return new Interceptor(info, families_);
  }

 private:
  Families families_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory(
    metrics::Registry& registry) {
  return std::make_unique<Factory>(registry);
}

}  // namespace cchc::grpc_metrics
