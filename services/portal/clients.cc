#include "clients.h"

#include "platform/grpc_channel.h"

namespace cchc::portal {
namespace {

constexpr int kMaxReplyBytes = 4 * 1024 * 1024;  // the services' default --max-message-bytes

template <typename Service>
std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address, const PortalOptions& options) {
  const std::string name = Service::service_full_name();
  return grpc::CreateCustomChannel(
      address, tls::ClientCredentials(options.tls, kServiceTlsFlags),
      grpc_channel::Arguments(grpc_channel::ServiceConfigJson(name, IdempotentReads(name)), kMaxReplyBytes));
}

bool Usable(const std::shared_ptr<grpc::Channel>& channel) {
  auto state = channel->GetState(/*try_to_connect=*/true);
  return state != GRPC_CHANNEL_TRANSIENT_FAILURE && state != GRPC_CHANNEL_SHUTDOWN;
}

}  // namespace

std::vector<std::string> IdempotentReads(const std::string& service) {
  if (service == document::v1::DocumentService::service_full_name())
    return {"GetDocument", "GetDocumentByCode", "ListDocuments", "SearchDocuments"};
  if (service == news::v1::NewsService::service_full_name())
    return {"GetArticle", "GetArticleBySlug", "ListArticles", "SearchArticles", "ListComments", "GetSchoolYear"};
  if (service == scoring::v1::ScoringService::service_full_name())
    return {"GetFramework", "ListFrameworks", "GetUnit",    "ListUnits",
            "GetPeriod",    "ListPeriods",    "GetRanking", "GetResult"};
  return {};
}

bool Channels::Usable() const {
  return portal::Usable(document) && portal::Usable(news) && portal::Usable(scoring) && portal::Usable(notification);
}

Channels Connect(const PortalOptions& o) {
  return {ChannelTo<document::v1::DocumentService>(o.document_address, o),
          ChannelTo<news::v1::NewsService>(o.news_address, o),
          ChannelTo<scoring::v1::ScoringService>(o.scoring_address, o),
          ChannelTo<notification::v1::NotificationService>(o.notification_address, o)};
}

Clients MakeClients(const Channels& c, const std::string& token, std::chrono::milliseconds deadline) {
  Clients out;
  out.documents = document::v1::DocumentService::NewStub(c.document);
  out.news = news::v1::NewsService::NewStub(c.news);
  out.scoring = scoring::v1::ScoringService::NewStub(c.scoring);
  out.notification = notification::v1::NotificationService::NewStub(c.notification);
  out.token = token;
  out.deadline = deadline;
  return out;
}

}  // namespace cchc::portal
