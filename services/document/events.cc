#include "events.h"

#include "cchc/document/v1/events.pb.h"

namespace cchc::document {

v1::AttachmentSummary SummarizeAttachments(const v1::Document& doc) {
  v1::AttachmentSummary summary;
  summary.set_count(doc.attachments_size());
  int64_t total = 0;
  for (const auto& a : doc.attachments()) {
    total += a.size_bytes();
    if (summary.first_size() < kEventAttachments) {
      auto* first = summary.add_first();
      *first = a;
      first->clear_earlier_versions();  // up to --max-document-versions names each: one Get away
    }
  }
  summary.set_total_bytes(total);
  return summary;
}

namespace {

outbox::PendingEvent About(const v1::Document& doc) {
  outbox::PendingEvent e;
  e.topic = kTopic;
  e.aggregate_type = "document";
  e.aggregate_id = doc.name();
  e.subject = doc.name();
  return e;
}

v1::Document SnapshotOf(const v1::Document& doc) {
  v1::Document snapshot = doc;
  snapshot.clear_body();  // subscribers get the metadata; the body is one Get away
  snapshot.clear_attachments();
  return snapshot;
}

}  // namespace

outbox::PendingEvent MakeBecameEffectiveEvent(const v1::Document& doc) {
  outbox::PendingEvent e = About(doc);
  v1::DocumentBecameEffective m;
  *m.mutable_document() = SnapshotOf(doc);
  m.set_effective_date(doc.effective_date());
  *m.mutable_attachments() = SummarizeAttachments(doc);
  e.type = "cchc.document.v1.DocumentBecameEffective";
  e.payload = m.SerializeAsString();
  return e;
}

outbox::PendingEvent MakeExpiredEvent(const v1::Document& doc) {
  outbox::PendingEvent e = About(doc);
  v1::DocumentExpired m;
  *m.mutable_document() = SnapshotOf(doc);
  m.set_expiry_date(doc.expiry_date());
  *m.mutable_attachments() = SummarizeAttachments(doc);
  e.type = "cchc.document.v1.DocumentExpired";
  e.payload = m.SerializeAsString();
  return e;
}

outbox::PendingEvent MakeReplacedEvent(const v1::Document& replaced, const v1::Document& replacing) {
  outbox::PendingEvent e = About(replaced);
  v1::DocumentReplaced m;
  *m.mutable_document() = SnapshotOf(replaced);
  m.set_replaced_by(replacing.name());
  m.set_replaced_by_code(replacing.code());
  *m.mutable_attachments() = SummarizeAttachments(replaced);
  e.type = "cchc.document.v1.DocumentReplaced";
  e.payload = m.SerializeAsString();
  return e;
}

outbox::PendingEvent MakeDeletedEvent(const v1::Document& doc, const std::string& deleted_by) {
  outbox::PendingEvent e = About(doc);
  v1::DocumentDeleted m;
  m.set_name(doc.name());
  m.set_code(doc.code());
  m.set_issuer_code(doc.issuer_code());
  m.set_issuer_name(doc.issuer_name());
  m.set_subject(doc.subject());
  m.set_issue_date(doc.issue_date());
  m.set_deleted_by(deleted_by);
  m.set_withdraw_reason(doc.withdraw_reason());
  for (const auto& f : doc.fields()) m.add_fields(f);
  m.set_type_abbreviation(doc.type_abbreviation());
  e.type = "cchc.document.v1.DocumentDeleted";
  e.payload = m.SerializeAsString();
  return e;
}

outbox::PendingEvent MakeEvent(EventKind kind, const v1::Document& doc, const std::vector<std::string>& changed) {
  outbox::PendingEvent e = About(doc);
  const v1::Document snapshot = SnapshotOf(doc);
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
      m.set_version(doc.version());
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
