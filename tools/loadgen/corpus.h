#pragma once
// The benchmark corpus: N realistic documents of the Sở Giáo dục và Đào tạo, created and published through
// the gRPC API. Deterministic: document i always has the same code, date, subject and request_id, so a
// rerun replays instead of duplicating.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"

namespace cchc::loadgen {

namespace v1 = cchc::document::v1;

inline constexpr const char* kCchcField = "Cải cách hành chính";

// Document number i of the corpus (0 ≤ i < total).
v1::Document CorpusDocument(int64_t i, int64_t total);
// The corpus index loaded k-th (0 ≤ k < total): oldest issue date first, as a register fills through the years
// (document i's year is i mod 16, so loading by i would lay 16 years side by side on every heap page).
int64_t LoadOrder(int64_t k, int64_t total);

struct CorpusReport {
  int64_t existing = 0;  // published documents found before loading
  int64_t created = 0;   // documents created and published by this run (replays included)
  int64_t failed = 0;
  double seconds = 0;
  bool skipped = false;
};

class Corpus {
 public:
  Corpus(std::vector<std::shared_ptr<grpc::Channel>> channels, std::string token);
  ~Corpus();

  // Names ("documents/{id}") of every published document, paging ListDocuments.
  std::vector<std::string> ListPublished();
  // Creates and publishes documents [0, total), in LoadOrder(), with `workers` concurrent workers; returns their names.
  std::vector<std::string> Load(int64_t total, int workers, CorpusReport* report);

 private:
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::string bearer_;
};

}  // namespace cchc::loadgen
