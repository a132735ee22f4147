#pragma once
// W3C Trace Context (https://www.w3.org/TR/trace-context/) without an SDK: the `traceparent` header parsed,
// made and continued, and the trace of the work this thread is doing (a call or an event), which every log
// line carries as trace_id (log.h). Headers are always written in version 00; gRPC metadata, the Kafka header
// ce_traceparent (the CloudEvents distributed-tracing extension), the outbox row and a webhook's traceparent
// header all hold this one form.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::trace {

// "00-" + 32 + "-" + 16 + "-" + 2: the length of a version-00 header, and the longest this code writes.
inline constexpr size_t kHeaderLength = 55;
// The gRPC metadata key and HTTP header name.
inline constexpr const char* kHeader = "traceparent";

struct TraceParent {
  std::string trace_id;   // 32 lower-case hex digits, not all zero
  std::string parent_id;  // 16 lower-case hex digits, not all zero: the span of the sender
  uint8_t flags = 0;      // bit 0: sampled

  // The version-00 header, e.g. "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".
  std::string ToHeader() const;
};

// The header's trace context; nullopt when it is not valid: a version other than two lower-case hex digits or
// "ff", a version-00 header not exactly kHeaderLength long, a higher version shorter than that or not followed
// by '-', a trace-id or parent-id that is not lower-case hex of its length or is all zero, flags not two hex
// digits. A higher version is read as far as version 00 goes and only the sampled flag is kept (the spec's
// rule for versions it does not know).
std::optional<TraceParent> Parse(std::string_view header);

// A new trace: random trace-id and parent-id (OpenSSL), sampled.
TraceParent NewTrace();
// The next hop of `parent`: the same trace-id and flags, a new random parent-id.
TraceParent ChildOf(const TraceParent& parent);
// What a receiver continues: the child of the header when it is valid, else a new trace (an invalid header
// is dropped, never passed on). An empty header is the same as none.
TraceParent ContinueOrStart(std::string_view header);

// The trace of the work this thread is doing, from construction to destruction; scopes nest.
class Scope {
 public:
  explicit Scope(TraceParent current);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::optional<TraceParent> previous_;
};
// This thread's current trace (the innermost Scope); nullopt outside any.
const std::optional<TraceParent>& Current();
// The current trace, or a new one outside any Scope (for a write or a call made by no call or event).
TraceParent CurrentOrNew();

}  // namespace cchc::trace
