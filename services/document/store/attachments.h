#pragma once
// A document's attachments (tệp đính kèm) in storage. Add stores one under the per-document cap. Downloads read a
// slice at a time: Open counts the download and returns the metadata, then each ReadSlice is one short statement
// outside any transaction, so no connection or snapshot is held while the client reads, and the process holds one
// slice per download, never the file. Every slice is read only if the attachment is still the one Open saw (same id
// and SHA-256, its document still visible to the caller); otherwise ReadSlice says so and the download must end.
// Refusals are cchc::DomainError (platform/domain_error.h).
#include <optional>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "platform/db.h"
#include "rules/versions.h"

namespace cchc::document {

// The statements AttachmentStore runs, for the pool to prepare on every connection.
std::vector<db::Statement> AttachmentStatements();

class AttachmentStore {
 public:
  explicit AttachmentStore(db::Pool& pool) : pool_(pool) {}

  // Stores an attachment of a document (any status), a new version of the document, and returns its metadata.
  // An attachment with the same file name (NFC, case-insensitive) gets a new version instead: the latest, which
  // the document lists; past `max_versions` of one file name its oldest but the first go. kNotFound when the
  // document does not exist; kExhausted when a new file name would exceed `max_attachments` (latest versions).
  v1::Attachment Add(const std::string& document_id, const v1::Attachment& meta, const std::string& bytes,
                     int max_attachments, int max_versions = kDefaultMaxVersions);

  // Counts one download of the attachment and of its document (one transaction) and returns the attachment's
  // metadata; nullopt when there is none, or its document is not published and `published_only`.
  std::optional<v1::Attachment> Open(const std::string& document_id, const std::string& attachment_id,
                                     bool published_only);
  // Bytes [offset, offset + length) of the attachment's content (fewer at its end) while it still has
  // `sha256` and stays visible; nullopt when it was deleted or replaced, or its document was withdrawn or
  // deleted, since Open. Throws db::Unavailable when the database is.
  std::optional<std::string> ReadSlice(const std::string& document_id, const std::string& attachment_id,
                                       const std::string& sha256, int64_t offset, int64_t length, bool published_only);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::document
