#pragma once
// The news schema: migrations/*.sql, embedded at build time (cmake/EmbedMigrations.cmake).
#include <vector>

#include "platform/migrations.h"

namespace cchc::news {

// The service's own migrations (generated from migrations/*.sql), in name order.
std::vector<db::Migration> Migrations();

}  // namespace cchc::news
