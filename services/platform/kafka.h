#pragma once
// librdkafka handles with the settings every cchc producer and consumer shares.
#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace cchc::kafka {

struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const;
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;

// Extra librdkafka properties ("key=value" from --kafka-property) applied after ours.
using Properties = std::map<std::string, std::string>;

// The producer settings our guarantees rest on (idempotence, acks=all, bounded in-flight requests), with
// librdkafka's aliases: --kafka-property may not override them.
// Returns the first of `extra`'s keys that is one of them, or nullopt.
std::optional<std::string> ReservedProperty(const Properties& extra);

// An idempotent producer (acks=all) whose delivery reports go to `dr_cb` and errors (a fatal one among them:
// RD_KAFKA_RESP_ERR__FATAL) to `error_cb`, served by rd_kafka_poll, with `opaque`.
// Throws std::runtime_error naming the property librdkafka rejected.
Handle MakeProducer(const std::string& brokers, const Properties& extra,
                    void (*dr_cb)(rd_kafka_t*, const rd_kafka_message_t*, void*), void* opaque,
                    void (*error_cb)(rd_kafka_t*, int, const char*, void*) = nullptr);

// How long (fetch.wait.max.ms) the broker may hold a consumer's fetch that finds nothing new. Apache Kafka
// answers a fetch as soon as a message arrives, so there the wait only paces an idle consumer's requests, and
// a production deployment sets it long (500 ms is Kafka's default). The embedded broker, librdkafka's mock
// cluster, answers only when the wait is over, whatever was produced meanwhile: every event waits out the rest
// of the fetch in flight, half the setting on average, all of it at worst. 2 ms keeps that small; idle, the
// embedded broker then takes 3.5 % of a core more than at 10 ms and the consumer 0.7 % more (measured 29 Nov 2026; in
// the git history of BENCHMARKS.md).
inline constexpr int kDefaultFetchWaitMs = 2;

// A consumer in `group_id` that stores offsets only when told (at-least-once), reading from the earliest
// offset when the group has none, with fetch.wait.max.ms kDefaultFetchWaitMs unless `extra` sets it.
Handle MakeConsumer(const std::string& brokers, const std::string& group_id, const Properties& extra);

// True when a metadata request to the cluster succeeds within `timeout_ms`.
bool ClusterReachable(rd_kafka_t* rk, int timeout_ms);

}  // namespace cchc::kafka
