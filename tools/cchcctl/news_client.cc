#include "news_client.h"

#include "conventions.h"
#include "platform/errors.h"

namespace cchc::cchcctl {

NewsConnection& News() {
  static NewsConnection connection;
  return connection;
}

void AddNewsAddressOption(CLI::App* cmd) {
  cmd->add_option("--news-address", News().address, "host:port of the news service")
      ->envname("CCHC_NEWS_ADDRESS")
      ->capture_default_str();
}

news_v1::NewsService::Stub& NewsConnection::Stub() {
  if (!stub) {
    channel = OpenChannel(address);
    stub = news_v1::NewsService::NewStub(channel);
  }
  return *stub;
}

void NewsConnection::Check(const grpc::Status& status) const {
  if (status.ok()) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE)
    throw RpcError(status, "the news service at " + address + " is unavailable: " + status.error_message());
  throw RpcError(status, status.error_message());
}

news_v1::Article ResolveArticle(Client& client, const std::string& name_or_slug) {
  news_v1::Article article;
  if (name_or_slug.rfind("articles/", 0) == 0) {
    news_v1::GetArticleRequest req;
    req.set_name(name_or_slug);
    News().Check(News().Stub().GetArticle(client.NewContext().get(), req, &article));
  } else {
    news_v1::GetArticleBySlugRequest req;
    req.set_slug(name_or_slug);
    News().Check(News().Stub().GetArticleBySlug(client.NewContext().get(), req, &article));
  }
  return article;
}

std::vector<news_v1::Comment> ApprovedComments(Client& client, const std::string& article_name) {
  std::vector<news_v1::Comment> approved;
  news_v1::ListCommentsRequest req;
  req.set_parent(article_name);
  req.set_status(news_v1::APPROVED);
  req.set_page_size(100);
  do {
    news_v1::ListCommentsResponse page;
    News().Check(News().Stub().ListComments(client.NewContext().get(), req, &page));
    for (const auto& c : page.comments()) approved.push_back(c);
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  return approved;
}

}  // namespace cchc::cchcctl
