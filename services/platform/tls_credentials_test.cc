#include "tls_credentials.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace cchc::tls {
namespace {

const ClientFlags kFlags{"--tls-ca", "--tls-cert", "--tls-key"};

// ctest runs each test in its own process, side by side: each writes under its own name, or one would read
// another's file while it is being rewritten.
std::string WriteFile(const std::string& name, const std::string& content) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string path = ::testing::TempDir() + "/cchc-" + std::to_string(::getpid()) + "-" + test->name() + "-" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// A PEM block's shape; the credentials read it, the handshake (system test) would check it.
std::string Pem() {
  return WriteFile("some.pem", "-----BEGIN CERTIFICATE-----\nTUlJ\n-----END CERTIFICATE-----\n");
}

// The flag and reason of what `fn` throws; empty when it throws nothing.
template <typename Fn>
std::pair<std::string, std::string> Refusal(Fn&& fn) {
  try {
    fn();
  } catch (const SettingError& e) {
    return {e.flag(), e.reason()};
  }
  return {};
}

TEST(ReadPem, ReturnsTheContentOfAPemFile) {
  EXPECT_NE(ReadPem(Pem(), "--tls-ca").find("-----BEGIN CERTIFICATE-----"), std::string::npos);
}

TEST(ReadPem, NamesTheFlagOfAFileItCannotUse) {
  auto missing = Refusal([] { ReadPem("/nonexistent/ca.pem", "--tls-ca"); });
  EXPECT_EQ(missing.first, "--tls-ca");
  EXPECT_EQ(missing.second, "cannot read /nonexistent/ca.pem");
  auto empty = Refusal([] { ReadPem(WriteFile("empty.pem", ""), "--tls-cert"); });
  EXPECT_EQ(empty.first, "--tls-cert");
  EXPECT_NE(empty.second.find("is empty"), std::string::npos);
  auto not_pem = Refusal([] { ReadPem(WriteFile("key.der", std::string("\x30\x82\x01\x0a", 4)), "--tls-key"); });
  EXPECT_EQ(not_pem.first, "--tls-key");
  EXPECT_NE(not_pem.second.find("holds no PEM block"), std::string::npos);
  auto large = Refusal([] { ReadPem(WriteFile("large.pem", "-----BEGIN " + std::string(kMaxPemBytes, 'A')), "--x"); });
  EXPECT_NE(large.second.find("is larger than"), std::string::npos);
}

TEST(ClientCredentials, InsecureWhenNothingIsGiven) {
  auto credentials = ClientCredentials({}, kFlags);
  ASSERT_NE(credentials, nullptr);
}

TEST(ClientCredentials, TlsWithACaAloneOrWithACertificateAndKey) {
  EXPECT_NE(ClientCredentials({Pem(), "", ""}, kFlags), nullptr);
  EXPECT_NE(ClientCredentials({Pem(), Pem(), Pem()}, kFlags), nullptr);
  EXPECT_NE(ClientCredentials({"", Pem(), Pem()}, kFlags), nullptr);  // the system's roots
}

TEST(ClientCredentials, CertificateAndKeyBothOrNeither) {
  auto no_key = Refusal([] { ClientCredentials({Pem(), Pem(), ""}, kFlags); });
  EXPECT_EQ(no_key.first, "--tls-key");
  EXPECT_EQ(no_key.second, "give both --tls-cert and --tls-key, or neither");
  EXPECT_EQ(Refusal([] { ClientCredentials({"", "", Pem()}, kFlags); }).first, "--tls-cert");
}

TEST(ClientCredentials, AnUnreadableFileIsNamedAtOnce) {
  EXPECT_EQ(Refusal([] { ClientCredentials({"/nonexistent/ca.pem", "", ""}, kFlags); }).first, "--tls-ca");
  EXPECT_EQ(Refusal([] { ClientCredentials({Pem(), "/nonexistent/c.pem", Pem()}, kFlags); }).first, "--tls-cert");
  EXPECT_EQ(Refusal([] { ClientCredentials({Pem(), Pem(), "/nonexistent/k.pem"}, kFlags); }).first, "--tls-key");
}

TEST(ServerCredentials, InsecureWithoutACertificate) {
  EXPECT_NE(ServerCredentials({}), nullptr);
}

TEST(ServerCredentials, RefusesCombinationsThatCannotWork) {
  EXPECT_EQ(Refusal([] { ServerCredentials({Pem(), "", ""}); }).first, "--tls-key-file");
  EXPECT_EQ(Refusal([] { ServerCredentials({"", Pem(), ""}); }).first, "--tls-cert-file");
  auto ca_alone = Refusal([] { ServerCredentials({"", "", Pem()}); });
  EXPECT_EQ(ca_alone.first, "--tls-client-ca-file");
  EXPECT_EQ(ca_alone.second, "needs TLS: --tls-cert-file and --tls-key-file");
  EXPECT_EQ(Refusal([] { ServerCredentials({Pem(), Pem(), "/nonexistent/ca.pem"}); }).first, "--tls-client-ca-file");
}

}  // namespace
}  // namespace cchc::tls
