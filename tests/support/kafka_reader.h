#pragma once
// Reads a topic from the beginning with a raw librdkafka consumer, for checking what really reached the
// broker.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cchc::testing {

struct ConsumedMessage {
  std::string key, value;
  std::map<std::string, std::string> headers;
  int partition = 0;
  int64_t offset = 0;
};

// Everything on `topic` until `min_count` messages were read and the topic stayed quiet for `quiet`, or
// `timeout` passed.
std::vector<ConsumedMessage> ReadTopic(const std::string& bootstrap, const std::string& topic, size_t min_count,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                       std::chrono::milliseconds quiet = std::chrono::milliseconds(1500));

// Produces one message with headers and waits for the acknowledgement.
void Produce(const std::string& bootstrap, const std::string& topic, const std::string& key, const std::string& value,
             const std::map<std::string, std::string>& headers);

}  // namespace cchc::testing
