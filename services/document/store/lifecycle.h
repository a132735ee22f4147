#pragma once
// The lifecycle announcements' state (store of the lifecycle scheduler): the day the feature first started, how far
// the announcements are caught up, and the claims (lifecycle_events) that make each DocumentBecameEffective and
// DocumentExpired happen once across replicas and restarts — a claim and its outbox row commit together. What is
// due is the rules' (rules/lifecycle.h); "today" is the caller's (an injected clock in tests).
#include <string>
#include <vector>

#include "platform/db.h"

namespace cchc::document {

// The statements LifecycleStore runs, for the pool to prepare on every connection.
std::vector<db::Statement> LifecycleStatements();

class LifecycleStore {
 public:
  explicit LifecycleStore(db::Pool& pool) : pool_(pool) {}

  // Records `today` as the feature's first start day unless a day is recorded already, fills in the folded codes
  // (replaces_keys) of documents written before the feature, and returns the first start day.
  std::string Start(const std::string& today);

  // Announces every transition due by `today` and not announced yet, each in a transaction with its claim, reading
  // `batch` documents at a time; then records that announcements are caught up through `today`. Returns how many
  // events it wrote. Safe to run at once on several replicas: a transition another has claimed is skipped.
  int AnnounceDue(const std::string& today, int batch = 200);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::document
