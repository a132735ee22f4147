// PostWebhook under the SSRF policy against a loopback receiver in this process: the connection goes to the
// vetted address under the URL's own host name (CURLOPT_RESOLVE), a redirect is not followed, a proxy from the
// environment is not used, a refused address is a permanent failure before any connection. The names used are
// under .test (RFC 6761), which no DNS server answers; only 127.0.0.1 is ever connected to.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include "rules/signature.h"
#include "senders.h"

namespace cchc::notification {
namespace {

// Accepts connections on 127.0.0.1, reads one request each and answers `response`; keeps the requests' heads.
class Receiver {
 public:
  explicit Receiver(std::string response) : response_(std::move(response)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(listen(fd_, 8), 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~Receiver() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::string> Requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    for (;;) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string in;
      char buf[4096];
      while (in.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(in.substr(0, in.find("\r\n\r\n")));
      }
      ssize_t written = write(c, response_.data(), response_.size());
      (void)written;
      close(c);
    }
  }
  std::string response_;
  int fd_ = -1, port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

class MapResolver final : public Resolver {
 public:
  explicit MapResolver(std::map<std::string, std::string> m) : m_(std::move(m)) {}
  Answer Resolve(const std::string& host, int) const override {
    auto it = m_.find(host);
    if (it == m_.end()) return {{}, "Name or service not known"};
    return {{*ParseIp(it->second)}, ""};
  }

 private:
  std::map<std::string, std::string> m_;
};

WebhookPolicy LoopbackAllowed() {
  WebhookPolicy p;
  p.allow.push_back(*ParseCidr("127.0.0.0/8"));
  p.resolver = std::make_shared<MapResolver>(
      std::map<std::string, std::string>{{"hooks.cchc.test", "127.0.0.1"}, {"rebind.cchc.test", "10.0.0.1"}});
  return p;
}

const WebhookMessage kMessage{"msg_0b6e2f3a-0000-4000-8000-000000000001",
                              {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "legacy-secret-0123456789"},
                              R"({"type":"cchc.document.v1.DocumentPublished","timestamp":"","data":{}})",
                              "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"};

// The value of header `name` (lower case, as sent) in a request head; empty when absent.
std::string HeaderOf(const std::string& head, const std::string& name) {
  size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return head.substr(at, head.find("\r\n", at) - at);
}

TEST(WebhookPin, ConnectsToTheVettedAddressUnderTheUrlsHostName) {
  Receiver r("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  std::string url = "http://hooks.cchc.test:" + std::to_string(r.port()) + "/cchc";
  auto result = PostWebhook(url, kMessage, std::chrono::seconds(5), LoopbackAllowed());
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.status_code, 204);
  auto requests = r.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("POST /cchc HTTP/1.1", 0), 0u) << requests[0];
  EXPECT_NE(requests[0].find("Host: hooks.cchc.test:" + std::to_string(r.port())), std::string::npos) << requests[0];
  // Standard Webhooks' headers: the message id, this attempt's time, one signature per secret.
  EXPECT_EQ(HeaderOf(requests[0], "webhook-id"), kMessage.id);
  std::string ts = HeaderOf(requests[0], "webhook-timestamp");
  ASSERT_FALSE(ts.empty()) << requests[0];
  EXPECT_LE(std::abs(std::time(nullptr) - std::stoll(ts)), 5);
  std::string signature = HeaderOf(requests[0], "webhook-signature");
  EXPECT_EQ(signature, SignatureHeader(kMessage.secrets, kMessage.id, ts, kMessage.body));
  EXPECT_NE(signature.find(' '), std::string::npos);
  EXPECT_EQ(HeaderOf(requests[0], "traceparent"), kMessage.traceparent);
}

TEST(WebhookPin, RedirectIsAFailureAndNotFollowed) {
  Receiver r(
      "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: "
      "0\r\nConnection: close\r\n\r\n");
  auto result = PostWebhook("http://127.0.0.1:" + std::to_string(r.port()) + "/", kMessage, std::chrono::seconds(5),
                            LoopbackAllowed());
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status_code, 302);
  EXPECT_EQ(r.Requests().size(), 1u);
}

TEST(WebhookPin, ProxyFromTheEnvironmentIsNotUsed) {
  Receiver r("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  setenv("http_proxy", "http://127.0.0.1:1", 1);  // nothing listens there
  auto result = PostWebhook("http://hooks.cchc.test:" + std::to_string(r.port()) + "/", kMessage,
                            std::chrono::seconds(5), LoopbackAllowed());
  unsetenv("http_proxy");
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(r.Requests().size(), 1u);
}

TEST(WebhookPin, RefusedOrUnresolvedHostIsNeverConnectedTo) {
  Receiver r("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  auto refused = PostWebhook("http://rebind.cchc.test:" + std::to_string(r.port()) + "/", kMessage,
                             std::chrono::seconds(5), LoopbackAllowed());
  EXPECT_TRUE(refused.permanent);
  EXPECT_EQ(refused.status_code, 0);
  EXPECT_NE(refused.error.find("refused by the SSRF policy: rebind.cchc.test resolves to 10.0.0.1 is private"),
            std::string::npos)
      << refused.error;
  WebhookPolicy strict = LoopbackAllowed();
  strict.allow.clear();
  auto loopback =
      PostWebhook("http://127.0.0.1:" + std::to_string(r.port()) + "/", kMessage, std::chrono::seconds(5), strict);
  EXPECT_TRUE(loopback.permanent);
  auto unresolved = PostWebhook("http://gone.cchc.test:" + std::to_string(r.port()) + "/", kMessage,
                                std::chrono::seconds(5), LoopbackAllowed());
  EXPECT_FALSE(unresolved.ok());
  EXPECT_FALSE(unresolved.permanent);  // DNS may come back: retried
  EXPECT_TRUE(r.Requests().empty());
}

}  // namespace
}  // namespace cchc::notification
