#pragma once
// E-mail over SMTP with libcurl, always over TLS: smtp:// must upgrade with STARTTLS (CURLUSESSL_ALL),
// smtps:// is TLS from the first byte; the server's certificate and host name are always verified (the
// system's CAs, or `ca_file`). One call makes one attempt within `timeout`; retry decisions are the caller's.
#include <chrono>
#include <optional>
#include <string>

#include "rules/retry.h"
#include "smtp_config.h"

namespace cchc::notification {

struct SmtpSettings {
  std::string url;   // smtp://host:port (STARTTLS) or smtps://host:port; no credentials (smtp_config.h)
  std::string from;  // envelope and header sender, e.g. thongbao@sgddt.soctrang.gov.vn
  std::chrono::milliseconds timeout{10000};    // the whole attempt: connect, TLS, dialogue
  std::string ca_file;                         // PEM bundle to trust instead of the system's; empty: the system's
  std::optional<SmtpCredentials> credentials;  // AUTH after TLS; none: no AUTH
};

// Sends the complete `message` (render.h EmailMessage) to `to`. A server that does not offer STARTTLS, or
// whose certificate fails verification, gives a permanent result (AttemptResult::permanent) whose error says
// so: mail is never sent in clear text. Network errors and time-outs have status 0 (transient).
AttemptResult SendEmail(const SmtpSettings& smtp, const std::string& to, const std::string& message);

}  // namespace cchc::notification
