#include "driver.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace cchc::loadgen {
namespace {

using Clock = std::chrono::steady_clock;

struct Slot {
  Clock::time_point started;
  std::vector<uint32_t> latencies_us;
  std::map<std::string, int64_t> errors;
};

uint32_t Micros(Clock::duration d) {
  return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

Stats Merge(const std::string& name, std::vector<Slot>& slots, double seconds) {
  std::vector<uint32_t> all;
  std::map<std::string, int64_t> errors;
  for (auto& s : slots) {
    all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
    for (const auto& [code, n] : s.errors) errors[code] += n;
  }
  return Summarize(name, all, std::move(errors), seconds);
}

class AsyncRun {
 public:
  AsyncRun(const LoadShape& shape, const Issue& issue) : issue_(issue), slots_(static_cast<size_t>(shape.concurrency)) {
    auto now = Clock::now();
    measure_from_ = now + shape.warmup;
    end_ = measure_from_ + shape.duration;
    for (auto& s : slots_) s.latencies_us.reserve(1 << 16);
  }

  double Run() {
    active_ = static_cast<int>(slots_.size());
    for (int i = 0; i < static_cast<int>(slots_.size()); ++i) Launch(i);
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return active_ == 0; });
    return std::chrono::duration<double>(Clock::now() - measure_from_).count();
  }

  std::vector<Slot>& Slots() { return slots_; }

 private:
  void Launch(int i) {
    slots_[static_cast<size_t>(i)].started = Clock::now();
    issue_(i, [this, i](const char* error) { Finished(i, error); });
  }

  void Finished(int i, const char* error) {
    auto now = Clock::now();
    Slot& s = slots_[static_cast<size_t>(i)];
    if (s.started >= measure_from_) {
      if (error == nullptr)
        s.latencies_us.push_back(Micros(now - s.started));
      else
        ++s.errors[error];
    }
    if (now < end_) {
      Launch(i);
      return;
    }
    std::lock_guard lock(mu_);
    if (--active_ == 0) cv_.notify_all();
  }

  const Issue& issue_;
  std::vector<Slot> slots_;
  Clock::time_point measure_from_, end_;
  std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;
};

}  // namespace

Stats RunAsync(const std::string& name, const LoadShape& shape, const Issue& issue) {
  AsyncRun run(shape, issue);
  double seconds = run.Run();
  return Merge(name, run.Slots(), seconds);
}

Stats RunBlocking(const std::string& name, const LoadShape& shape, const BlockingCall& call) {
  std::vector<Slot> slots(static_cast<size_t>(shape.concurrency));
  auto measure_from = Clock::now() + shape.warmup;
  auto end = measure_from + shape.duration;
  std::vector<std::thread> threads;
  for (int i = 0; i < shape.concurrency; ++i) {
    threads.emplace_back([&, i] {
      Slot& s = slots[static_cast<size_t>(i)];
      s.latencies_us.reserve(1 << 16);
      for (auto start = Clock::now(); start < end; start = Clock::now()) {
        const char* error = call(i);
        if (start < measure_from) continue;
        if (error == nullptr)
          s.latencies_us.push_back(Micros(Clock::now() - start));
        else
          ++s.errors[error];
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - measure_from).count();
  return Merge(name, slots, seconds);
}

const char* ErrorName(const grpc::Status& status) {
  static const char* const kNames[] = {
      "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
      "DATA_LOSS", "UNAUTHENTICATED"};
  int code = status.error_code();
  if (code == 0) return nullptr;
  if (code > 0 && code < static_cast<int>(std::size(kNames))) return kNames[code];
  return "UNKNOWN";
}

std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(const std::string& address, int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection per channel, not a shared one
    args.SetInt("cchc.loadgen.channel", i);
    args.SetMaxReceiveMessageSize(64 << 20);
    channels.push_back(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

bool IsLoopbackAddress(const std::string& a) {
  return a.rfind("127.0.0.1:", 0) == 0 || a.rfind("localhost:", 0) == 0 || a.rfind("[::1]:", 0) == 0;
}

std::unique_ptr<grpc::ClientContext> BearerContext(const std::string& token, int seconds) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return ctx;
}

void Must(const grpc::Status& status, const std::string& what) {
  if (!status.ok()) throw std::runtime_error(what + ": " + status.error_message());
}

}  // namespace cchc::loadgen
