#pragma once
// A readiness check with a deadline of its own: a dependency that stops answering (a black-holed database, a
// broker behind a dead route) makes the check fail within the deadline instead of holding the readiness loop.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace cchc {

class BoundedCheck {
 public:
  BoundedCheck(std::string name, std::function<bool()> check, std::chrono::milliseconds deadline);
  ~BoundedCheck();  // waits up to the deadline for a run still going; then leaves it to end on its own

  const std::string& Name() const { return name_; }
  // Runs the check on a thread of its own and waits up to the deadline. True only when it passed in time; a
  // check that throws fails. While an earlier run is still blocked, returns false at once without starting
  // another, so a dependency that hangs costs one thread, not one per period.
  bool Run();

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool running = false;
    bool passed = false;
  };
  std::string name_;
  std::shared_ptr<const std::function<bool()>> check_;  // shared with a run that outlives its wait
  std::chrono::milliseconds deadline_;
  std::shared_ptr<State> state_;
};

}  // namespace cchc
