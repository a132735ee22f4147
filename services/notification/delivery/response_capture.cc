#include "response_capture.h"

#include <algorithm>

namespace cchc::notification {
namespace {

size_t Write(char* data, size_t size, size_t n, void* capture) {
  return static_cast<ResponseCapture*>(capture)->Take(data, size * n);
}

}  // namespace

size_t ResponseCapture::Take(const char* data, size_t n) {
  size_t room = kResponseBodyLimit - body_.size();
  size_t kept = std::min(room, n);
  body_.append(data, kept);
  if (kept < n) truncated_ = true;
  return kept;
}

void ResponseCapture::Attach(CURL* curl) {
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
}

}  // namespace cchc::notification
