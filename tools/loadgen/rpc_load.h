#pragma once
// The three read RPCs of the document service under closed-loop load.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "driver.h"

namespace cchc::loadgen {

class DocumentLoad {
 public:
  DocumentLoad(std::vector<std::shared_ptr<grpc::Channel>> channels, std::string token);
  ~DocumentLoad();

  // GetDocument of a random name from `names`.
  Stats Get(const LoadShape& shape, const std::vector<std::string>& names);
  // The portal's sidebar: published documents of `field`, newest first, first page of `page_size`; `basic` asks
  // for the BASIC view, as the portal does.
  Stats List(const LoadShape& shape, const std::string& field, int page_size, bool basic);
  // SearchDocuments of a random query among `queries`, published only, first page of `page_size`.
  Stats Search(const LoadShape& shape, const std::vector<std::string>& queries, int page_size);

 private:
  struct Stubs;
  std::unique_ptr<Stubs> stubs_;
  std::string bearer_;
};

}  // namespace cchc::loadgen
