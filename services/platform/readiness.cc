#include "readiness.h"

#include <thread>

#include "thread_name.h"

namespace cchc {

BoundedCheck::BoundedCheck(std::string name, std::function<bool()> check, std::chrono::milliseconds deadline)
    : name_(std::move(name)),
      check_(std::make_shared<const std::function<bool()>>(std::move(check))),
      deadline_(deadline),
      state_(std::make_shared<State>()) {}

BoundedCheck::~BoundedCheck() {
  std::unique_lock lock(state_->mu);
  state_->cv.wait_for(lock, deadline_, [&] { return !state_->running; });
}

bool BoundedCheck::Run() {
  std::unique_lock lock(state_->mu);
  if (state_->running) return false;
  state_->running = true;
  state_->passed = false;
  std::thread([state = state_, check = check_, name = name_] {
    NameThisThread("check-" + name);
    bool passed = false;
    try {
      passed = (*check)();
    } catch (...) {
    }
    std::lock_guard done(state->mu);
    state->passed = passed;
    state->running = false;
    state->cv.notify_all();
  }).detach();
  if (!state_->cv.wait_for(lock, deadline_, [&] { return !state_->running; })) return false;
  return state_->passed;
}

}  // namespace cchc
