#include "events.h"

#include "cchc/document/v1/events.pb.h"

namespace cchc::document {

v1::AttachmentSummary SummarizeAttachments(const v1::Document& doc) {
  v1::AttachmentSummary summary;
  summary.set_count(doc.attachments_size());
  int64_t total = 0;
  for (const auto& a : doc.attachments()) {
    total += a.size_bytes();
    if (summary.first_size() < kEventAttachments) *summary.add_first() = a;
  }
  summary.set_total_bytes(total);
  return summary;
}

outbox::PendingEvent MakeEvent(EventKind kind, const v1::Document& doc, const std::vector<std::string>& changed) {
  outbox::PendingEvent e;
  e.topic = kTopic;
  e.aggregate_type = "document";
  e.aggregate_id = doc.name();
  e.subject = doc.name();
  v1::Document snapshot = doc;
  snapshot.clear_body();  // subscribers get the metadata; the body is one Get away
  snapshot.clear_attachments();
  const v1::AttachmentSummary attachments = SummarizeAttachments(doc);
  switch (kind) {
    case EventKind::kPublished: {
      v1::DocumentPublished m;
      *m.mutable_document() = snapshot;
      *m.mutable_attachments() = attachments;
      e.type = "cchc.document.v1.DocumentPublished";
      e.payload = m.SerializeAsString();
      break;
    }
    case EventKind::kUpdated: {
      v1::DocumentUpdated m;
      *m.mutable_document() = snapshot;
      for (const auto& f : changed) m.add_changed_fields(f);
      *m.mutable_attachments() = attachments;
      e.type = "cchc.document.v1.DocumentUpdated";
      e.payload = m.SerializeAsString();
      break;
    }
    case EventKind::kWithdrawn: {
      v1::DocumentWithdrawn m;
      *m.mutable_document() = snapshot;
      m.set_reason(doc.withdraw_reason());
      *m.mutable_attachments() = attachments;
      e.type = "cchc.document.v1.DocumentWithdrawn";
      e.payload = m.SerializeAsString();
      break;
    }
    case EventKind::kNone:
      break;
  }
  return e;
}

}  // namespace cchc::document
