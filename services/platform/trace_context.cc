#include "trace_context.h"

#include <cstdio>
#include <stdexcept>

#include "crypto.h"

namespace cchc::trace {
namespace {

thread_local std::optional<TraceParent> t_current;

bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// `n` lower-case hex digits at `at`.
bool LowerHexAt(std::string_view s, size_t at, size_t n) {
  if (s.size() < at + n) return false;
  for (size_t i = at; i < at + n; ++i)
    if (!IsLowerHex(s[i])) return false;
  return true;
}

bool AllZero(std::string_view s) {
  return s.find_first_not_of('0') == std::string_view::npos;
}

int HexValue(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

// Random lower-case hex of `bytes` bytes, not all zero.
std::string RandomHex(size_t bytes) {
  unsigned char raw[16];  // ids of 8 or 16 bytes
  if (bytes > sizeof raw) throw std::logic_error("RandomHex: at most 16 bytes");
  for (;;) {
    crypto::RandomIdBytes(raw, bytes);
    std::string hex = crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(raw), bytes));
    if (!AllZero(hex)) return hex;
  }
}

}  // namespace

std::string TraceParent::ToHeader() const {
  char flags_hex[3];
  std::snprintf(flags_hex, sizeof flags_hex, "%02x", static_cast<unsigned>(flags));
  return "00-" + trace_id + "-" + parent_id + "-" + flags_hex;
}

std::optional<TraceParent> Parse(std::string_view h) {
  // version "-" trace-id "-" parent-id "-" trace-flags, at fixed positions.
  if (!LowerHexAt(h, 0, 2) || h.substr(0, 2) == "ff") return std::nullopt;
  const bool v00 = h.substr(0, 2) == "00";
  if (v00 ? h.size() != kHeaderLength : (h.size() < kHeaderLength || (h.size() > kHeaderLength && h[55] != '-')))
    return std::nullopt;
  if (h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  if (!LowerHexAt(h, 3, 32) || !LowerHexAt(h, 36, 16) || !LowerHexAt(h, 53, 2)) return std::nullopt;
  TraceParent p{std::string(h.substr(3, 32)), std::string(h.substr(36, 16)), 0};
  if (AllZero(p.trace_id) || AllZero(p.parent_id)) return std::nullopt;
  p.flags = static_cast<uint8_t>(HexValue(h[53]) * 16 + HexValue(h[54]));
  if (!v00) p.flags &= 0x01;  // the flags of a version this code does not know: only sampled is understood
  return p;
}

TraceParent NewTrace() {
  return {RandomHex(16), RandomHex(8), 0x01};
}

TraceParent ChildOf(const TraceParent& parent) {
  return {parent.trace_id, RandomHex(8), parent.flags};
}

TraceParent ContinueOrStart(std::string_view header) {
  if (auto parent = Parse(header)) return ChildOf(*parent);
  return NewTrace();
}

Scope::Scope(TraceParent current) : previous_(std::move(t_current)) {
  t_current = std::move(current);
}

Scope::~Scope() {
  t_current = std::move(previous_);
}

const std::optional<TraceParent>& Current() {
  return t_current;
}

TraceParent CurrentOrNew() {
  return t_current ? *t_current : NewTrace();
}

}  // namespace cchc::trace
