#include "system/whole_system_faults_checks.h"

#include <sstream>

namespace cchc::testing {

std::string AnomalyLine(const Anomalies& a) {
  std::ostringstream out;
  out << "anomalies: lost writes " << a.lost_writes << ", duplicates " << a.duplicates << ", unseen events " << a.unseen
      << ", nonmonotonic order " << a.nonmonotonic;
  return out.str();
}

std::set<std::string> Lines(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.insert(line);
  return lines;
}

size_t CountLost(const std::set<std::string>& acknowledged, const std::set<std::string>& stored) {
  size_t lost = 0;
  for (const auto& name : acknowledged) lost += stored.count(name) == 0;
  return lost;
}

EventIdsBySubject EventIdsOfType(const MessagesBySubject& topic, const std::string& type, size_t* copies) {
  EventIdsBySubject ids;
  *copies = 0;
  for (const auto& [subject, messages] : topic)
    for (const auto& m : messages) {
      auto t = m.headers.find("ce_type");
      if (t == m.headers.end() || t->second != type) continue;
      if (!ids[subject].insert(m.headers.at("ce_id")).second) ++*copies;
    }
  return ids;
}

EventAnomalies CountEventAnomalies(const std::set<std::string>& stored, const EventIdsBySubject& events) {
  EventAnomalies a;
  for (const auto& name : stored) {
    auto found = events.find(name);
    if (found == events.end())
      ++a.unseen;
    else
      a.duplicates += found->second.size() - 1;
  }
  return a;
}

InboxAnomalies CountInboxAnomalies(const std::map<std::string, int>& inbox, const std::set<std::string>& event_ids) {
  InboxAnomalies a;
  for (const auto& [id, n] : inbox)
    if (n != 1) ++a.duplicates;
  for (const auto& id : event_ids) a.missing += inbox.count(id) == 0;
  return a;
}

int CountLostEdits(const std::map<std::string, std::string>& edited, const std::map<std::string, std::string>& stored) {
  int lost = 0;
  for (const auto& [name, subject] : edited) {
    auto found = stored.find(name);
    if (found == stored.end() || found->second != subject + "\n") ++lost;
  }
  return lost;
}

int CountUnannouncedEdits(const std::map<std::string, std::string>& edited, const MessagesBySubject& document_topic) {
  int unseen = 0;
  for (const auto& [name, subject] : edited) {
    bool announced = false;
    auto messages = document_topic.find(name);
    if (messages != document_topic.end())
      for (const auto& m : messages->second) announced |= m.headers.at("ce_type") == "cchc.document.v1.DocumentUpdated";
    if (!announced) ++unseen;
  }
  return unseen;
}

int CountUpdatedBeforePublished(const MessagesBySubject& document_topic) {
  int nonmonotonic = 0;
  for (const auto& [subject, messages] : document_topic) {
    bool published = false;
    for (const auto& m : messages) {
      const std::string& type = m.headers.at("ce_type");
      if (type == "cchc.document.v1.DocumentPublished") published = true;
      if (type == "cchc.document.v1.DocumentUpdated" && !published) ++nonmonotonic;
    }
  }
  return nonmonotonic;
}

WatchAnomalies CountWatchAnomalies(const std::vector<int64_t>& watched, const std::set<int64_t>& inbox_cursors) {
  WatchAnomalies a;
  std::set<int64_t> seen;
  for (size_t i = 0; i < watched.size(); ++i) {
    if (!seen.insert(watched[i]).second) ++a.duplicates;
    if (i > 0 && watched[i] <= watched[i - 1]) ++a.nonmonotonic;
  }
  for (int64_t cursor : inbox_cursors) a.unseen += seen.count(cursor) == 0;
  return a;
}

std::map<std::string, int> CountWebhookDeliveries(const std::string& log, const std::set<std::string>& event_ids) {
  std::map<std::string, int> deliveries;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    for (const auto& id : event_ids)
      if (line.find(id) != std::string::npos) ++deliveries[id];
  }
  return deliveries;
}

}  // namespace cchc::testing
