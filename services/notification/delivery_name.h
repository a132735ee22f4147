#pragma once
// Delivery resource names, "deliveries/{uuid}", as the handlers read them.
#include <string>

namespace cchc::notification {

// The id of `name` ("deliveries/{uuid}"); INVALID_ARGUMENT naming `field` otherwise (a StatusError).
std::string RequireDeliveryId(const std::string& name, const std::string& field = "name");

}  // namespace cchc::notification
