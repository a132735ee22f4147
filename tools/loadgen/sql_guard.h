#pragma once
// How a load generator's SQL limit counts a failed call: the error's kind, or nullptr when the call succeeded.
#include <exception>

#include "platform/db.h"

namespace cchc::loadgen {

template <typename Fn>
const char* Guard(Fn&& fn) {
  try {
    fn();
    return nullptr;
  } catch (const db::Unavailable&) {
    return "pool_unavailable";
  } catch (const std::exception&) {
    return "sql_error";
  }
}

}  // namespace cchc::loadgen
