#pragma once
// The news service (tin tức) from the command line: its address (--news-address / CCHC_NEWS_ADDRESS, on the
// article and comment commands) and the helpers those commands share. Calls use the Client's token, deadline
// and request id.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cchc/news/v1/news.grpc.pb.h"
#include "client.h"
#include "command.h"

namespace cchc::cchcctl {

namespace news_v1 = cchc::news::v1;

struct NewsConnection {
  std::string address = "127.0.0.1:50062";
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<news_v1::NewsService::Stub> stub;

  news_v1::NewsService::Stub& Stub();
  // Throws cchc::StatusError unless `status` is OK; UNAVAILABLE names the news service's address.
  void Check(const grpc::Status& status) const;
};

// The one connection of this run, bound to --news-address on `cmd`.
NewsConnection& News();
void AddNewsAddressOption(CLI::App* cmd);

// "articles/{id}" as given, or the article whose slug is `name_or_slug`.
news_v1::Article ResolveArticle(Client& client, const std::string& name_or_slug);

// `cchcctl article …` (create, get, list, search, publish, unpublish, archive, import, show) and
// `cchcctl comment …` (submit, list, approve, reject, spam).
void AddArticleCommands(CLI::App& app, Action* slot);
void AddCommentCommands(CLI::App& app, Action* slot);

// Every approved comment of `article_name` (articles/{id}), oldest first.
std::vector<news_v1::Comment> ApprovedComments(Client& client, const std::string& article_name);

// `cchcctl school-year …` (put, get, import) and `cchcctl page`.
void AddSchoolYearCommands(CLI::App& app, Action* slot);
void AddPageCommand(CLI::App& app, Action* slot);

}  // namespace cchc::cchcctl
