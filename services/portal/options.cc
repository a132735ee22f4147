#include "options.h"

#include <fstream>
#include <stdexcept>

#include "platform/text.h"

namespace cchc::portal {

void AddPortalOptions(CLI::App& app, PortalOptions& o) {
  app.add_option("--http-address", o.http_address, "host:port the portal serves HTTP on")
      ->envname("CCHC_HTTP_ADDRESS")
      ->capture_default_str();
  app.add_option("--metrics-address", o.metrics_address, "host:port of /metrics")
      ->envname("CCHC_METRICS_ADDRESS")
      ->capture_default_str();
  app.add_option("--document-service-address", o.document_address, "The document service (văn bản)")
      ->envname("CCHC_DOCUMENT_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--news-service-address", o.news_address, "The news service (tin tức)")
      ->envname("CCHC_NEWS_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--scoring-service-address", o.scoring_address, "The scoring service (chỉ số CCHC)")
      ->envname("CCHC_SCORING_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--notification-service-address", o.notification_address, "The notification service (thông báo)")
      ->envname("CCHC_NOTIFICATION_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--token-file", o.token_file, "File holding the portal's bearer token (roles reader and portal)")
      ->envname("CCHC_PORTAL_TOKEN_FILE")
      ->required();
  app.add_option("--csrf-secret-file", o.csrf_secret_file,
                 "File holding the secret CSRF tokens and client ids are signed with; the same for every replica")
      ->envname("CCHC_CSRF_SECRET_FILE")
      ->required();
  app.add_option("--call-timeout-ms", o.call_timeout_ms, "Deadline of each gRPC call a page makes")
      ->envname("CCHC_CALL_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--download-timeout-ms", o.download_timeout_ms, "Deadline of one attachment download")
      ->envname("CCHC_DOWNLOAD_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{1000}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option(kServiceTlsFlags.ca, o.tls.ca_file,
                 "PEM CA certificates the services' certificates must chain to; turns TLS on")
      ->envname("CCHC_SERVICE_TLS_CA_FILE");
  app.add_option(kServiceTlsFlags.cert, o.tls.cert_file, "PEM certificate the portal presents (mTLS); with the key")
      ->envname("CCHC_SERVICE_TLS_CERT_FILE");
  app.add_option(kServiceTlsFlags.key, o.tls.key_file, "PEM private key of that certificate")
      ->envname("CCHC_SERVICE_TLS_KEY_FILE");
  app.add_option("--sidebar-field", o.sidebar_field, "Lĩnh vực of the sidebar's documents")
      ->envname("CCHC_SIDEBAR_FIELD")
      ->capture_default_str();
  app.add_option("--sidebar-documents", o.sidebar_documents, "How many documents the sidebar lists")
      ->envname("CCHC_SIDEBAR_DOCUMENTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--http-threads", o.http_threads, "Requests served at once")
      ->envname("CCHC_HTTP_THREADS")
      ->check(CLI::Range(2, 1024))
      ->capture_default_str();
  app.add_option("--keep-alive-max-count", o.keep_alive_max_count, "Requests one connection serves before closing")
      ->envname("CCHC_KEEP_ALIVE_MAX_COUNT")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--keep-alive-timeout-seconds", o.keep_alive_timeout_seconds,
                 "How long an idle kept-alive connection waits for its next request")
      ->envname("CCHC_KEEP_ALIVE_TIMEOUT_SECONDS")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  app.add_flag("--trust-forwarded-for", o.trust_forwarded_for,
               "Take the client's address from X-Forwarded-For's last entry (behind an ingress only)")
      ->envname("CCHC_TRUST_FORWARDED_FOR");
  app.add_option("--drain-seconds", o.drain_seconds, "After SIGTERM, how long requests in flight may take")
      ->envname("CCHC_DRAIN_SECONDS")
      ->check(CLI::Range(0.0, 300.0))
      ->capture_default_str();
  app.add_option("--unready-seconds", o.unready_seconds, "/readyz answers 503 this long before the drain")
      ->envname("CCHC_UNREADY_SECONDS")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "debug, info, warn or error")
      ->envname("CCHC_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
}

std::string ReadSecretLine(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(flag + ": cannot read " + path);
  std::string line;
  std::getline(in, line);
  std::string trimmed(text::Trim(line));
  if (trimmed.empty()) throw std::runtime_error(flag + ": " + path + " is empty");
  if (trimmed.size() > 4096) throw std::runtime_error(flag + ": " + path + ": its first line is over 4096 bytes");
  return trimmed;
}

void ValidatePortalOptions(const PortalOptions& o) {
  for (const auto& [path, flag] :
       {std::pair{o.token_file, "--token-file"}, {o.csrf_secret_file, "--csrf-secret-file"}}) {
    try {
      ReadSecretLine(path, flag);
    } catch (const std::runtime_error& e) {
      throw CLI::ValidationError(flag, e.what());
    }
  }
  if (ReadSecretLine(o.csrf_secret_file, "--csrf-secret-file").size() < 16)
    throw CLI::ValidationError("--csrf-secret-file", "the secret must be at least 16 bytes");
  try {
    tls::ClientCredentials(o.tls, kServiceTlsFlags);
  } catch (const tls::SettingError& e) {
    throw CLI::ValidationError(e.flag(), e.reason());
  }
}

}  // namespace cchc::portal
