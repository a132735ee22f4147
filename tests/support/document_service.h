#pragma once
// The document service started for another service's suite (news, scoring, notification): its own schema on
// the suite's cluster, the suite's tokens file, ports of its own and a stub.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"
#include "stack.h"

namespace cchc::testing {

class DocumentDependency {
 public:
  // Provisions the document schema on `pg` and picks free ports; nothing runs until Start. The process reads
  // `dir`/tokens, logs to `dir`/document-service.log and gets `extra_flags` (e.g. TLS); Stub() connects with
  // `credentials` (null: plain text).
  DocumentDependency(PostgresCluster& pg, const Broker& broker, std::string dir,
                     std::vector<std::string> extra_flags = {},
                     std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);
  ~DocumentDependency();  // SIGTERM to a process still running

  // Starts (or restarts) the process and waits until it reports ready; fails the test otherwise.
  void Start();
  // Sends `signal` (SIGKILL: a crash) and waits for the process to end.
  void Stop(int signal, std::chrono::seconds wait = std::chrono::seconds(30));
  bool Running() const { return process_ != nullptr; }

  const std::string& Address() const { return address_; }
  const std::string& Url() const { return url_; }
  int MetricsPort() const { return metrics_port_; }
  document::v1::DocumentService::Stub& Stub() { return *stub_; }

  // Creates and publishes "998/QĐ-SGDĐT" as `token`; returns its code (the test fails on an error).
  std::string PublishSampleDocument(const std::string& token);

 private:
  const Broker& broker_;
  std::string dir_, url_, address_;
  std::vector<std::string> extra_flags_;
  int metrics_port_;
  std::unique_ptr<Process> process_;
  std::unique_ptr<document::v1::DocumentService::Stub> stub_;
};

}  // namespace cchc::testing
