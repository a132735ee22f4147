#include "attachment_store.h"

#include "platform/cloudevents.h"
#include "platform/errors.h"

namespace cchc::document {

std::vector<db::Statement> AttachmentStatements() {
  return {
      // An attachment changes its document: a new version, so that an etag read before it is stale after it.
      {"doc_touch",
       "UPDATE documents SET version = version + 1, updated_at = clock_timestamp() WHERE id = $1::uuid RETURNING 1"},
      {"attachment_insert",
       "INSERT INTO attachments (id, document_id, file_name, media_type, size_bytes, sha256, content) "
       "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " +
           db::EpochMicros("created_at")},
      {"attachment_count", "SELECT count(*) FROM attachments WHERE document_id = $1"},
      {"attachment_open",
       "UPDATE attachments a SET download_count = a.download_count + 1 FROM documents d "
       "WHERE a.id = $2 AND a.document_id = $1 AND d.id = a.document_id AND (NOT $3 OR d.status = 2) "
       "RETURNING a.file_name, a.media_type, a.size_bytes, a.sha256, a.download_count, " +
           db::EpochMicros("a.created_at") + " AS created_us"},
      {"doc_count_download", "UPDATE documents SET download_count = download_count + 1 WHERE id = $1"},
      // substring() of a bytea stored EXTERNAL (migration 003) reads only the TOAST chunks of the slice. It takes
      // int offsets: attachments are at most 1 GiB (--max-attachment-bytes).
      {"attachment_slice",
       "SELECT substring(a.content FROM $4::int + 1 FOR $5::int) AS bytes FROM attachments a "
       "JOIN documents d ON d.id = a.document_id "
       "WHERE a.id = $2 AND a.document_id = $1 AND a.sha256 = $3 AND (NOT $6 OR d.status = 2)"},
  };
}

v1::Attachment AttachmentStore::Add(const std::string& document_id, const v1::Attachment& meta,
                                    const std::string& bytes, int max_attachments) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // doc_touch locks the document's row: concurrent uploads to one document count one after the other.
    if (tx.exec_prepared("doc_touch", document_id).empty())
      throw StatusError(grpc::StatusCode::NOT_FOUND, "header.document: documents/" + document_id + " does not exist");
    if (tx.exec_prepared("attachment_count", document_id)[0][0].as<int>() >= max_attachments)
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED, "header.document: documents/" + document_id +
                                                                  " already has the most attachments a document "
                                                                  "may have (" +
                                                                  std::to_string(max_attachments) +
                                                                  ", --max-attachments-per-document)");
    std::string id = events::NewUuid();
    auto r = tx.exec_prepared("attachment_insert", id, document_id, meta.file_name(), meta.media_type(),
                              static_cast<int64_t>(bytes.size()), meta.sha256(),
                              pqxx::binarystring(bytes.data(), bytes.size()));
    tx.commit();
    v1::Attachment out = meta;
    out.set_name("documents/" + document_id + "/attachments/" + id);
    out.set_size_bytes(static_cast<int64_t>(bytes.size()));
    db::SetTimestamp(out.mutable_create_time(), r[0][0].as<int64_t>());
    return out;
  });
}

std::optional<v1::Attachment> AttachmentStore::Open(const std::string& document_id, const std::string& attachment_id,
                                                    bool published_only) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Attachment> {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("attachment_open", document_id, attachment_id, published_only);
    if (r.empty()) return std::nullopt;
    tx.exec_prepared("doc_count_download", document_id);
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
        auto r =
            tx.exec_prepared("attachment_slice", document_id, attachment_id, sha256, offset, length, published_only);
        if (r.empty()) return std::nullopt;
        pqxx::binarystring bytes(r[0]["bytes"]);
        return bytes.str();
      },
      true);
}

}  // namespace cchc::document
