// The portal's gRPC calls: its own token, a deadline per call and the request's trace on every context.
#include <chrono>

#include "page.h"

namespace cchc::portal {

void Clients::Prepare(grpc::ClientContext& context, const std::string& traceparent) const {
  context.AddMetadata("authorization", "Bearer " + token);
  if (!traceparent.empty()) context.AddMetadata("traceparent", traceparent);
  context.set_deadline(std::chrono::system_clock::now() + deadline);
}

}  // namespace cchc::portal
