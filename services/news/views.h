#pragma once
// View counting (lượt xem) without a hot row: each view adds one to a random one of kViewShards counter rows
// of its article (INSERT … ON CONFLICT DO UPDATE, one autocommit statement); reads sum the shards. A view is
// acknowledged only after its commit, so an acknowledged view survives a crash; concurrent commits share
// PostgreSQL's group commit.
#include <string>

#include "platform/db.h"
#include "platform/metrics.h"

namespace cchc::news {

inline constexpr int kViewShards = 16;

class ViewCounter {
 public:
  // `registry` (optional) receives cchc_news_views_recorded_total.
  explicit ViewCounter(db::Pool& pool, metrics::Registry* registry = nullptr);
  // Counts one view of the published article `article_id`; false (nothing counted) when there is none.
  bool Record(const std::string& article_id);

 private:
  db::Pool& pool_;
  metrics::Counter* recorded_ = nullptr;
};

}  // namespace cchc::news
