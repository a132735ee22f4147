#pragma once
// A server interceptor for requests that do not parse. gRPC answers a request its protobuf parser refuses —
// most often a proto3 string that is not valid UTF-8 — with INTERNAL and an empty message (UNIMPLEMENTED for a
// method on the callback API), before any handler runs. That is bad input, not a bug of ours: this
// interceptor turns it into INVALID_ARGUMENT naming the request and the likely cause. It must come before the
// metrics interceptor so the metrics count the status the client receives.
#include <grpcpp/support/server_interceptor.h>

#include <memory>

namespace cchc::unparsable_request {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory();

}  // namespace cchc::unparsable_request
