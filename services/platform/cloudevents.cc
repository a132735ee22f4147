#include "cloudevents.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "crypto.h"

namespace cchc::events {
namespace {

// Longer than any traceparent worth reading (version 00 is 55 characters; a later version may add fields).
constexpr size_t kMaxTraceParentBytes = 256;

}  // namespace

rd_kafka_headers_t* ToHeaders(const CloudEvent& e) {
  rd_kafka_headers_t* h = rd_kafka_headers_new(8);
  auto add = [&](const char* name, const std::string& v) {
    rd_kafka_header_add(h, name, -1, v.data(), static_cast<ssize_t>(v.size()));
  };
  add("ce_id", e.id);
  add("ce_source", e.source);
  add("ce_specversion", "1.0");
  add("ce_type", e.type);
  add("ce_time", e.time);
  if (!e.subject.empty()) add("ce_subject", e.subject);
  add("content-type", e.content_type);
  if (!e.traceparent.empty()) add("ce_traceparent", e.traceparent);
  return h;
}

std::optional<CloudEvent> FromMessage(const rd_kafka_message_t* msg) {
  rd_kafka_headers_t* h = nullptr;
  if (rd_kafka_message_headers(msg, &h) != RD_KAFKA_RESP_ERR_NO_ERROR || !h) return std::nullopt;
  auto get = [&](const char* name) -> std::optional<std::string> {
    const void* v = nullptr;
    size_t size = 0;
    if (rd_kafka_header_get_last(h, name, &v, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
    return std::string(static_cast<const char*>(v), size);
  };
  CloudEvent e;
  auto id = get("ce_id"), source = get("ce_source"), type = get("ce_type");
  if (!id || !source || !type || id->empty() || source->empty() || type->empty()) return std::nullopt;
  e.id = *id;
  e.source = *source;
  e.type = *type;
  e.time = get("ce_time").value_or("");
  e.subject = get("ce_subject").value_or("");
  e.content_type = get("content-type").value_or("application/protobuf");
  e.traceparent = get("ce_traceparent").value_or("");
  if (e.traceparent.size() > kMaxTraceParentBytes) e.traceparent.clear();  // not one; and bounded
  if (msg->payload) e.data.assign(static_cast<const char*>(msg->payload), msg->len);
  return e;
}

std::string NewUuid() {
  return NewUuid(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string NewUuid(int64_t unix_millis) {
  unsigned char b[16];
  crypto::RandomIdBytes(b, sizeof b);
  const auto ms = static_cast<uint64_t>(unix_millis);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));  // 48 bits, big-endian
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x70);                             // version 7
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);                             // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';  // 8-4-4-4-12
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0F];
  }
  return out;
}

}  // namespace cchc::events
