// Clients::Prepare on its own, so that the pages (services/portal/pages/) and the HTTP layer share it without
// the pages depending on the layer.
#include "page.h"

namespace cchc::portal {

void Clients::Prepare(grpc::ClientContext& context, const std::string& traceparent) const {
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  if (!traceparent.empty()) context.AddMetadata("traceparent", traceparent);
  context.set_deadline(std::chrono::system_clock::now() + deadline);
}

}  // namespace cchc::portal
