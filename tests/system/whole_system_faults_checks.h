#pragma once
// The fault suite's anomaly counting, as plain functions on what the test collected: acknowledged writes and
// stored rows, the events on a topic by subject, the subscriber's inbox, the Watch stream's cursors. They
// count lost writes, duplicates, unseen events and nonmonotonic order (the Jepsen names) and need no services.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/kafka_reader.h"

namespace cchc::testing {

// A topic's messages by their ce_subject header, each subject's in partition order.
using MessagesBySubject = std::map<std::string, std::vector<ConsumedMessage>>;
// The ce_ids of one event type, by subject.
using EventIdsBySubject = std::map<std::string, std::set<std::string>>;

struct Anomalies {
  size_t lost_writes = 0, duplicates = 0, unseen = 0, nonmonotonic = 0;
  size_t Total() const { return lost_writes + duplicates + unseen + nonmonotonic; }
};
// "anomalies: lost writes 0, duplicates 0, unseen events 0, nonmonotonic order 0"
std::string AnomalyLine(const Anomalies& a);

// The non-empty lines of a query's output (one value per row).
std::set<std::string> Lines(const std::string& text);

// Acknowledged writes that are not stored.
size_t CountLost(const std::set<std::string>& acknowledged, const std::set<std::string>& stored);

// The ce_ids of the `type` events by subject; `*copies` counts the messages that repeat a ce_id (copies a relay
// resent after a crash). Messages without a ce_type are skipped.
EventIdsBySubject EventIdsOfType(const MessagesBySubject& topic, const std::string& type, size_t* copies);

// Of the stored changes: those with no event (unseen), and the events beyond one per change (duplicates).
struct EventAnomalies {
  size_t unseen = 0, duplicates = 0;
};
EventAnomalies CountEventAnomalies(const std::set<std::string>& stored, const EventIdsBySubject& events);

// The inbox (notifications by event id): event ids with more than one notification (duplicates), and events
// with none (missing).
struct InboxAnomalies {
  int duplicates = 0;
  size_t missing = 0;
};
InboxAnomalies CountInboxAnomalies(const std::map<std::string, int>& inbox, const std::set<std::string>& event_ids);

// Acknowledged edits (name → subject) whose stored subject differs; `stored` holds each name's query output
// (the subject and a newline).
int CountLostEdits(const std::map<std::string, std::string>& edited, const std::map<std::string, std::string>& stored);
// Acknowledged edits without a DocumentUpdated on the document topic.
int CountUnannouncedEdits(const std::map<std::string, std::string>& edited, const MessagesBySubject& document_topic);
// DocumentUpdated events that came before their document's DocumentPublished.
int CountUpdatedBeforePublished(const MessagesBySubject& document_topic);

// The Watch stream's cursors in arrival order against the inbox's: repeated cursors (duplicates), cursors not
// above the one before (nonmonotonic), inbox cursors never received (unseen).
struct WatchAnomalies {
  int duplicates = 0, nonmonotonic = 0, unseen = 0;
};
WatchAnomalies CountWatchAnomalies(const std::vector<int64_t>& watched, const std::set<int64_t>& inbox_cursors);

// Webhook deliveries per event id: the receiver's log lines that mention it.
std::map<std::string, int> CountWebhookDeliveries(const std::string& log, const std::set<std::string>& event_ids);

}  // namespace cchc::testing
