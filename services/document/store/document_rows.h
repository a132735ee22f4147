#pragma once
// How a document row is read: the columns the stores select and the one mapper per row shape onto v1::Document.
// Shared by the documents store (documents.cc) and the list and search queries (search.cc). Columns are read by
// name; besides the document's own columns a row carries "version", "seq", "updated_us" and "published_us"
// (microseconds since the epoch, 0 when never published), "replaced_by" (the replacing document's id and code, space
// separated, or "") and "today" (the database's current_date, Asia/Ho_Chi_Minh: validity is as of that day).
#include <pqxx/pqxx>
#include <string>

#include "cchc/document/v1/document.pb.h"
#include "rules/visibility.h"

namespace cchc::document {

// The columns of a listed document (no body, no attachments), for DocumentOf.
const std::string& Columns();
// Columns() plus "body" and "attachments" (a JSON array), for FullDocumentOf: single-document reads.
const std::string& FullColumns();

// "FROM documents r WHERE …": the published documents r that replace the document d (alias d in the query around
// it), for the reads' replaced_by and the validity filters.
const std::string& ReplacingSql();

// The document of a Columns() row.
v1::Document DocumentOf(const pqxx::row& r);
// The document of a FullColumns() row, with its body and attachments.
v1::Document FullDocumentOf(const pqxx::row& r);

// The etag of a row version: the version, quoted.
std::string Etag(int64_t version);
// NULL for an empty optional parameter.
// The parameter of the reads' visibility condition: NULL for every unit's unpublished documents, "" for none,
// else the unit whose own they are.
const char* UnpublishedOf(const Visibility& visibility);

}  // namespace cchc::document
