#pragma once
// gRPC handlers of cchc.news.v1.NewsService: translate requests to the rules (rules/), the stores (store/),
// the view counter and the document service, and results back to statuses. No SQL here.
#include "cchc/news/v1/news.grpc.pb.h"
#include "document_client.h"
#include "platform/auth.h"
#include "store/articles.h"
#include "store/comments.h"
#include "store/school_years.h"
#include "views.h"

namespace cchc::news {

struct ServiceLimits {
  CommentLimits comments;
};

// RecordView is a callback (asynchronous) method: a view waits for its group commit without holding a
// thread, so bursts are bounded by commits, not by threads; past the view queue's bound (views.h) it answers
// RESOURCE_EXHAUSTED at once, the view not counted. The other methods are synchronous.
class NewsService final : public v1::NewsService::WithCallbackMethod_RecordView<v1::NewsService::Service> {
 public:
  NewsService(ArticleStore& articles, CommentStore& comments, SchoolYearStore& school_years, ViewCounter& views,
              DocumentClient& documents, const auth::TokenStore& tokens, ServiceLimits limits = {});

  grpc::Status CreateArticle(grpc::ServerContext*, const v1::CreateArticleRequest*, v1::Article*) override;
  grpc::Status GetArticle(grpc::ServerContext*, const v1::GetArticleRequest*, v1::Article*) override;
  grpc::Status GetArticleBySlug(grpc::ServerContext*, const v1::GetArticleBySlugRequest*, v1::Article*) override;
  grpc::Status UpdateArticle(grpc::ServerContext*, const v1::UpdateArticleRequest*, v1::Article*) override;
  grpc::Status PublishArticle(grpc::ServerContext*, const v1::PublishArticleRequest*, v1::Article*) override;
  grpc::Status UnpublishArticle(grpc::ServerContext*, const v1::UnpublishArticleRequest*, v1::Article*) override;
  grpc::Status ArchiveArticle(grpc::ServerContext*, const v1::ArchiveArticleRequest*, v1::Article*) override;
  grpc::Status ListArticles(grpc::ServerContext*, const v1::ListArticlesRequest*, v1::ListArticlesResponse*) override;
  grpc::Status SearchArticles(grpc::ServerContext*, const v1::SearchArticlesRequest*,
                              v1::SearchArticlesResponse*) override;
  grpc::ServerUnaryReactor* RecordView(grpc::CallbackServerContext*, const v1::RecordViewRequest*,
                                       v1::RecordViewResponse*) override;
  grpc::Status SubmitComment(grpc::ServerContext*, const v1::SubmitCommentRequest*, v1::Comment*) override;
  grpc::Status ListComments(grpc::ServerContext*, const v1::ListCommentsRequest*, v1::ListCommentsResponse*) override;
  grpc::Status ModerateComment(grpc::ServerContext*, const v1::ModerateCommentRequest*, v1::Comment*) override;
  grpc::Status PutSchoolYear(grpc::ServerContext*, const v1::PutSchoolYearRequest*, v1::SchoolYear*) override;
  grpc::Status GetSchoolYear(grpc::ServerContext*, const v1::GetSchoolYearRequest*, v1::SchoolYear*) override;

 private:
  // The article `id` as `p` may see it (readers: published or archived only); NOT_FOUND otherwise.
  v1::Article Visible(const auth::Principal& p, std::optional<v1::Article> article, const std::string& what);

  ArticleStore& articles_;
  CommentStore& comments_;
  SchoolYearStore& school_years_;
  ViewCounter& views_;
  DocumentClient& documents_;
  const auth::TokenStore& tokens_;
  ServiceLimits limits_;
};

}  // namespace cchc::news
