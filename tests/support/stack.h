#pragma once
// The real parts of a test, started for it: PostgreSQL (initdb/pg_ctl via tools/pg-cluster), the embedded
// Kafka broker (cchc-broker), and service processes.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "process.h"

namespace cchc::testing {

class PostgresCluster {
 public:
  PostgresCluster();  // initdb + start in a temporary folder; throws on failure
  ~PostgresCluster();
  // Creates the service's schema and role (deploy/postgres/provision.sql); returns its connection URL.
  std::string Provision(const std::string& service);
  // Superuser psql -c; returns the output (tuples only, unaligned). Calls may overlap (one on each thread).
  std::string Sql(const std::string& sql);
  // Sql without its trailing newlines: one value, or rows separated by '\n'.
  std::string Value(const std::string& sql);
  // Stops the server (an outage); its port stays this process's (a listener that closes every connection at once,
  // as a refused one fails) until Start, so that a test binary ctest runs beside this one cannot take it meanwhile.
  void Stop();
  void Start();
  int Port() const { return port_; }
  // The cluster's folder: data/, run/ (its socket), logs. 0700, like data/ and run/.
  const std::string& Dir() const { return dir_.Path(); }

 private:
  class PortHold;
  TempDir dir_;
  int port_;
  std::unique_ptr<PortHold> hold_;  // while stopped
};

class Broker {
 public:
  Broker();  // cchc-broker on free loopback ports; waits for its ready line
  ~Broker() = default;
  const std::string& Bootstrap() const { return bootstrap_; }
  // Sends one control command ("down all", "up all", …) and returns the reply.
  std::string Control(const std::string& command);

 private:
  TempDir dir_;
  std::unique_ptr<Process> process_;
  std::string bootstrap_;
  int control_port_ = 0;
};

// Waits until the service process reports `cchc_ready 1` on its /metrics port; false when it exits first or
// `timeout` passes.
bool WaitUntilReady(Process& service, int metrics_port, std::chrono::seconds timeout = std::chrono::seconds(30));

// A call context with the bearer `token` (none when empty), a deadline, and wait-for-ready (after a restart
// the channel may still be backing off).
std::unique_ptr<grpc::ClientContext> CallContext(const std::string& token, int seconds = 10,
                                                 bool wait_for_ready = true);

// Writes `dir`/page-token-keys (one fixed test key) and returns its path, for --page-token-keys-file: every
// process of a test given it accepts the others' page tokens, across restarts too.
std::string WritePageTokenKeys(const std::string& dir);

// Writes a --tokens-file at `path`: a line per (token, "PRINCIPAL roles") with the token's SHA-256.
void WriteTokensFile(const std::string& path, const std::vector<std::pair<std::string, std::string>>& tokens);

// The command line every service process of a test starts with: `binary` (BinaryPath's), its database, the
// broker, the tokens file, its gRPC address and its metrics port on loopback.
std::vector<std::string> ServiceArgv(const std::string& binary, const std::string& database_url,
                                     const std::string& brokers, const std::string& tokens_file,
                                     const std::string& grpc_address, int metrics_port);

// Sets each "--flag", "value" pair of `pairs` in `argv`: replaces the value of a flag it has, adds the others.
void SetFlags(std::vector<std::string>& argv, const std::vector<std::string>& pairs);

// Where the build put the binaries and the sources (compile definitions from tests/CMakeLists.txt).
std::string SourceDir();
std::string BinaryPath(const std::string& name);

}  // namespace cchc::testing
