#pragma once
// What the service understands of an event from another service: the attributes filters look at, a readable
// Vietnamese title, a link on the portal, and the data as JSON. Unknown types are not understood (nullopt),
// which the consumer records as skipped.
#include <optional>
#include <string>

#include "platform/cloudevents.h"
#include "rules/filter.h"

namespace cchc::notification {

struct EventView {
  EventAttributes attributes;
  std::string title;      // e.g. "Văn bản mới: 998/QĐ-SGDĐT — Về việc …"
  std::string link;       // portal_base_url + "/" + the resource name
  std::string data_json;  // the protobuf payload as JSON
};

// Decodes `event` (protobuf payload, binary mode). Throws std::runtime_error when a known type's payload
// does not parse (a poison message: retried, then dead-lettered).
std::optional<EventView> ViewOf(const events::CloudEvent& event, const std::string& portal_base_url);

}  // namespace cchc::notification
