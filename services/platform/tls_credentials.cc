#include "tls_credentials.h"

#include <fstream>
#include <iterator>

namespace cchc::tls {

std::string ReadPem(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SettingError(flag, "cannot read " + path);
  std::string content;
  content.resize(kMaxPemBytes + 1);
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) throw SettingError(flag, "cannot read " + path);
  content.resize(static_cast<size_t>(in.gcount()));
  if (content.size() > kMaxPemBytes)
    throw SettingError(flag, path + " is larger than " + std::to_string(kMaxPemBytes) + " bytes");
  if (content.empty()) throw SettingError(flag, path + " is empty");
  if (content.find("-----BEGIN ") == std::string::npos) throw SettingError(flag, path + " holds no PEM block");
  return content;
}

std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(const ClientFiles& files, const ClientFlags& flags) {
  if (files.cert_file.empty() != files.key_file.empty())
    throw SettingError(files.cert_file.empty() ? flags.cert : flags.key,
                       "give both " + flags.cert + " and " + flags.key + ", or neither");
  if (!files.Enabled()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  if (!files.ca_file.empty()) ssl.pem_root_certs = ReadPem(files.ca_file, flags.ca);
  if (!files.cert_file.empty()) {
    ssl.pem_cert_chain = ReadPem(files.cert_file, flags.cert);
    ssl.pem_private_key = ReadPem(files.key_file, flags.key);
  }
  return grpc::SslCredentials(ssl);
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const ServerFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty())
    throw SettingError(files.cert_file.empty() ? "--tls-cert-file" : "--tls-key-file",
                       "give both --tls-cert-file and --tls-key-file, or neither");
  if (files.cert_file.empty()) {
    if (!files.client_ca_file.empty())
      throw SettingError("--tls-client-ca-file", "needs TLS: --tls-cert-file and --tls-key-file");
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back(
      {ReadPem(files.key_file, "--tls-key-file"), ReadPem(files.cert_file, "--tls-cert-file")});
  if (!files.client_ca_file.empty()) {
    ssl.pem_root_certs = ReadPem(files.client_ca_file, "--tls-client-ca-file");
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace cchc::tls
