#include "document_limits_fixture.h"

namespace cchc::testing {

void DocumentLimitsTest::SetUpTestSuite() {
  dir_ = std::make_unique<TempDir>();
  extra_args_ = {"--read-cache-ttl-ms",
                 "60000",
                 "--max-attachment-bytes",
                 std::to_string(kMaxAttachmentBytes),
                 "--download-concurrency",
                 std::to_string(kDownloadConcurrency),
                 "--download-idle-seconds",
                 std::to_string(kDownloadIdleSeconds),
                 "--page-token-keys-file",
                 WritePageTokenKeys(dir_->Path()),
                 "--log-level",
                 "warn"};
  DocumentServiceTest::SetUpTestSuite();
}

void DocumentLimitsTest::PublishDocuments(int count) {
  for (int i = 0; i < count; ++i) {
    document::v1::CreateDocumentRequest create;
    *create.mutable_document() = NewDocument();
    create.mutable_document()->set_issue_date("2018-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10));
    std::string subject = "Kế hoạch tuyên truyền cải cách hành chính năm 2018 của Sở Giáo dục và Đào tạo";
    while (subject.size() < 400) subject += "; chỉ số cải cách hành chính (PAR INDEX) của tỉnh Sóc Trăng";
    create.mutable_document()->set_subject(subject.substr(0, subject.rfind(';')));
    document::v1::Document doc, published;
    auto s = Stub().CreateDocument(Context(kEditor).get(), create, &doc);
    ASSERT_TRUE(s.ok()) << s.error_message();
    document::v1::PublishDocumentRequest publish;
    publish.set_name(doc.name());
    s = Stub().PublishDocument(Context(kEditor).get(), publish, &published);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
}

}  // namespace cchc::testing
