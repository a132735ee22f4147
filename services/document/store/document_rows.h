#pragma once
// How a document row is read: the columns the stores select and the one mapper per row shape onto v1::Document.
// Shared by the documents store (documents.cc) and the list and search queries (search.cc). Columns are read by
// position from the "id" column on, each name checked; besides the document's own columns a row carries "version",
// "seq", "updated_us" and "published_us" (microseconds since the epoch, 0 when never published), "content_version"
// (Document.version), "replaced_by" (the replacing document's id and code, space separated, or "": kept on the row by
// migration 011's triggers) and
// "today" (the database's current_date, Asia/Ho_Chi_Minh: validity is as of that day).
#include <pqxx/pqxx>
#include <string>

#include "cchc/document/v1/document.pb.h"
#include "platform/db.h"
#include "rules/visibility.h"

namespace cchc::document {

// The columns of a listed document (no body, no attachments), for DocumentOf.
const std::string& Columns();
// Columns() plus "body" and "attachment_count", for FullDocumentOf: single-document reads.
const std::string& FullColumns();
// The attachments of document $1, oldest first: FullDocumentOf runs it when the row counts any (one more round
// trip, for the few documents that have attachments). Prepared with the documents store's statements.
const db::Statement& AttachmentsStatement();

// Where a Columns() result holds each column, looked up once per result: by name in every row of a page costs
// a search of the column names per field per row. Throws std::logic_error when the columns are not in Columns()'s
// order.
struct DocumentColumns {
  explicit DocumentColumns(const pqxx::result& r);
  explicit DocumentColumns(const pqxx::row& r);
  pqxx::row::size_type id = 0, code = 0, number = 0, symbol = 0, code_form = 0, type_abbreviation = 0, type_name = 0,
                       issuer_code = 0, issuer_name = 0, drafting_unit = 0, issue_date = 0, effective_date = 0,
                       expiry_date = 0, subject = 0, fields = 0, signer_name = 0, signer_position = 0,
                       signer_authority = 0, related_codes = 0, replaces_codes = 0, status = 0, view_count = 0,
                       download_count = 0, version = 0, created_us = 0, updated_us = 0, published_us = 0,
                       created_by = 0, updated_by = 0, withdraw_reason = 0, replaced_by = 0, today = 0, body = 0,
                       attachment_count = 0, content_version = 0;
  bool full = false;  // a FullColumns() row: body and attachment_count are there
};

// The document of a Columns() row; the second form for the rows of one result.
v1::Document DocumentOf(const pqxx::row& r);
v1::Document DocumentOf(const pqxx::row& r, const DocumentColumns& columns);

// The columns of a BASIC listed document (v1::BASIC, the fields a list shows), "seq" among them, for BasicDocumentOf:
// a third of Columns(), none of its arrays or numeric epoch conversions but one.
const std::string& BasicColumns();
// Where a BasicColumns() result holds each column, looked up once per result as DocumentColumns.
struct BasicDocumentColumns {
  explicit BasicDocumentColumns(const pqxx::result& r);
  pqxx::row::size_type id = 0, code = 0, type_name = 0, issuer_name = 0, issue_date = 0, effective_date = 0,
                       expiry_date = 0, subject = 0, status = 0, version = 0, updated_us = 0, replaced_by = 0,
                       today = 0;
};
// The BASIC document of a BasicColumns() row: as KeepBasic leaves the document of the same row.
v1::Document BasicDocumentOf(const pqxx::row& r, const BasicDocumentColumns& columns);
// Clears the fields v1::BASIC leaves empty: a listed document as the BASIC view returns it.
void KeepBasic(v1::Document* d);
// The document of a FullColumns() row, with its body and attachments (read through `tx` when there are any).
v1::Document FullDocumentOf(pqxx::transaction_base& tx, const pqxx::row& r);

// The etag of a row version: the version, quoted.
std::string Etag(int64_t version);
// NULL for an empty optional parameter.
// The parameter of the reads' visibility condition: NULL for every unit's unpublished documents, "" for none,
// else the unit whose own they are.
const char* UnpublishedOf(const Visibility& visibility);

}  // namespace cchc::document
