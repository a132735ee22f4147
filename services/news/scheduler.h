#pragma once
// Scheduled publishing (hẹn giờ đăng): a background loop that publishes the articles whose publish_time has
// come. Every replica may run it; FOR UPDATE SKIP LOCKED in ArticleStore::PublishDue makes each publication
// (and its ArticlePublished event) happen exactly once.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "platform/metrics.h"
#include "store/articles.h"

namespace cchc::news {

class Scheduler {
 public:
  Scheduler(ArticleStore& articles, std::chrono::milliseconds interval, metrics::Registry& registry);
  ~Scheduler();
  void Start();
  void Stop();

 private:
  void Loop();

  ArticleStore& articles_;
  std::chrono::milliseconds interval_;
  metrics::Counter& published_;
  metrics::Counter& errors_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cchc::news
