#include "migrations/migrations.h"

namespace cchc::news {

std::vector<db::Migration> AllMigrations() {
  auto all = db::PlatformMigrations();
  for (auto& m : Migrations()) all.push_back(std::move(m));
  return all;
}

}  // namespace cchc::news
