#include "test_certs.h"

#include "process.h"

namespace cchc::testing {
namespace {

// A key and a certificate for `subject` signed by the CA in `dir`, with `extensions` (openssl -extfile lines).
void Issue(const std::string& dir, const std::string& name, const std::string& subject, const std::string& extensions) {
  std::string base = dir + "/" + name;
  Shell("printf '" + extensions + "' > '" + base + ".ext'");
  Shell("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '" + subject + "' -keyout '" +
        base + ".key' -out '" + base + ".csr' 2>&1");
  Shell("openssl x509 -req -in '" + base + ".csr' -CA '" + dir + "/ca.crt' -CAkey '" + dir +
        "/ca.key' -CAcreateserial -days 1 -extfile '" + base + ".ext' -out '" + base + ".crt' 2>&1");
}

}  // namespace

TestCerts MakeTestCerts(const std::string& dir) {
  Shell(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj '/CN=cchc test CA' "
      "-keyout '" +
      dir + "/ca.key' -out '" + dir + "/ca.crt' 2>&1");
  Issue(dir, "server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n");
  Issue(dir, "client", "/CN=cchc-test-client", "extendedKeyUsage=clientAuth\\n");
  return {dir + "/ca.crt", dir + "/server.crt", dir + "/server.key", dir + "/client.crt", dir + "/client.key"};
}

}  // namespace cchc::testing
