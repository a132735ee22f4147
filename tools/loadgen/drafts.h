#pragma once
// The drafts a notification benchmark publishes: created before the timed part, 8 calls at a time.
#include <string>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"

namespace cchc::loadgen {

struct DraftShape {
  std::string code_suffix;  // after "<n>/KH-": unique to the run, e.g. "B" + run id
  std::string subject;      // " <n>" is appended
  std::string field;
};

// `count` drafts (codes 1/KH-<suffix> … count/KH-<suffix>) created as `editor_token`; their names, in order.
std::vector<std::string> CreateDrafts(document::v1::DocumentService::Stub& stub, const std::string& editor_token,
                                      const DraftShape& shape, int count);

}  // namespace cchc::loadgen
