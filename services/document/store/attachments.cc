#include "attachments.h"

#include "platform/cloudevents.h"
#include "platform/domain_error.h"

namespace cchc::document {
namespace {

// Add: an attachment changes its document: a new version, so that an etag read before it is stale after it. It
// locks the document's row, so concurrent uploads to one document count one after the other.
const db::Statement kTouchDocument{
    "doc_touch",
    "UPDATE documents SET version = version + 1, updated_at = clock_timestamp() WHERE id = $1::uuid "
    "RETURNING 1"};
// Add: the document's attachments so far.
const db::Statement kCount{"attachment_count",
                           "SELECT count(*) AS attachments FROM attachments WHERE document_id = $1"};
// Add.
const db::Statement kInsert{"attachment_insert",
                            "INSERT INTO attachments (id, document_id, file_name, media_type, size_bytes, sha256, "
                            "content) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " +
                                db::EpochMicros("created_at") + " AS created_us"};
// Open: counts the attachment's download, if its document is published or $3 is false, and returns its metadata.
const db::Statement kOpen{"attachment_open",
                          "UPDATE attachments a SET download_count = a.download_count + 1 FROM documents d "
                          "WHERE a.id = $2 AND a.document_id = $1 AND d.id = a.document_id AND (NOT $3 OR d.status = "
                          "2) RETURNING a.file_name, a.media_type, a.size_bytes, a.sha256, a.download_count, " +
                              db::EpochMicros("a.created_at") + " AS created_us"};
// Open: counts the download on the document too.
const db::Statement kCountDownload{"doc_count_download",
                                   "UPDATE documents SET download_count = download_count + 1 WHERE id = $1"};
// ReadSlice: substring() of a bytea stored EXTERNAL (migration 003) reads only the TOAST chunks of the slice. It
// takes int offsets: attachments are at most 1 GiB (--max-attachment-bytes).
const db::Statement kSlice{"attachment_slice",
                           "SELECT substring(a.content FROM $4::int + 1 FOR $5::int) AS bytes FROM attachments a "
                           "JOIN documents d ON d.id = a.document_id "
                           "WHERE a.id = $2 AND a.document_id = $1 AND a.sha256 = $3 AND (NOT $6 OR d.status = 2)"};

}  // namespace

std::vector<db::Statement> AttachmentStatements() {
  return {kTouchDocument, kInsert, kCount, kOpen, kCountDownload, kSlice};
}

v1::Attachment AttachmentStore::Add(const std::string& document_id, const v1::Attachment& meta,
                                    const std::string& bytes, int max_attachments) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (tx.exec_prepared(kTouchDocument.name, document_id).empty())
      ThrowNotFound("header.document: documents/" + document_id + " does not exist");
    if (tx.exec_prepared(kCount.name, document_id)[0]["attachments"].as<int>() >= max_attachments)
      throw DomainError(DomainErrorKind::kExhausted, "header.document: documents/" + document_id +
                                                         " already has the most attachments a document may have (" +
                                                         std::to_string(max_attachments) +
                                                         ", --max-attachments-per-document)");
    std::string id = events::NewUuid();
    auto r = tx.exec_prepared(kInsert.name, id, document_id, meta.file_name(), meta.media_type(),
                              static_cast<int64_t>(bytes.size()), meta.sha256(),
                              pqxx::binarystring(bytes.data(), bytes.size()));
    tx.commit();
    v1::Attachment out = meta;
    out.set_name("documents/" + document_id + "/attachments/" + id);
    out.set_size_bytes(static_cast<int64_t>(bytes.size()));
    db::SetTimestamp(out.mutable_create_time(), r[0]["created_us"].as<int64_t>());
    return out;
  });
}

std::optional<v1::Attachment> AttachmentStore::Open(const std::string& document_id, const std::string& attachment_id,
                                                    bool published_only) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Attachment> {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kOpen.name, document_id, attachment_id, published_only);
    if (r.empty()) return std::nullopt;
    tx.exec_prepared(kCountDownload.name, document_id);
    tx.commit();
    const auto& row = r[0];
    v1::Attachment meta;
    meta.set_name("documents/" + document_id + "/attachments/" + attachment_id);
    meta.set_file_name(row["file_name"].as<std::string>());
    meta.set_media_type(row["media_type"].as<std::string>());
    meta.set_size_bytes(row["size_bytes"].as<int64_t>());
    meta.set_sha256(row["sha256"].as<std::string>());
    meta.set_download_count(row["download_count"].as<int64_t>());
    db::SetTimestamp(meta.mutable_create_time(), row["created_us"].as<int64_t>());
    return meta;
  });
}

std::optional<std::string> AttachmentStore::ReadSlice(const std::string& document_id, const std::string& attachment_id,
                                                      const std::string& sha256, int64_t offset, int64_t length,
                                                      bool published_only) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<std::string> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kSlice.name, document_id, attachment_id, sha256, offset, length, published_only);
        if (r.empty()) return std::nullopt;
        pqxx::binarystring bytes(r[0]["bytes"]);
        return bytes.str();
      },
      true);
}

}  // namespace cchc::document
