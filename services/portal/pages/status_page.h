#pragma once
// What a reader is told when a page cannot be shown: a service's gRPC status as the portal's HTTP status and a
// Vietnamese message (NOT_FOUND → 404, INVALID_ARGUMENT/OUT_OF_RANGE → 400, UNAVAILABLE/DEADLINE_EXCEEDED/
// RESOURCE_EXHAUSTED → 503, anything else → 500).
#include <grpcpp/grpcpp.h>

#include <string>

#include "page.h"

namespace cchc::portal::pages {

PageContent ErrorPage(int status, std::string message);
// `service` names the service in Vietnamese ("văn bản"); `not_found` is what a NOT_FOUND means on this page.
PageContent ErrorFromStatus(const grpc::Status& status, const std::string& service, const std::string& not_found);

}  // namespace cchc::portal::pages
