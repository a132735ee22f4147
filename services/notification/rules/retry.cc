#include "retry.h"

#include <algorithm>

namespace cchc::notification {

Verdict Classify(const AttemptResult& result, bool smtp, int attempt, int max_attempts) {
  if (result.ok()) return Verdict::kDelivered;
  if (result.permanent) return Verdict::kDeadLetter;
  int s = result.status_code;
  bool retryable =
      smtp ? (s == 0 || (s >= 400 && s < 500)) : (s == 0 || (s >= 300 && s < 400) || s >= 500 || s == 408 || s == 429);
  if (!retryable) return Verdict::kDeadLetter;
  return attempt >= max_attempts ? Verdict::kDeadLetter : Verdict::kRetry;
}

std::chrono::milliseconds BackoffCeiling(const BackoffPolicy& policy, int attempt) {
  auto ceiling = policy.base;
  for (int i = 1; i < attempt && ceiling < policy.cap; ++i) ceiling *= 2;
  return std::min(ceiling, policy.cap);
}

std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempt, std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> d(0, BackoffCeiling(policy, attempt).count());
  return std::chrono::milliseconds(d(rng));
}

}  // namespace cchc::notification
