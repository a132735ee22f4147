#include "news_client.h"

#include <google/protobuf/util/time_util.h>

#include "platform/dates.h"
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
    channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    stub = news_v1::NewsService::NewStub(channel);
  }
  return *stub;
}

void NewsConnection::Check(const grpc::Status& status) const {
  if (status.ok()) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE)
    throw StatusError(status.error_code(),
                      "the news service at " + address + " is unavailable: " + status.error_message());
  throw StatusError(status.error_code(), status.error_message());
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

void PrintArticlePage(std::ostream& out, const news_v1::Article& a, const std::vector<news_v1::Comment>& approved) {
  std::string date;
  if (a.has_publish_time()) {
    auto t = std::chrono::system_clock::time_point(std::chrono::seconds(a.publish_time().seconds()));
    date = dates::IsoToDisplay(dates::ToIso(dates::VietnamDay(t)));
  }
  out << a.title() << "\n" << a.view_count() << "\n" << date << "\n" << a.title() << "\n\n";
  if (!a.lead().empty()) out << a.lead() << "\n\n";
  if (!a.body().empty()) out << a.body() << "\n\n";
  if (!a.cover_image().caption().empty()) out << a.cover_image().caption() << "\n\n";
  if (!a.author().empty()) out << "Tác giả: " << a.author() << "\n";
  if (!a.source().empty()) out << "Nguồn: " << a.source() << "\n";
  out << "\nÝ kiến bạn đọc\n";
  for (const auto& c : approved) {
    std::string when;
    if (c.has_create_time()) {
      auto t = std::chrono::system_clock::time_point(std::chrono::seconds(c.create_time().seconds()));
      when = dates::IsoToDisplay(dates::ToIso(dates::VietnamDay(t)));
    }
    out << "\n" << c.author_name() << " (" << when << ")\n" << c.content() << "\n";
  }
}

}  // namespace cchc::cchcctl
