#include "document_format.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdio>

#include "platform/dates.h"
#include "platform/errors.h"
#include "platform/text.h"
#include "table.h"

namespace cchc::cchcctl {

namespace {

// The portal's sidebar shortens a trích yếu to this many characters.
constexpr size_t kSubjectColumnChars = 100;

std::string HumanSize(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  char buf[32];
  double kib = static_cast<double>(bytes) / 1024.0;
  if (kib < 1024)
    std::snprintf(buf, sizeof buf, "%.1f KiB", kib);
  else
    std::snprintf(buf, sizeof buf, "%.1f MiB", kib / 1024.0);
  return buf;
}

std::string JoinAll(const google::protobuf::RepeatedPtrField<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string SignerLabel(const v1::Signer& signer) {
  std::string title = signer.authority();
  if (!signer.position().empty()) title += (title.empty() ? "" : " ") + signer.position();
  if (signer.name().empty()) return title;
  return title.empty() ? signer.name() : signer.name() + " (" + title + ")";
}

std::string AttachmentLine(const v1::Attachment& a) {
  return a.file_name() + " (" + a.media_type() + ", " + HumanSize(a.size_bytes()) + ") " + a.name();
}

}  // namespace

std::string StatusLabel(v1::DocumentStatus status) {
  switch (status) {
    case v1::DRAFT:
      return "Dự thảo";
    case v1::PUBLISHED:
      return "Đã công bố";
    case v1::WITHDRAWN:
      return "Đã thu hồi";
    default:
      return "Không rõ";
  }
}

std::string ValidityLabel(const v1::Document& doc) {
  if (doc.validity() == v1::REPLACED)
    return "Bị thay thế bởi " + (doc.replaced_by_code().empty() ? doc.replaced_by() : doc.replaced_by_code());
  const std::string today = dates::ToIso(dates::VietnamDay());
  const std::string& from = doc.effective_date();
  const std::string& to = doc.expiry_date();
  // The service's answer; a service older than the field leaves it unspecified, then the dates decide here.
  v1::Validity validity = doc.validity();
  if (validity == v1::VALIDITY_UNSPECIFIED)
    validity = !from.empty() && from > today ? v1::NOT_YET_IN_FORCE
               : !to.empty() && to < today   ? v1::EXPIRED
                                             : v1::IN_FORCE;
  std::string label = validity == v1::NOT_YET_IN_FORCE ? "Chưa có hiệu lực"
                      : validity == v1::EXPIRED        ? "Hết hiệu lực"
                                                       : "Còn hiệu lực";
  std::string range;
  if (!from.empty()) range = "từ " + dates::IsoToDisplay(from);
  if (!to.empty()) range += (range.empty() ? "" : " ") + std::string("đến ") + dates::IsoToDisplay(to);
  return range.empty() ? label : label + " (" + range + ")";
}

void PrintDocument(std::ostream& out, const v1::Document& doc) {
  KeyValues lines;
  lines.emplace_back("Số/ký hiệu", doc.code());
  if (!doc.type_name().empty()) lines.emplace_back("Loại", doc.type_name());
  std::string issuer = doc.issuer_name().empty() ? doc.issuer_code() : doc.issuer_name();
  if (!doc.drafting_unit().empty())
    issuer += (issuer.empty() ? "" : " ") + std::string("(đơn vị soạn thảo: ") + doc.drafting_unit() + ")";
  if (!issuer.empty()) lines.emplace_back("Cơ quan ban hành", issuer);
  lines.emplace_back("Ngày ban hành", dates::IsoToDisplay(doc.issue_date()));
  lines.emplace_back("Hiệu lực", ValidityLabel(doc));
  lines.emplace_back("Trích yếu", doc.subject());
  if (doc.fields_size() > 0) lines.emplace_back("Lĩnh vực", JoinAll(doc.fields(), ", "));
  if (std::string signer = SignerLabel(doc.signer()); !signer.empty()) lines.emplace_back("Người ký", signer);
  std::string status = StatusLabel(doc.status());
  if (doc.status() == v1::WITHDRAWN && !doc.withdraw_reason().empty()) status += ": " + doc.withdraw_reason();
  lines.emplace_back("Trạng thái", status);
  lines.emplace_back("Lượt xem", std::to_string(doc.view_count()));
  lines.emplace_back("Lượt tải", std::to_string(doc.download_count()));
  if (doc.attachments_size() > 0) {
    std::string files;
    for (const auto& a : doc.attachments()) files += (files.empty() ? "" : "\n") + AttachmentLine(a);
    lines.emplace_back("Tệp đính kèm", files);
  }
  lines.emplace_back("Tên", doc.name());
  lines.emplace_back("Etag", doc.etag());
  PrintKeyValues(out, lines);
}

void PrintDocumentTable(std::ostream& out, const std::vector<const v1::Document*>& docs) {
  if (docs.empty()) {
    out << "Không có văn bản nào.\n";
    return;
  }
  // Entries not from the service (import --dry-run) have no status and are shown as published ones are.
  bool all_published = std::none_of(docs.begin(), docs.end(), [](const v1::Document* d) {
    return d->status() == v1::DRAFT || d->status() == v1::WITHDRAWN;
  });
  std::vector<std::string> headers = {"Số/ký hiệu", "Ngày ban hành"};
  if (!all_published) headers.push_back("Trạng thái");
  headers.push_back("Trích yếu");
  std::vector<std::vector<std::string>> rows;
  rows.reserve(docs.size());
  for (const v1::Document* d : docs) {
    std::vector<std::string> row = {d->code(), dates::IsoToDisplay(d->issue_date())};
    if (!all_published) row.push_back(StatusLabel(d->status()));
    row.push_back(text::TruncateAtWord(d->subject(), kSubjectColumnChars));
    rows.push_back(std::move(row));
  }
  PrintTable(out, headers, rows);
}

void PrintAttachment(std::ostream& out, const v1::Attachment& a) {
  PrintKeyValues(out, {{"Tệp", a.file_name()},
                       {"Loại tệp", a.media_type()},
                       {"Kích thước", HumanSize(a.size_bytes()) + " (" + std::to_string(a.size_bytes()) + " byte)"},
                       {"SHA-256", a.sha256()},
                       {"Lượt tải", std::to_string(a.download_count())},
                       {"Tên", a.name()}});
}

void PrintJson(std::ostream& out, const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok())
    throw StatusError(grpc::StatusCode::INTERNAL, "cannot print JSON: " + std::string(status.message()));
  out << json;
  if (json.empty() || json.back() != '\n') out << '\n';
}

}  // namespace cchc::cchcctl
