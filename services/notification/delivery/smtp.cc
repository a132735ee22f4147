#include "smtp.h"

#include <algorithm>
#include <cstring>

#include "curl_handle.h"

namespace cchc::notification {
namespace {

struct Reader {
  const std::string* data;
  size_t offset = 0;
};

size_t Read(char* buffer, size_t size, size_t n, void* user) {
  auto* r = static_cast<Reader*>(user);
  size_t len = std::min(size * n, r->data->size() - r->offset);
  std::memcpy(buffer, r->data->data() + r->offset, len);
  r->offset += len;
  return len;
}

// The result of a failed transfer: TLS refusals are permanent (another attempt would meet the same server).
AttemptResult Failure(const SmtpSettings& smtp, CURLcode rc, long code, const char* detail) {
  std::string why = *detail ? detail : curl_easy_strerror(rc);
  if (rc == CURLE_USE_SSL_FAILED)
    return {static_cast<int>(code),
            "the SMTP server at " + smtp.url + " does not offer STARTTLS; mail is never sent in clear text", true};
  if (rc == CURLE_PEER_FAILED_VERIFICATION)
    return {static_cast<int>(code),
            "the certificate of the SMTP server at " + smtp.url + " failed verification (" + why +
                "); mail is never sent to an unverified server (a private CA: --smtp-ca-file)",
            true};
  return {static_cast<int>(code), "SMTP: " + why};
}

}  // namespace

AttemptResult SendEmail(const SmtpSettings& smtp, const std::string& to, const std::string& message) {
  if (smtp.url.empty()) return {0, "no SMTP server configured (--smtp-url)"};
  Curl curl = NewCurl();
  if (!curl) return {0, "curl_easy_init failed"};
  Slist rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()), curl_slist_free_all);
  Reader reader{&message};
  std::string from = "<" + smtp.from + ">";
  char detail[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, smtp.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!smtp.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, smtp.ca_file.c_str());
  if (smtp.credentials) {
    curl_easy_setopt(c, CURLOPT_USERNAME, smtp.credentials->user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, smtp.credentials->password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, Read);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(smtp.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(smtp.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (rc != CURLE_OK) return Failure(smtp, rc, code, detail);
  return {static_cast<int>(code), ""};
}

}  // namespace cchc::notification
