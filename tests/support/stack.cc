#include "stack.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include "platform/crypto.h"
#include "platform/net.h"

namespace cchc::testing {

std::string SourceDir() {
  return CCHC_SOURCE_DIR;
}

std::string WritePageTokenKeys(const std::string& dir) {
  std::string path = dir + "/page-token-keys";
  std::ofstream out(path);
  out << "# page tokens of the test's services\n"
      << "cchc-test-page-token-key-7f3a9c2e5b8d1f4a6c0e\n";
  if (!out) throw std::runtime_error("cannot write " + path);
  return path;
}

void WriteTokensFile(const std::string& path, const std::vector<std::pair<std::string, std::string>>& tokens) {
  std::ofstream out(path);
  for (const auto& [token, principal] : tokens) out << crypto::Sha256Hex(token) << " " << principal << "\n";
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<std::string> ServiceArgv(const std::string& binary, const std::string& database_url,
                                     const std::string& brokers, const std::string& tokens_file,
                                     const std::string& grpc_address, int metrics_port) {
  return {BinaryPath(binary),
          "--database-url",
          database_url,
          "--kafka-brokers",
          brokers,
          "--tokens-file",
          tokens_file,
          "--grpc-address",
          grpc_address,
          "--metrics-address",
          "127.0.0.1:" + std::to_string(metrics_port)};
}

void SetFlags(std::vector<std::string>& argv, const std::vector<std::string>& pairs) {
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    auto it = std::find(argv.begin(), argv.end(), pairs[i]);
    if (it != argv.end())
      *(it + 1) = pairs[i + 1];
    else
      argv.insert(argv.end(), {pairs[i], pairs[i + 1]});
  }
}

std::string BinaryPath(const std::string& name) {
  if (name == "cchc-broker") return CCHC_BROKER_BIN;
  if (name == "document-service") return CCHC_DOCUMENT_BIN;
  if (name == "news-service") return CCHC_NEWS_BIN;
  if (name == "cchcctl") return CCHC_CCHCCTL_BIN;
  // Any other service: <build>/services/<name>/<name>-service (its test target depends on it).
  const std::string suffix = "-service";
  if (name.size() > suffix.size() && name.ends_with(suffix)) {
    return std::string(CCHC_BUILD_DIR) + "/services/" + name.substr(0, name.size() - suffix.size()) + "/" + name;
  }
  throw std::invalid_argument("unknown binary " + name);
}

// Holds a stopped server's port: listens on it and closes each connection as it comes. Another test binary's
// FreePort, walking past its own block, found the port of a cluster stopped for an outage test free and gave it to
// a server of its own; the cluster could not start again (platform_integration_tests aborted in CI, 8 Dec 2026).
class PostgresCluster::PortHold {
 public:
  explicit PortHold(int port) {
    int bound = 0;
    fd_ = net::ListenTcp("127.0.0.1:" + std::to_string(port), &bound);
    if (pipe(wake_) != 0) {
      close(fd_);
      throw std::runtime_error("pipe failed");
    }
    thread_ = std::thread([this] {
      for (;;) {
        pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents) return;
        if (int c = accept(fd_, nullptr, nullptr); c >= 0) close(c);
      }
    });
  }
  ~PortHold() {
    [[maybe_unused]] ssize_t n = write(wake_[1], "x", 1);
    thread_.join();
    close(fd_);
    close(wake_[0]);
    close(wake_[1]);
  }
  PortHold(const PortHold&) = delete;
  PortHold& operator=(const PortHold&) = delete;

 private:
  int fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

PostgresCluster::PostgresCluster() : port_(FreePort()) {
  Shell(SourceDir() + "/tools/pg-cluster init " + dir_.Path() + " " + std::to_string(port_));
  Start();
}

PostgresCluster::~PostgresCluster() {
  hold_.reset();
  Shell(SourceDir() + "/tools/pg-cluster stop " + dir_.Path());
}

void PostgresCluster::Start() {
  hold_.reset();
  Shell(SourceDir() + "/tools/pg-cluster start " + dir_.Path() + " " + std::to_string(port_));
}

void PostgresCluster::Stop() {
  Shell(SourceDir() + "/tools/pg-cluster stop " + dir_.Path());
  try {
    hold_ = std::make_unique<PortHold>(port_);
  } catch (const std::exception&) {
    // already taken (the race this closes): Start will say so
  }
}

std::string PostgresCluster::Provision(const std::string& service) {
  std::string password = "pw-" + service + "-test";
  Shell(SourceDir() + "/tools/pg-cluster provision " + dir_.Path() + " " + std::to_string(port_) + " " + service + " " +
        password);
  return "postgresql://cchc_" + service + ":" + password + "@127.0.0.1:" + std::to_string(port_) + "/cchc";
}

std::string PostgresCluster::Sql(const std::string& sql) {
  // A file per call: a test may run one statement while another (a lock held for a while) is still running.
  static std::atomic<int> calls{0};
  std::string file = dir_.Path() + "/query-" + std::to_string(++calls) + ".sql";
  std::ofstream(file) << sql;
  auto out = Shell(SourceDir() + "/tools/pg-cluster psql " + dir_.Path() + " " + std::to_string(port_) +
                   " -v ON_ERROR_STOP=1 -qtA -f - < " + file);
  std::remove(file.c_str());
  return out;
}

std::string PostgresCluster::Value(const std::string& sql) {
  auto out = Sql(sql);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Broker::Broker() {
  std::string log = dir_.Path() + "/broker.log";
  process_ = std::make_unique<Process>(std::vector<std::string>{BinaryPath("cchc-broker"), "--address", "127.0.0.1:0",
                                                                "--control-address", "127.0.0.1:0"},
                                       log);
  std::smatch m;
  std::regex ready("ready bootstrap=([0-9.:]+) control=[0-9.]+:([0-9]+)");
  bool ok = WaitFor(
      [&] {
        std::string text = process_->Log();
        if (!std::regex_search(text, m, ready)) return false;
        bootstrap_ = m[1];
        control_port_ = std::stoi(m[2]);
        return true;
      },
      std::chrono::seconds(10));
  if (!ok) throw std::runtime_error("broker did not start: " + process_->Log());
}

std::string Broker::Control(const std::string& command) {
  int fd = net::ConnectTcp("127.0.0.1", control_port_);
  if (fd < 0) throw std::runtime_error("broker control port closed");
  net::SendAll(fd, command + "\n");
  std::string reply;
  char c;
  while (recv(fd, &c, 1, 0) == 1 && c != '\n') reply += c;
  close(fd);
  return reply;
}

bool WaitUntilReady(Process& service, int metrics_port, std::chrono::seconds timeout) {
  return WaitFor(
             [&] { return MetricValue(HttpGet(metrics_port, "/metrics"), "cchc_ready") == 1 || !service.Running(); },
             timeout) &&
         service.Running();
}

std::unique_ptr<grpc::ClientContext> CallContext(const std::string& token, int seconds, bool wait_for_ready) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_wait_for_ready(wait_for_ready);
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return ctx;
}

}  // namespace cchc::testing
