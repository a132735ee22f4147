#pragma once
// The start of an HTTP response body, kept for the attempt log: at most kResponseBodyLimit bytes, cut there as
// bytes (a UTF-8 sequence may be cut too). Once a body passes the limit the transfer is ended: no more of it is
// read, so a receiver that streams without end costs neither memory nor time.
#include <curl/curl.h>

#include <cstddef>
#include <string>

namespace cchc::notification {

inline constexpr size_t kResponseBodyLimit = 4096;

class ResponseCapture {
 public:
  // Keeps what of `n` bytes fits under the limit. Returns `n` when all of it fitted; fewer (the transfer is to
  // end) when the body passed the limit, which truncated() then says.
  size_t Take(const char* data, size_t n);
  const std::string& body() const { return body_; }
  bool truncated() const { return truncated_; }
  // Whether curl's result `rc` is the end Take asked for (the body passed the limit), not a failure.
  bool EndedByLimit(CURLcode rc) const { return rc == CURLE_WRITE_ERROR && truncated_; }

  // Points `curl`'s write callback at this capture (which must outlive the transfer).
  void Attach(CURL* curl);

 private:
  std::string body_;
  bool truncated_ = false;
};

}  // namespace cchc::notification
