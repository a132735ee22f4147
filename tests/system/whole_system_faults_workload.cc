#include "system/whole_system_faults_workload.h"

#include <chrono>

namespace cchc::testing {
namespace {

// Calls `attempt` until it succeeds or the test gives up (a write the test never saw acknowledged is not
// counted as acknowledged). Returns the last status.
template <typename Fn>
grpc::Status Retry(const std::atomic<bool>& stop, Fn&& attempt) {
  grpc::Status status;
  for (int i = 0; i < 200; ++i) {
    status = attempt();
    if (status.ok() || stop.load()) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return status;
}

bool Uncertain(const grpc::Status& s) {
  // The call may have taken effect before its answer was lost.
  return s.error_code() == grpc::StatusCode::UNAVAILABLE || s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
         s.error_code() == grpc::StatusCode::CANCELLED || s.error_code() == grpc::StatusCode::UNKNOWN ||
         s.error_code() == grpc::StatusCode::INTERNAL;
}

}  // namespace

void WriteDocuments(SystemStack& s, const std::atomic<bool>& stop, Acknowledged& acked) {
  for (int i = 0; !stop; ++i) {
    dv1::CreateDocumentRequest req;
    req.set_request_id("fault-doc-" + std::to_string(i));
    auto* d = req.mutable_document();
    d->set_code(std::to_string(5000 + i) + "/KH-SGDĐT");
    d->set_issue_date("2018-06-19");
    d->set_subject("Kế hoạch cải cách hành chính số " + std::to_string(i));
    d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
    d->add_fields("Cải cách hành chính");
    dv1::Document draft;
    auto created =
        Retry(stop, [&] { return s.Documents().CreateDocument(s.Context(Tokens::kAdmin).get(), req, &draft); });
    if (!created.ok()) continue;
    dv1::PublishDocumentRequest publish;
    publish.set_name(draft.name());
    dv1::Document published;
    auto status = Retry(stop, [&] {
      auto st = s.Documents().PublishDocument(s.Context(Tokens::kAdmin).get(), publish, &published);
      if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {  // published by an attempt whose answer was lost
        dv1::GetDocumentRequest get;
        get.set_name(draft.name());
        auto got = s.Documents().GetDocument(s.Context(Tokens::kAdmin).get(), get, &published);
        if (got.ok() && published.status() == dv1::PUBLISHED) return grpc::Status::OK;
      }
      return st;
    });
    if (!status.ok()) continue;
    {
      std::lock_guard lock(acked.mu);
      acked.documents.insert(draft.name());
    }
    if (i % 2 == 0) continue;  // every other document is edited once published: a DocumentUpdated behind it
    dv1::UpdateDocumentRequest update;
    update.mutable_document()->set_name(draft.name());
    update.mutable_document()->set_subject("Kế hoạch cải cách hành chính số " + std::to_string(i) + " (sửa đổi)");
    update.mutable_update_mask()->add_paths("subject");
    dv1::Document edited;
    if (Retry(stop, [&] {
          return s.Documents().UpdateDocument(s.Context(Tokens::kAdmin).get(), update, &edited);
        }).ok()) {
      std::lock_guard lock(acked.mu);
      acked.edited[draft.name()] = update.document().subject();
    }
  }
}

void WriteArticles(SystemStack& s, const std::atomic<bool>& stop, Acknowledged& acked) {
  for (int i = 0; !stop; ++i) {
    nv1::CreateArticleRequest req;
    req.set_request_id("fault-article-" + std::to_string(i));
    req.mutable_article()->set_title("Tin cải cách hành chính số " + std::to_string(i));
    req.mutable_article()->set_category("Cải cách hành chính");
    nv1::Article draft;
    auto created = Retry(stop, [&] { return s.News().CreateArticle(s.Context(Tokens::kEditor).get(), req, &draft); });
    if (!created.ok()) continue;
    nv1::PublishArticleRequest publish;
    publish.set_name(draft.name());
    nv1::Article published;
    auto status = Retry(stop, [&] {
      auto st = s.News().PublishArticle(s.Context(Tokens::kEditor).get(), publish, &published);
      if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        nv1::GetArticleRequest get;
        get.set_name(draft.name());
        auto got = s.News().GetArticle(s.Context(Tokens::kEditor).get(), get, &published);
        if (got.ok() && published.status() == nv1::PUBLISHED) return grpc::Status::OK;
      }
      return st;
    });
    if (status.ok()) {
      std::lock_guard lock(acked.mu);
      acked.articles.insert(draft.name());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void RecordViews(SystemStack& s, const std::atomic<bool>& stop, const std::string& article, Acknowledged& acked) {
  while (!stop) {
    nv1::RecordViewRequest req;
    req.set_name(article);
    nv1::RecordViewResponse out;
    auto st = s.News().RecordView(s.Context(Tokens::kReader, 5).get(), req, &out);
    if (st.ok())
      ++acked.views;
    else if (Uncertain(st))
      ++acked.uncertain_views;
    if (!st.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void WriteUnits(SystemStack& s, const std::atomic<bool>& stop, Acknowledged& acked) {
  for (int i = 0; !stop; ++i) {
    sv1::CreateUnitRequest req;
    std::string code = "FAULT_UNIT_" + std::to_string(i);
    req.mutable_unit()->set_code(code);
    req.mutable_unit()->set_display_name("Trường thử số " + std::to_string(i));
    req.mutable_unit()->set_kind(sv1::SUBORDINATE_UNIT);
    sv1::Unit out;
    auto status = Retry(stop, [&] {
      auto st = s.Scoring().CreateUnit(s.Context(Tokens::kAdmin).get(), req, &out);
      return st.error_code() == grpc::StatusCode::ALREADY_EXISTS ? grpc::Status::OK : st;  // an earlier attempt
    });
    if (status.ok()) {
      std::lock_guard lock(acked.mu);
      acked.units.insert(code);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void InboxWatcher::Start(SystemStack& s, const std::string& subscriber, const std::string& token) {
  SystemStack* stack = &s;
  thread_ = std::thread([this, stack, subscriber, token] { Run(*stack, subscriber, token); });
}

void InboxWatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    if (context_) context_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

size_t InboxWatcher::DistinctCursors() {
  std::lock_guard lock(mu_);
  return std::set<int64_t>(watched_.begin(), watched_.end()).size();
}

void InboxWatcher::Run(SystemStack& s, const std::string& subscriber, const std::string& token) {
  while (!stop_) {
    tv1::WatchNotificationsRequest req;
    req.set_parent(subscriber);
    {
      std::lock_guard lock(mu_);
      req.set_after_cursor(watched_.empty() ? 0 : watched_.back());
    }
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    {
      std::lock_guard lock(mu_);
      if (stop_) break;
      context_ = &context;
    }
    auto reader = s.Notifications().WatchNotifications(&context, req);
    tv1::Notification n;
    while (reader->Read(&n)) {
      std::lock_guard lock(mu_);
      watched_.push_back(n.cursor());
    }
    reader->Finish();
    {
      std::lock_guard lock(mu_);
      context_ = nullptr;
    }
    if (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace cchc::testing
