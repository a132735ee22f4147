#pragma once
// How documents look on a terminal: Vietnamese labels, dd/mm/yyyy dates; or JSON with the proto's field names.
#include <google/protobuf/message.h>

#include <ostream>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"

namespace cchc::cchcctl {

namespace v1 = cchc::document::v1;

// "Dự thảo", "Đã công bố", "Đã thu hồi".
std::string StatusLabel(v1::DocumentStatus status);

// Hiệu lực as of today in Asia/Ho_Chi_Minh, the way the service's validity filter sees it:
// "Còn hiệu lực", "Chưa có hiệu lực (từ 01/07/2018)", "Hết hiệu lực (đến 31/12/2020)", "Bị thay thế bởi 12/QĐ-SGDĐT".
std::string ValidityLabel(const v1::Document& doc);

// One document as "label: value" lines (Số/ký hiệu, Loại, …, Tên, Etag).
void PrintDocument(std::ostream& out, const v1::Document& doc);

// One row per document: Số/ký hiệu | Ngày ban hành | Trích yếu (shortened like the portal's sidebar),
// with a Trạng thái column before Trích yếu unless every document is published.
void PrintDocumentTable(std::ostream& out, const std::vector<const v1::Document*>& docs);

// An attachment as "label: value" lines.
void PrintAttachment(std::ostream& out, const v1::Attachment& attachment);

// `message` as indented JSON with the proto's field names, then a newline.
void PrintJson(std::ostream& out, const google::protobuf::Message& message);

}  // namespace cchc::cchcctl
