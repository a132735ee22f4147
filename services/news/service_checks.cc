#include "service_checks.h"

#include "platform/errors.h"
#include "rules/validation.h"

namespace cchc::news {

using grpc::StatusCode;

std::string RequireArticleId(const std::string& name, const std::string& field) {
  auto id = ParseArticleName(name);
  if (!id)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be articles/{uuid}", platform::v1::INVALID_NAME);
  return *id;
}

}  // namespace cchc::news
