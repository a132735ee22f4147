#pragma once
// The document service's schema: migrations/*.sql, embedded at build time (cmake/EmbedMigrations.cmake), in name
// order, each named document_<file stem>. They apply after the platform's (db::PlatformMigrations).
#include <vector>

#include "platform/migrations.h"

namespace cchc::document {

std::vector<db::Migration> Migrations();

}  // namespace cchc::document
