#pragma once
// The portal's settings, as flags (--http-address) or environment variables (CCHC_HTTP_ADDRESS); a flag wins
// over the environment. The portal has no database and no broker: it serves HTTP and calls the four services.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "platform/tls_credentials.h"

namespace cchc::portal {

struct PortalOptions {
  std::string http_address = "127.0.0.1:8080";
  std::string metrics_address = "127.0.0.1:9465";
  std::string document_address = "127.0.0.1:50061";  // host:port or dns:///name:port, as the services take
  std::string news_address = "127.0.0.1:50062";
  std::string scoring_address = "127.0.0.1:50063";
  std::string notification_address = "127.0.0.1:50064";
  std::string token_file;                // required: the portal's bearer token (roles reader and portal), one line
  std::string csrf_secret_file;          // required: the secret every replica signs CSRF tokens and client ids with
  int64_t call_timeout_ms = 2000;        // deadline of each page's gRPC call
  int64_t download_timeout_ms = 600000;  // deadline of one attachment download
  tls::ClientFiles tls;                  // the services' TLS (none: insecure)
  std::string sidebar_field = "Cải cách hành chính";  // lĩnh vực of the sidebar's documents
  int sidebar_documents = 30;
  int http_threads = 32;           // requests served at once
  int keep_alive_max_count = 100;  // requests on one connection before it closes
  int keep_alive_timeout_seconds = 5;
  bool trust_forwarded_for = false;  // behind an ingress: the client is X-Forwarded-For's last address
  double drain_seconds = 5;          // after SIGTERM, how long requests in flight may take
  double unready_seconds = 1;        // /readyz answers 503 this long before the drain starts
  std::string log_level = "info";
};

// The --service-tls-* flags, as errors name them.
inline const tls::ClientFlags kServiceTlsFlags{"--service-tls-ca-file", "--service-tls-cert-file",
                                               "--service-tls-key-file"};

void AddPortalOptions(CLI::App& app, PortalOptions& options);
// Checks what CLI11 cannot: readable secret and token files, usable TLS files. Throws CLI::ValidationError.
void ValidatePortalOptions(const PortalOptions& options);

// The first line of the file at `path` without surrounding white space; throws std::runtime_error naming
// `flag` when it cannot be read or holds nothing.
std::string ReadSecretLine(const std::string& path, const std::string& flag);

}  // namespace cchc::portal
