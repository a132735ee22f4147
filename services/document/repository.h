#pragma once
// Not part of the service: what tools/loadgen/sql_limit.cc (#include "document/repository.h") still uses of the old
// repository — every store's statements, the List and Search SQL and BuildTsQuery — until it includes store/search.h
// and store/documents.h itself. Then delete this file.
#include <vector>

#include "store/attachments.h"
#include "store/documents.h"
#include "store/search.h"

namespace cchc::document {

inline std::vector<db::Statement> Statements() {
  std::vector<db::Statement> all = DocumentStatements();
  for (auto& s : AttachmentStatements()) all.push_back(std::move(s));
  return all;
}

}  // namespace cchc::document
