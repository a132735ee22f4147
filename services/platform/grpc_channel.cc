#include "grpc_channel.h"

#include <nlohmann/json.hpp>

namespace cchc::grpc_channel {

std::string ServiceConfigJson(const std::string& service, const std::vector<std::string>& idempotent_reads) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& method : idempotent_reads) names.push_back({{"service", service}, {"method", method}});
  nlohmann::json config = {
      {"loadBalancingConfig", nlohmann::json::array({{{"round_robin", nlohmann::json::object()}}})},
      {"methodConfig", nlohmann::json::array({{{"name", names},
                                               {"retryPolicy",
                                                {{"maxAttempts", kMaxAttempts},
                                                 {"initialBackoff", "0.1s"},
                                                 {"maxBackoff", "1s"},
                                                 {"backoffMultiplier", 2},
                                                 {"retryableStatusCodes", {"UNAVAILABLE"}}}}}})}};
  return config.dump();
}

grpc::ChannelArguments Arguments(const std::string& service_config_json, int max_message_bytes) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(service_config_json);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);  // gRPC stops after 2 pings without data otherwise
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetMaxReceiveMessageSize(max_message_bytes);
  return args;
}

}  // namespace cchc::grpc_channel
