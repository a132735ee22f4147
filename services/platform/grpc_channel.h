#pragma once
// The channel one service keeps to another (news and scoring to document): calls balanced round-robin over
// every address the target resolves to (in Kubernetes a dns:/// name of a headless Service: every ready pod),
// idempotent reads retried on UNAVAILABLE (never a write: a write that reached the server may have committed),
// and keepalive pings that find a peer that is gone while the channel is quiet.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

namespace cchc::grpc_channel {

// Client keepalive: a ping after this long without reads, even with no call open. Keep it at or above the
// servers' --grpc-min-client-ping-ms (10 s by default): a ping sooner is a strike, and strikes end connections.
inline constexpr int kKeepaliveTimeMs = 30000;
// An unanswered ping closes the connection after this long; its calls fail UNAVAILABLE (reads are retried).
inline constexpr int kKeepaliveTimeoutMs = 10000;
// Attempts of a retried read, the first included; the backoff between them starts at 0.1 s, at most 1 s.
inline constexpr int kMaxAttempts = 3;

// The service config (gRPC's JSON): loadBalancingConfig round_robin, and a retryPolicy for UNAVAILABLE on each
// method of `service` (a full name, "cchc.document.v1.DocumentService") named in `idempotent_reads`.
std::string ServiceConfigJson(const std::string& service, const std::vector<std::string>& idempotent_reads);

// Channel arguments: `service_config_json` as the default service config, the keepalive above, and
// `max_message_bytes` as the largest message received.
grpc::ChannelArguments Arguments(const std::string& service_config_json, int max_message_bytes);

}  // namespace cchc::grpc_channel
