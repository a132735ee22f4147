#pragma once
// The portal's channels to the four services and the Clients the pages call them with (page.h): one channel
// each, round robin over every address the target resolves to, idempotent reads retried on UNAVAILABLE,
// keepalive, TLS or mTLS when files are given (platform/grpc_channel.h, platform/tls_credentials.h).
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "options.h"
#include "page.h"

namespace cchc::portal {

struct Channels {
  std::shared_ptr<grpc::Channel> document, news, scoring, notification;
  // True when no channel has failed to connect (IDLE, CONNECTING or READY); asks idle ones to connect.
  bool Usable() const;
};

// Connects lazily to the options' addresses. Throws tls::SettingError when a TLS file cannot be used.
Channels Connect(const PortalOptions& options);
// The stubs on `channels`, with the portal's token and per-call deadline.
Clients MakeClients(const Channels& channels, const std::string& token, std::chrono::milliseconds deadline);

// The read-only methods of each service that a call may retry on UNAVAILABLE.
std::vector<std::string> IdempotentReads(const std::string& service_full_name);

}  // namespace cchc::portal
