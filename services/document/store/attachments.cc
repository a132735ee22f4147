#include "attachments.h"

#include "platform/cloudevents.h"
#include "platform/domain_error.h"
#include "rules/versions.h"

namespace cchc::document {
namespace {

// Add: an attachment changes its document: a new version, so that an etag read before it is stale after it. It
// locks the document's row, so concurrent uploads to one document count one after the other.
const db::Statement kTouchDocument{
    "doc_touch",
    "UPDATE documents SET version = version + 1, updated_at = clock_timestamp() WHERE id = $1::uuid "
    "RETURNING 1"};
// Add: the folded file name (migration 008): NFC, lower case by ICU's rules whatever the database's locale.
std::string FileKey(const std::string& param) {
  return "lower(normalize(" + param + ", NFC) COLLATE \"und-x-icu\")";
}
// Add: the latest version of file name $2 on document $1, if any.
const db::Statement kLatest{"attachment_latest",
                            "SELECT id::text AS id, version FROM attachments WHERE document_id = $1 AND latest AND "
                            "file_key = " +
                                FileKey("$2")};
// Add: the document's attachments so far, latest versions only (earlier ones do not count toward the cap).
const db::Statement kCount{"attachment_count",
                           "SELECT count(*) AS attachments FROM attachments WHERE document_id = $1 AND latest"};
// Add: the latest version $1 becomes an earlier one.
const db::Statement kSupersede{"attachment_supersede", "UPDATE attachments SET latest = false WHERE id = $1::uuid"};
// Add: $8 the version.
const db::Statement kInsertAttachment{
    "attachment_insert",
    "INSERT INTO attachments (id, document_id, file_name, media_type, size_bytes, sha256, "
    "content, file_key, version) VALUES ($1, $2, $3, $4, $5, $6, $7, " +
        FileKey("$3") + ", $8) RETURNING " + db::EpochMicros("created_at") + " AS created_us"};
// Add: past --max-document-versions of one file name, drops its versions 2 .. $3 - 1 (the first one stays).
const db::Statement kPrune{"attachment_prune",
                           "DELETE FROM attachments WHERE document_id = $1 AND file_key = " + FileKey("$2") +
                               " AND NOT latest AND version >= 2 AND version < $3::integer"};
// Add: the earlier versions of file name $2 kept, newest first.
const db::Statement kEarlier{"attachment_earlier",
                             "SELECT id::text AS id FROM attachments WHERE document_id = $1 AND file_key = " +
                                 FileKey("$2") + " AND NOT latest ORDER BY version DESC"};
// Open: counts the attachment's download, if its document is published or $3 is false, and returns its metadata.
const db::Statement kOpen{
    "attachment_open",
    "UPDATE attachments a SET download_count = a.download_count + 1 FROM documents d "
    "WHERE a.id = $2 AND a.document_id = $1 AND d.id = a.document_id AND (NOT $3 OR d.status = "
    "2) RETURNING a.file_name, a.media_type, a.size_bytes, a.sha256, a.download_count, a.version, " +
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
  return {kTouchDocument, kLatest,  kCount, kSupersede,     kInsertAttachment,
          kPrune,         kEarlier, kOpen,  kCountDownload, kSlice};
}

v1::Attachment AttachmentStore::Add(const std::string& document_id, const v1::Attachment& meta,
                                    const std::string& bytes, int max_attachments, int max_versions) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // The document's row lock orders concurrent uploads to it: two of one file name never both see no latest
    // version (and the unique index attachments_latest_file would refuse the second).
    if (tx.exec_prepared(kTouchDocument.name, document_id).empty())
      ThrowNotFound("header.document: documents/" + document_id + " does not exist");
    int version = 1;
    if (auto latest = tx.exec_prepared(kLatest.name, document_id, meta.file_name()); !latest.empty()) {
      version = latest[0]["version"].as<int>() + 1;  // a new version of it: the count stays
      tx.exec_prepared(kSupersede.name, latest[0]["id"].as<std::string>());
    } else if (tx.exec_prepared(kCount.name, document_id)[0]["attachments"].as<int>() >= max_attachments) {
      throw DomainError(DomainErrorKind::kExhausted, "header.document: documents/" + document_id +
                                                         " already has the most attachments a document may have (" +
                                                         std::to_string(max_attachments) +
                                                         ", --max-attachments-per-document)");
    }
    std::string id = events::NewUuid();
    auto r = tx.exec_prepared(kInsertAttachment.name, id, document_id, meta.file_name(), meta.media_type(),
                              static_cast<int64_t>(bytes.size()), meta.sha256(),
                              pqxx::binarystring(bytes.data(), bytes.size()), version);
    v1::Attachment out = meta;
    if (version > 1) {
      if (const int64_t first_kept = FirstKeptAfterTheFirst(version, max_versions); first_kept > 2)
        tx.exec_prepared(kPrune.name, document_id, meta.file_name(), first_kept);
      for (const auto& e : tx.exec_prepared(kEarlier.name, document_id, meta.file_name()))
        out.add_earlier_versions("documents/" + document_id + "/attachments/" + e["id"].as<std::string>());
    }
    tx.commit();
    out.set_name("documents/" + document_id + "/attachments/" + id);
    out.set_size_bytes(static_cast<int64_t>(bytes.size()));
    out.set_version(version);
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
    meta.set_version(row["version"].as<int>());
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
