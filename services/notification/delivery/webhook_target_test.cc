#include "webhook_target.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

namespace cchc::notification {
namespace {

// Answers from a table and records what it was asked; never touches the network.
class TableResolver final : public Resolver {
 public:
  explicit TableResolver(std::map<std::string, std::vector<std::string>> table) : table_(std::move(table)) {}
  Answer Resolve(const std::string& host, int port) const override {
    std::lock_guard lock(mu_);
    asked.push_back(host + ":" + std::to_string(port));
    auto it = table_.find(host);
    if (it == table_.end()) return {{}, "Name or service not known"};
    Answer a;
    for (const auto& text : it->second) a.addresses.push_back(*ParseIp(text));
    return a;
  }
  mutable std::vector<std::string> asked;

 private:
  std::map<std::string, std::vector<std::string>> table_;
  mutable std::mutex mu_;
};

struct WebhookTargetTest : ::testing::Test {
  std::shared_ptr<TableResolver> resolver =
      std::make_shared<TableResolver>(std::map<std::string, std::vector<std::string>>{
          {"hooks.sgddt.soctrang.gov.vn", {"203.162.4.190"}},
          {"dual.example.vn", {"203.162.4.191", "2402:800::1"}},
          {"rebind.example.vn", {"203.162.4.192", "169.254.169.254"}},
          {"internal.example.vn", {"10.1.2.3"}},
          {"metadata.example.vn", {"::ffff:169.254.169.254"}},
          {"127.0.0.1", {"127.0.0.1"}},
          {"::1", {"::1"}},
          {"localhost", {"127.0.0.1", "::1"}},
      });
  WebhookPolicy Policy(std::vector<std::string> allow = {}) {
    WebhookPolicy p;
    for (const auto& c : allow) p.allow.push_back(*ParseCidr(c));
    p.resolver = resolver;
    return p;
  }
};

TEST_F(WebhookTargetTest, PublicHostIsPinnedToItsVettedAddress) {
  auto t = VetWebhookUrl(Policy(), "https://hooks.sgddt.soctrang.gov.vn/cchc?unit=TCCB");
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.host, "hooks.sgddt.soctrang.gov.vn");
  EXPECT_EQ(t.port, 443);
  EXPECT_EQ(t.CurlResolveEntry(), "hooks.sgddt.soctrang.gov.vn:443:203.162.4.190");
  EXPECT_EQ(resolver->asked, std::vector<std::string>{"hooks.sgddt.soctrang.gov.vn:443"});
  auto plain = VetWebhookUrl(Policy(), "http://hooks.sgddt.soctrang.gov.vn:8080/");
  ASSERT_TRUE(plain.ok()) << plain.error;
  EXPECT_EQ(plain.CurlResolveEntry(), "hooks.sgddt.soctrang.gov.vn:8080:203.162.4.190");
  auto dual = VetWebhookUrl(Policy(), "https://dual.example.vn/");
  EXPECT_TRUE(dual.ok()) << dual.error;
}

TEST_F(WebhookTargetTest, RefusesAHostWithAnyRefusedAddress) {
  auto t = VetWebhookUrl(Policy(), "https://rebind.example.vn/");
  EXPECT_EQ(t.refusal, WebhookTarget::Refusal::kAddress);
  EXPECT_NE(t.error.find("169.254.169.254"), std::string::npos) << t.error;
  EXPECT_EQ(VetWebhookUrl(Policy(), "https://internal.example.vn/").refusal, WebhookTarget::Refusal::kAddress);
  EXPECT_EQ(VetWebhookUrl(Policy(), "https://metadata.example.vn/").refusal, WebhookTarget::Refusal::kAddress);
  EXPECT_EQ(VetWebhookUrl(Policy(), "http://localhost:8099/").refusal, WebhookTarget::Refusal::kAddress);
}

TEST_F(WebhookTargetTest, LiteralLoopbackNeedsTheAllowList) {
  auto refused = VetWebhookUrl(Policy(), "http://127.0.0.1:8099/hook");
  EXPECT_EQ(refused.refusal, WebhookTarget::Refusal::kAddress);
  EXPECT_NE(refused.error.find("loopback"), std::string::npos) << refused.error;
  auto allowed = VetWebhookUrl(Policy({"127.0.0.0/8"}), "http://127.0.0.1:8099/hook");
  ASSERT_TRUE(allowed.ok()) << allowed.error;
  EXPECT_EQ(allowed.CurlResolveEntry(), "127.0.0.1:8099:127.0.0.1");
  // localhost also has ::1, which 127.0.0.0/8 does not cover.
  EXPECT_FALSE(VetWebhookUrl(Policy({"127.0.0.0/8"}), "http://localhost:8099/").ok());
  EXPECT_TRUE(VetWebhookUrl(Policy({"127.0.0.0/8", "::1"}), "http://localhost:8099/").ok());
  auto v6 = VetWebhookUrl(Policy({"::1/128"}), "http://[::1]:8099/");
  ASSERT_TRUE(v6.ok()) << v6.error;
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.CurlResolveEntry(), "");  // a literal: curl never resolves it
  // Only names reach the resolver, never the literals.
  EXPECT_EQ(resolver->asked, (std::vector<std::string>{"localhost:8099", "localhost:8099"}));
}

TEST_F(WebhookTargetTest, RefusesBadUrlsBeforeResolving) {
  for (const char* url : {"ftp://hooks.sgddt.soctrang.gov.vn/", "file:///etc/passwd", "gopher://127.0.0.1/",
                          "https://user:pass@hooks.sgddt.soctrang.gov.vn/", "https://user@hooks.sgddt.soctrang.gov.vn/",
                          "not a url", "https://", "http://[fe80::1%25eth0]/"}) {
    auto t = VetWebhookUrl(Policy({"0.0.0.0/0", "::/0"}), url);
    EXPECT_EQ(t.refusal, WebhookTarget::Refusal::kUrl) << url << ": " << t.error;
  }
  EXPECT_TRUE(resolver->asked.empty());
  WebhookPolicy https = Policy();
  https.require_https = true;
  auto t = VetWebhookUrl(https, "http://hooks.sgddt.soctrang.gov.vn/");
  EXPECT_EQ(t.refusal, WebhookTarget::Refusal::kUrl);
  EXPECT_NE(t.error.find("https"), std::string::npos);
  EXPECT_TRUE(VetWebhookUrl(https, "https://hooks.sgddt.soctrang.gov.vn/").ok());
}

TEST_F(WebhookTargetTest, UnresolvedHostIsItsOwnRefusal) {
  auto t = VetWebhookUrl(Policy(), "https://khong-ton-tai.example.vn/");
  EXPECT_EQ(t.refusal, WebhookTarget::Refusal::kUnresolved);
  EXPECT_NE(t.error.find("does not resolve"), std::string::npos) << t.error;
}

// The real resolver on names that need no DNS server: literals and /etc/hosts' localhost.
TEST(SystemResolver, ResolvesLiteralsAndLocalhost) {
  SystemResolver r;
  auto v4 = r.Resolve("127.0.0.1", 80);
  ASSERT_EQ(v4.addresses.size(), 1u) << v4.error;
  EXPECT_EQ(v4.addresses[0].ToString(), "127.0.0.1");
  auto v6 = r.Resolve("::1", 80);
  ASSERT_EQ(v6.addresses.size(), 1u) << v6.error;
  EXPECT_TRUE(v6.addresses[0].v6);
  WebhookPolicy p;  // the default: the system resolver, no allow-list
  EXPECT_EQ(VetWebhookUrl(p, "http://127.0.0.1:9/").refusal, WebhookTarget::Refusal::kAddress);
  EXPECT_EQ(VetWebhookUrl(p, "http://localhost:9/").refusal, WebhookTarget::Refusal::kAddress);
}

}  // namespace
}  // namespace cchc::notification
