#include "rpc_load.h"

#include <random>

#include "cchc/document/v1/document.grpc.pb.h"

namespace cchc::loadgen {

namespace v1 = cchc::document::v1;

namespace {

template <typename Request, typename Response>
struct Slot {
  std::unique_ptr<grpc::ClientContext> ctx;
  Request request;
  Response response;
  std::mt19937_64 rng;
};

template <typename Request, typename Response>
std::vector<Slot<Request, Response>> MakeSlots(int n, uint64_t seed) {
  std::vector<Slot<Request, Response>> slots(static_cast<size_t>(n));
  for (size_t i = 0; i < slots.size(); ++i) slots[i].rng.seed(seed + i);
  return slots;
}

// A fresh context with the token and a 5 s deadline (every call is bounded in time).
template <typename S>
void Reset(S& s, const std::string& bearer) {
  s.ctx = std::make_unique<grpc::ClientContext>();
  s.ctx->AddMetadata("authorization", bearer);
  s.ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  s.response.Clear();
}

}  // namespace

struct DocumentLoad::Stubs {
  std::vector<std::unique_ptr<v1::DocumentService::Stub>> all;
  v1::DocumentService::Stub::async_interface* For(int slot) {
    return all[static_cast<size_t>(slot) % all.size()]->async();
  }
};

DocumentLoad::DocumentLoad(std::vector<std::shared_ptr<grpc::Channel>> channels, std::string token)
    : stubs_(std::make_unique<Stubs>()), bearer_("Bearer " + std::move(token)) {
  for (auto& c : channels) stubs_->all.push_back(v1::DocumentService::NewStub(c));
}

DocumentLoad::~DocumentLoad() = default;

Stats DocumentLoad::Get(const LoadShape& shape, const std::vector<std::string>& names) {
  auto slots = MakeSlots<v1::GetDocumentRequest, v1::Document>(shape.concurrency, 101);
  return RunAsync("GetDocument", shape, [&](int i, Done done) {
    auto& s = slots[static_cast<size_t>(i)];
    Reset(s, bearer_);
    s.request.set_name(names[s.rng() % names.size()]);
    stubs_->For(i)->GetDocument(s.ctx.get(), &s.request, &s.response,
                                [done = std::move(done)](grpc::Status st) { done(ErrorName(st)); });
  });
}

Stats DocumentLoad::List(const LoadShape& shape, const std::string& field, int page_size, bool basic) {
  auto slots = MakeSlots<v1::ListDocumentsRequest, v1::ListDocumentsResponse>(shape.concurrency, 202);
  for (auto& s : slots) {
    s.request.mutable_filter()->set_field(field);
    s.request.mutable_filter()->set_status(v1::PUBLISHED);  // what a reader sees, whatever the token's role
    s.request.set_page_size(page_size);
    s.request.set_view(basic ? v1::BASIC : v1::FULL);
  }
  return RunAsync("ListDocuments", shape, [&](int i, Done done) {
    auto& s = slots[static_cast<size_t>(i)];
    Reset(s, bearer_);
    stubs_->For(i)->ListDocuments(s.ctx.get(), &s.request, &s.response,
                                  [done = std::move(done)](grpc::Status st) { done(ErrorName(st)); });
  });
}

Stats DocumentLoad::Search(const LoadShape& shape, const std::vector<std::string>& queries, int page_size) {
  auto slots = MakeSlots<v1::SearchDocumentsRequest, v1::SearchDocumentsResponse>(shape.concurrency, 303);
  for (auto& s : slots) {
    s.request.mutable_filter()->set_status(v1::PUBLISHED);
    s.request.set_page_size(page_size);
  }
  return RunAsync("SearchDocuments", shape, [&](int i, Done done) {
    auto& s = slots[static_cast<size_t>(i)];
    Reset(s, bearer_);
    s.request.set_query(queries[s.rng() % queries.size()]);
    stubs_->For(i)->SearchDocuments(s.ctx.get(), &s.request, &s.response,
                                    [done = std::move(done)](grpc::Status st) { done(ErrorName(st)); });
  });
}

}  // namespace cchc::loadgen
