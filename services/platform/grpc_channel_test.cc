#include "grpc_channel.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "options.h"

namespace cchc::grpc_channel {
namespace {

TEST(ServiceConfigJson, BalancesRoundRobin) {
  auto config = nlohmann::json::parse(ServiceConfigJson("cchc.document.v1.DocumentService", {"GetDocument"}));
  ASSERT_EQ(config["loadBalancingConfig"].size(), 1u);
  EXPECT_TRUE(config["loadBalancingConfig"][0].contains("round_robin"));
}

TEST(ServiceConfigJson, RetriesUnavailableOnTheNamedMethodsOnly) {
  auto config =
      nlohmann::json::parse(ServiceConfigJson("cchc.document.v1.DocumentService", {"GetDocument", "ListDocuments"}));
  ASSERT_EQ(config["methodConfig"].size(), 1u);
  const auto& method = config["methodConfig"][0];
  ASSERT_EQ(method["name"].size(), 2u);
  EXPECT_EQ(method["name"][0],
            (nlohmann::json{{"service", "cchc.document.v1.DocumentService"}, {"method", "GetDocument"}}));
  EXPECT_EQ(method["name"][1]["method"], "ListDocuments");  // a name without "method" would retry every method
  const auto& retry = method["retryPolicy"];
  EXPECT_EQ(retry["retryableStatusCodes"], nlohmann::json::array({"UNAVAILABLE"}));
  EXPECT_EQ(retry["maxAttempts"], kMaxAttempts);
  EXPECT_GT(kMaxAttempts, 1);
  EXPECT_LE(kMaxAttempts, 5);  // gRPC's own cap
  EXPECT_EQ(retry["initialBackoff"], "0.1s");
  EXPECT_EQ(retry["maxBackoff"], "1s");
}

TEST(Keepalive, ClientPingsAreNoStrikesAtTheServersDefaults) {
  CommonOptions server;
  EXPECT_GE(kKeepaliveTimeMs, server.grpc_min_client_ping_ms);
  EXPECT_LT(kKeepaliveTimeoutMs, kKeepaliveTimeMs);
}

TEST(Arguments, CarryTheConfigAndKeepalive) {
  std::string json = ServiceConfigJson("s.v1.S", {"GetThing"});
  grpc::ChannelArguments arguments = Arguments(json, 1024);
  grpc_channel_args args = arguments.c_channel_args();  // points into `arguments`
  std::map<std::string, const grpc_arg*> by_key;
  for (size_t i = 0; i < args.num_args; ++i) by_key[args.args[i].key] = &args.args[i];
  ASSERT_TRUE(by_key.count(GRPC_ARG_SERVICE_CONFIG));
  EXPECT_EQ(by_key[GRPC_ARG_SERVICE_CONFIG]->value.string, json);
  ASSERT_TRUE(by_key.count(GRPC_ARG_KEEPALIVE_TIME_MS));
  EXPECT_EQ(by_key[GRPC_ARG_KEEPALIVE_TIME_MS]->value.integer, kKeepaliveTimeMs);
  EXPECT_EQ(by_key[GRPC_ARG_KEEPALIVE_TIMEOUT_MS]->value.integer, kKeepaliveTimeoutMs);
  EXPECT_EQ(by_key[GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS]->value.integer, 1);
  EXPECT_EQ(by_key[GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH]->value.integer, 1024);
}

}  // namespace
}  // namespace cchc::grpc_channel
