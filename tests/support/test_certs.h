#pragma once
// A private CA and certificates it issued, made with the openssl command in a test's folder: a server
// certificate for localhost and 127.0.0.1, and a client certificate (mTLS). Valid for a day.
#include <string>

namespace cchc::testing {

struct TestCerts {
  std::string ca;                       // ca.crt: the CA's certificate (the roots both ends trust)
  std::string server_cert, server_key;  // server.crt (SANs localhost, 127.0.0.1), server.key
  std::string client_cert, client_key;  // client.crt (CN cchc-test-client), client.key
};

// Writes the files above into `dir`; throws std::runtime_error with openssl's output when it fails.
TestCerts MakeTestCerts(const std::string& dir);

}  // namespace cchc::testing
