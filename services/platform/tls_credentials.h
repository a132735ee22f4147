#pragma once
// gRPC transport security from PEM files, for both ends. A server with a certificate and key speaks TLS, and
// with a client CA also requires and verifies a client certificate (mTLS). A client with nothing given stays
// insecure (the local default); with a CA it verifies the server against it (else the system's roots), and with
// a certificate and key it presents them. Files are read once, when the credentials are made.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace cchc::tls {

// A setting that cannot work; what() is "<flag>: <reason>".
class SettingError : public std::invalid_argument {
 public:
  SettingError(std::string flag, std::string reason)
      : std::invalid_argument(flag + ": " + reason), flag_(std::move(flag)), reason_(std::move(reason)) {}
  const std::string& flag() const { return flag_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string flag_, reason_;
};

// The largest PEM file read (a certificate chain or a bundle of CAs is far smaller).
inline constexpr size_t kMaxPemBytes = 1024 * 1024;

// The content of the PEM file at `path`. Throws SettingError naming `flag` when it cannot be read, is empty,
// is larger than kMaxPemBytes or holds no "-----BEGIN " block.
std::string ReadPem(const std::string& path, const std::string& flag);

// What a client presents and trusts; every field a file path, empty when not given.
struct ClientFiles {
  std::string ca_file;    // roots the server's certificate must chain to; empty: the system's roots
  std::string cert_file;  // the client's certificate chain (mTLS); with key_file
  std::string key_file;
  bool Enabled() const { return !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

// The names errors give each field, e.g. {"--tls-ca", "--tls-cert", "--tls-key"}.
struct ClientFlags {
  std::string ca, cert, key;
};

// Insecure credentials when `files` names nothing, else TLS from the files' contents. Throws SettingError
// when only one of cert and key is given, or a file fails ReadPem.
std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(const ClientFiles& files, const ClientFlags& flags);

// What a server presents and whom it lets in; every field a file path, empty when not given.
struct ServerFiles {
  std::string cert_file, key_file;  // both or neither: TLS
  std::string client_ca_file;       // with TLS only: require a client certificate issued by this CA
};

// Insecure credentials when `files` names no certificate, else TLS (mTLS with a client CA). Throws
// SettingError naming --tls-cert-file, --tls-key-file or --tls-client-ca-file when the combination cannot work
// or a file fails ReadPem.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const ServerFiles& files);

}  // namespace cchc::tls
