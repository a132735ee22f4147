#include "unparsable_request.h"

#include <string>

#include "error_details.h"

namespace cchc::unparsable_request {
namespace {

using grpc::experimental::InterceptionHookPoints;

class Interceptor final : public grpc::experimental::Interceptor {
 public:
  // method() stays valid for the call: no copy on the path of every RPC.
  explicit Interceptor(grpc::experimental::ServerRpcInfo* info) : method_(info->method()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr)
      unparsable_ = true;  // the message arrived but did not deserialize
    if (unparsable_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      // Synchronous handlers answer INTERNAL; callback streaming handlers UNIMPLEMENTED with no message.
      grpc::Status status = methods->GetSendStatus();
      if (status.error_code() == grpc::StatusCode::INTERNAL ||
          (status.error_code() == grpc::StatusCode::UNIMPLEMENTED && status.error_message().empty()))
        methods->ModifySendStatus(error_details::ErrorStatus(
            grpc::StatusCode::INVALID_ARGUMENT,
            std::string("request: not a valid ") + method_ +
                " request message (malformed protobuf, or a text field that is not valid UTF-8)",
            platform::v1::INVALID_REQUEST));
    }
    methods->Proceed();
  }

 private:
  const char* method_;
  bool unparsable_ = false;
};

class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new Interceptor(info);
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory() {
  return std::make_unique<Factory>();
}

}  // namespace cchc::unparsable_request
