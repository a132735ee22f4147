#include "drafts.h"

#include <atomic>
#include <thread>

#include "driver.h"

namespace cchc::loadgen {

std::vector<std::string> CreateDrafts(document::v1::DocumentService::Stub& stub, const std::string& editor_token,
                                      const DraftShape& shape, int count) {
  std::vector<std::string> names(count);
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i; (i = next++) < count;) {
        document::v1::CreateDocumentRequest req;
        auto* d = req.mutable_document();
        d->set_code(std::to_string(i + 1) + "/KH-" + shape.code_suffix);
        d->set_issue_date("2026-11-20");
        d->set_subject(shape.subject + " " + std::to_string(i + 1));
        d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
        d->add_fields(shape.field);
        d->mutable_signer()->set_name("Trần Văn Chuyện");
        document::v1::Document out;
        Must(stub.CreateDocument(BearerContext(editor_token).get(), req, &out), "CreateDocument");
        names[i] = out.name();
      }
    });
  for (auto& t : threads) t.join();
  return names;
}

}  // namespace cchc::loadgen
