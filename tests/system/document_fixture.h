#pragma once
// A running document service (its own process) over a real PostgreSQL cluster and the embedded broker,
// with tokens for an admin, two editors of different units and a reader.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>

#include "cchc/document/v1/document.grpc.pb.h"
#include "support/stack.h"

namespace cchc::testing {

class DocumentServiceTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // Starts (or restarts) the service process and waits until it reports ready.
  static void StartService();
  static void StopService(int signal);

  // A call context carrying `token` and a 10 s deadline. By default the call waits for the channel to
  // (re)connect — after a service restart the channel may still be backing off.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token, bool wait_for_ready = true);
  static document::v1::DocumentService::Stub& Stub();

  // A valid document to create, with a code unique to this process.
  static document::v1::Document NewDocument(const std::string& type = "KH");
  static std::string Count(const std::string& table);  // rows in document.<table>
  // Uploads `content` as a text/plain attachment `file_name` of `document` (documents/{id}), one chunk.
  static grpc::Status UploadText(const std::string& token, const std::string& document, const std::string& file_name,
                                 const std::string& content, document::v1::Attachment* stored);

  // "--flag", "value" pairs StartService passes on top of its own (replacing a flag it sets); a suite sets them
  // before SetUpTestSuite.
  static std::vector<std::string> extra_args_;

  static PostgresCluster* pg_;
  static Broker* broker_;
  static std::unique_ptr<Process> service_;
  static std::unique_ptr<TempDir> dir_;
  static std::string database_url_, address_;
  static int metrics_port_;
  static std::shared_ptr<grpc::Channel> channel_;
  static std::unique_ptr<document::v1::DocumentService::Stub> stub_;

  static constexpr const char* kAdmin = "admin-token-for-tests";
  static constexpr const char* kEditor = "editor-tccb-token";      // SGDĐT-TCCB editor
  static constexpr const char* kOtherEditor = "editor-snv-token";  // SNV editor
  static constexpr const char* kReader = "reader-token";
};

}  // namespace cchc::testing
