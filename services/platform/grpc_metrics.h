#pragma once
// A server interceptor that exports the standard gRPC server metrics (the names go-grpc-prometheus made
// common): grpc_server_started_total, grpc_server_handled_total{grpc_code}, grpc_server_handling_seconds.
#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "metrics.h"

namespace cchc::grpc_metrics {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory(
    metrics::Registry& registry);

// "INVALID_ARGUMENT" for grpc::StatusCode::INVALID_ARGUMENT.
const char* CodeName(grpc::StatusCode code);

}  // namespace cchc::grpc_metrics
