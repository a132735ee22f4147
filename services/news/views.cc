#include "views.h"

#include <random>

namespace cchc::news {

ViewCounter::ViewCounter(db::Pool& pool, metrics::Registry* registry) : pool_(pool) {
  if (registry != nullptr)
    recorded_ =
        &registry->AddCounter("cchc_news_views_recorded_total", "Article views counted (committed)").WithLabels({});
}

bool ViewCounter::Record(const std::string& article_id) {
  thread_local std::minstd_rand random{std::random_device{}()};
  int shard = static_cast<int>(random() % kViewShards);
  bool counted = pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one autocommit statement: committed when it returns
    return tx.exec_prepared("view_record", article_id, shard).affected_rows() == 1;
  });
  if (counted && recorded_ != nullptr) recorded_->Increment();
  return counted;
}

}  // namespace cchc::news
