#pragma once
// The document service's events, as outbox entries on topic cchc.document.v1.
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "cchc/document/v1/events.pb.h"
#include "platform/outbox.h"

namespace cchc::document {

inline constexpr const char* kTopic = "cchc.document.v1";
inline constexpr const char* kSource = "/cchc/document";

enum class EventKind { kNone, kPublished, kUpdated, kWithdrawn };

// How many attachments an event lists in full (AttachmentSummary.first); the others are counted.
inline constexpr int kEventAttachments = 10;

// The count, total size and first kEventAttachments of the document's attachments.
v1::AttachmentSummary SummarizeAttachments(const v1::Document& doc);

// The outbox entry for `kind` about `doc` (its state after the change): the document without its body and its
// attachment list, and the attachments' summary. Attachment bytes are never included.
outbox::PendingEvent MakeEvent(EventKind kind, const v1::Document& doc, const std::vector<std::string>& changed_fields);

// DocumentBecameEffective (on its effective_date) or DocumentExpired (on the day after its expiry_date) about `doc`,
// shaped as MakeEvent's.
outbox::PendingEvent MakeBecameEffectiveEvent(const v1::Document& doc);
outbox::PendingEvent MakeExpiredEvent(const v1::Document& doc);
// DocumentReplaced about `replaced` (as it reads after the change), replaced by the published `replacing`.
outbox::PendingEvent MakeReplacedEvent(const v1::Document& replaced, const v1::Document& replacing);
// DocumentDeleted about `doc` (as it was before the deletion), deleted by the unit `deleted_by`.
outbox::PendingEvent MakeDeletedEvent(const v1::Document& doc, const std::string& deleted_by);

}  // namespace cchc::document
