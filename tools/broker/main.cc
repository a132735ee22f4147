// cchc-broker: the embedded Kafka broker of the local stack and the tests. It prints one line,
//   ready bootstrap=127.0.0.1:<port> control=127.0.0.1:<port> brokers=<mock list>
// then serves until SIGTERM/SIGINT. The control port takes one command per line (see MockCluster::Control)
// and answers one line.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>

#include "forwarder.h"
#include "mock_cluster.h"
#include "platform/net.h"

namespace {
volatile sig_atomic_t g_stop = 0;
void OnSignal(int) {
  g_stop = 1;
}

void ServeControl(int fd, cchc::broker::MockCluster& cluster) {
  std::string buffer;
  char chunk[1024];
  while (true) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string reply = cluster.Control(line) + "\n";
      std::fprintf(stderr, "control: %s -> %s", line.c_str(), reply.c_str());
      cchc::net::SendAll(fd, reply);
    }
  }
  close(fd);
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc embedded Kafka broker (librdkafka mock cluster)"};
  std::string address = "127.0.0.1:9092";
  std::string control_address = "127.0.0.1:9093";
  int brokers = 3;
  int partitions = 3;
  std::vector<std::string> topics = {"cchc.document.v1", "cchc.news.v1", "cchc.scoring.v1", "cchc.notification.dlq"};
  app.add_option("--address", address, "Bootstrap listen address (loopback)")
      ->envname("CCHC_BROKER_ADDRESS")
      ->capture_default_str();
  app.add_option("--control-address", control_address, "Control listen address (loopback)")
      ->envname("CCHC_BROKER_CONTROL_ADDRESS")
      ->capture_default_str();
  app.add_option("--brokers", brokers, "Mock brokers in the cluster")->check(CLI::Range(1, 9))->capture_default_str();
  app.add_option("--partitions", partitions, "Partitions per topic")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--topic", topics, "Topics to create")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  try {
    cchc::broker::MockCluster cluster(brokers);
    for (const auto& t : topics) cluster.CreateTopic(t, partitions);
    std::vector<std::string> targets;
    std::stringstream list(cluster.Bootstraps());
    for (std::string t; std::getline(list, t, ',');) targets.push_back(t);
    cchc::broker::Forwarder forwarder(address, targets);
    int control_port = 0;
    int control_fd = cchc::net::ListenTcp(control_address, &control_port);
    auto host = cchc::net::SplitHostPort(address).first;
    std::printf("ready bootstrap=%s:%d control=%s:%d brokers=%s\n", host.c_str(), forwarder.Port(),
                cchc::net::SplitHostPort(control_address).first.c_str(), control_port, cluster.Bootstraps().c_str());
    std::fflush(stdout);
    while (!g_stop) {
      pollfd p{control_fd, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      int fd = accept(control_fd, nullptr, nullptr);
      if (fd >= 0) std::thread(ServeControl, fd, std::ref(cluster)).detach();
    }
    close(control_fd);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cchc-broker: %s\n", e.what());
    return 1;
  }
  return 0;
}
