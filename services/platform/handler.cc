#include "handler.h"

#include "cloudevents.h"

namespace cchc {

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  auto it = context.client_metadata().find("x-request-id");
  if (it != context.client_metadata().end() && !it->second.empty() && it->second.size() <= 64) {
    std::string id(it->second.data(), it->second.size());
    bool printable = true;
    for (char c : id) printable = printable && c > 32 && c < 127 && c != '"' && c != '\\';
    if (printable) return id;
  }
  return events::NewUuid();
}

}  // namespace cchc
