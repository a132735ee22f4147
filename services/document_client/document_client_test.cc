#include "document_client.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/grpc_channel.h"

namespace cchc {
namespace {

const google::protobuf::ServiceDescriptor& DocumentService() {
  return *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      document::v1::DocumentService::service_full_name());
}

TEST(DocumentClientRetries, CoverOnlyUnaryReadsOfTheDocumentService) {
  auto config = nlohmann::json::parse(grpc_channel::ServiceConfigJson(
      document::v1::DocumentService::service_full_name(), kDocumentServiceIdempotentReads));
  const auto& names = config["methodConfig"][0]["name"];
  ASSERT_EQ(names.size(), kDocumentServiceIdempotentReads.size());
  for (const auto& name : names) {
    SCOPED_TRACE(name.dump());
    EXPECT_EQ(name["service"], DocumentService().full_name());
    const auto* method = DocumentService().FindMethodByName(name["method"].get<std::string>());
    ASSERT_NE(method, nullptr) << "no such method";
    EXPECT_FALSE(method->client_streaming() || method->server_streaming());
    const std::string& n = method->name();
    EXPECT_TRUE(n.rfind("Get", 0) == 0 || n.rfind("List", 0) == 0 || n.rfind("Search", 0) == 0) << "not a read";
  }
}

TEST(DocumentClientRetries, NeverAWrite) {
  for (int i = 0; i < DocumentService().method_count(); ++i) {
    const std::string& name = DocumentService().method(i)->name();
    bool read = name.rfind("Get", 0) == 0 || name.rfind("List", 0) == 0 || name.rfind("Search", 0) == 0 ||
                name.rfind("Download", 0) == 0;
    if (read) continue;
    EXPECT_EQ(std::count(kDocumentServiceIdempotentReads.begin(), kDocumentServiceIdempotentReads.end(), name), 0)
        << name << " changes state and must not be retried";
  }
}

TEST(DocumentClientRetries, CoverTheMethodTheClientCalls) {
  EXPECT_EQ(
      std::count(kDocumentServiceIdempotentReads.begin(), kDocumentServiceIdempotentReads.end(), "GetDocumentByCode"),
      1);
}

TEST(DocumentServiceOptions, TlsFlagsAreCheckedAtStartUp) {
  CLI::App app;
  DocumentServiceOptions options;
  AddDocumentServiceOptions(app, options);
  app.parse("--document-service-tls-cert-file /nonexistent/client.pem", false);
  try {
    ValidateDocumentServiceOptions(options);
    FAIL() << "a certificate without a key passed";
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("--document-service-tls-key-file"), std::string::npos) << e.what();
  }
  options.tls.key_file = "/nonexistent/client.key";
  try {
    ValidateDocumentServiceOptions(options);
    FAIL() << "an unreadable certificate passed";
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("--document-service-tls-cert-file: cannot read /nonexistent/client.pem"),
              std::string::npos)
        << e.what();
  }
}

TEST(DocumentServiceOptions, InsecureByDefault) {
  CLI::App app;
  DocumentServiceOptions options;
  AddDocumentServiceOptions(app, options);
  app.parse("", false);
  EXPECT_FALSE(options.tls.Enabled());
  EXPECT_NO_THROW(ValidateDocumentServiceOptions(options));
}

}  // namespace
}  // namespace cchc
