#pragma once
// libcurl handles as the senders use them: owned, freed on every path, and the library initialised once.
#include <curl/curl.h>

#include <memory>

namespace cchc::notification {

using Curl = std::unique_ptr<CURL, void (*)(CURL*)>;
using Slist = std::unique_ptr<curl_slist, void (*)(curl_slist*)>;

// A fresh easy handle (null when libcurl cannot make one); curl_global_init runs once, before the first.
inline Curl NewCurl() {
  static const bool initialized = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)initialized;
  return Curl(curl_easy_init(), curl_easy_cleanup);
}

}  // namespace cchc::notification
