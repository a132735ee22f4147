#pragma once
// How a document row is read: the columns every read selects and their mapping onto v1::Document. Shared by
// the repository (repository.cc) and its list and search queries (list_queries.cc).
#include <pqxx/pqxx>
#include <string>

#include "cchc/document/v1/document.pb.h"

namespace cchc::document {

// The columns every read returns, in the order RowToDocument reads them; FullColumns adds the body and the
// attachments (single-document reads).
const std::string& Columns();
const std::string& FullColumns();
inline constexpr int kIssueDateColumn = 10;
inline constexpr int kVersionColumn = 23;
inline constexpr int kUpdatedColumn = 25;
inline constexpr int kPublishedColumn = 26;
inline constexpr int kSeqColumn = 30;
inline constexpr int kBodyColumn = 31;         // only in FullColumns reads
inline constexpr int kAttachmentsColumn = 32;  // only in FullColumns reads

// The document of row `r`; `full` for a FullColumns row.
v1::Document RowToDocument(const pqxx::row& r, bool full);
// The etag of a row version: the version, quoted.
std::string Etag(int64_t version);
// NULL for an empty optional parameter.
const char* NullIfEmpty(const std::string& s);

}  // namespace cchc::document
