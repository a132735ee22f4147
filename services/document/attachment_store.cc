#include "downloads.h"

namespace cchc::document {

std::vector<db::Statement> DownloadStatements() {
  return {
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

std::optional<v1::Attachment> AttachmentReader::Open(const std::string& document_id, const std::string& attachment_id,
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

std::optional<std::string> AttachmentReader::ReadSlice(const std::string& document_id, const std::string& attachment_id,
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
