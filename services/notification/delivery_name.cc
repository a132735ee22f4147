#include "delivery_name.h"

#include <cctype>

#include "platform/errors.h"

namespace cchc::notification {

std::string RequireDeliveryId(const std::string& name, const std::string& field) {
  const std::string prefix = "deliveries/";
  std::string id = name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : "";
  bool ok = id.size() == 36;
  for (size_t i = 0; ok && i < id.size(); ++i)
    ok = (i == 8 || i == 13 || i == 18 || i == 23) ? id[i] == '-' : std::isxdigit(static_cast<unsigned char>(id[i]));
  if (!ok)
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, field + ": must be deliveries/{uuid}",
                      platform::v1::INVALID_NAME);
  return id;
}

}  // namespace cchc::notification
