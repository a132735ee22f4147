// `cchcctl article …`: create, get, list, search, publish, unpublish, archive, import, show.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "conventions.h"
#include "document_format.h"
#include "news_client.h"
#include "platform/auth.h"
#include "platform/dates.h"
#include "platform/errors.h"
#include "portal_page.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

struct ArticleArgs {
  std::string name;  // articles/{id} or a slug
  std::string title, slug, lead, body, author, source, category, cover_uri, caption, at, etag;
  int figure_after = 0;
  std::vector<std::string> tags, related;
  bool no_comments = false;
  std::string status, tag, from, to, page_token, query, file;
  bool continue_on_error = false;
  int page_size = 0;
};

std::string Date(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0) return "";
  auto tp = std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds()));
  return dates::IsoToDisplay(dates::ToIso(dates::VietnamDay(tp)));
}

void Show(const Client& client, const news_v1::Article& a) {
  if (client.options().json) return PrintJson(std::cout, a);
  PrintKeyValues(std::cout, {{"Tên", a.name()},
                             {"Tiêu đề", a.title()},
                             {"Slug", a.slug()},
                             {"Trạng thái", news_v1::ArticleStatus_Name(a.status())},
                             {"Ngày đăng", Date(a.publish_time())},
                             {"Chuyên mục", a.category()},
                             {"Tác giả", a.author()},
                             {"Nguồn", a.source()},
                             {"Lượt xem", std::to_string(a.view_count())},
                             {"Etag", a.etag()}});
}

void ShowList(const Client& client, const google::protobuf::Message& response,
              const google::protobuf::RepeatedPtrField<news_v1::Article>& articles, const std::string& next) {
  if (client.options().json) return PrintJson(std::cout, response);
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : articles)
    rows.push_back(
        {Date(a.publish_time()), news_v1::ArticleStatus_Name(a.status()), std::to_string(a.view_count()), a.slug()});
  PrintTable(std::cout, {"Ngày đăng", "Trạng thái", "Lượt xem", "Slug"}, rows);
  if (!next.empty()) std::cout << "next page: --page-token " << next << '\n';
}

news_v1::ArticleFilter Filter(const ArticleArgs& a) {
  news_v1::ArticleFilter f;
  f.set_category(a.category);
  f.set_tag(a.tag);
  f.set_publish_date_from(a.from);
  f.set_publish_date_to(a.to);
  if (!a.status.empty()) {
    news_v1::ArticleStatus s;
    if (!news_v1::ArticleStatus_Parse(a.status, &s))
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "--status: one of DRAFT, SCHEDULED, PUBLISHED, ARCHIVED");
    f.set_status(s);
  }
  return f;
}

void RunCreate(Client& client, const ArticleArgs& a) {
  news_v1::CreateArticleRequest req;
  auto* art = req.mutable_article();
  art->set_title(a.title);
  art->set_slug(a.slug);
  art->set_lead(a.lead);
  art->set_body(a.body);
  art->set_author(a.author);
  art->set_source(a.source);
  art->set_category(a.category);
  for (const auto& t : a.tags) art->add_tags(t);
  for (const auto& r : a.related) art->add_related_document_codes(r);
  if (!a.cover_uri.empty() || !a.caption.empty()) {
    art->mutable_cover_image()->set_uri(a.cover_uri);
    art->mutable_cover_image()->set_caption(a.caption);
    art->mutable_cover_image()->set_after_paragraph(a.figure_after);
  }
  art->set_comments_enabled(!a.no_comments);
  req.set_request_id(client.options().request_id);
  news_v1::Article out;
  News().Check(News().Stub().CreateArticle(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunGet(Client& client, const ArticleArgs& a) {
  Show(client, ResolveArticle(client, a.name));
}

void RunList(Client& client, const ArticleArgs& a) {
  news_v1::ListArticlesRequest req;
  *req.mutable_filter() = Filter(a);
  req.set_page_size(a.page_size);
  req.set_page_token(a.page_token);
  news_v1::ListArticlesResponse out;
  News().Check(News().Stub().ListArticles(client.NewContext().get(), req, &out));
  ShowList(client, out, out.articles(), out.next_page_token());
}

void RunSearch(Client& client, const ArticleArgs& a) {
  news_v1::SearchArticlesRequest req;
  req.set_query(a.query);
  *req.mutable_filter() = Filter(a);
  req.set_page_size(a.page_size);
  req.set_page_token(a.page_token);
  news_v1::SearchArticlesResponse out;
  News().Check(News().Stub().SearchArticles(client.NewContext().get(), req, &out));
  ShowList(client, out, out.articles(), out.next_page_token());
}

void RunPublish(Client& client, const ArticleArgs& a) {
  news_v1::PublishArticleRequest req;
  req.set_name(ResolveArticle(client, a.name).name());
  req.set_etag(a.etag);
  if (!a.at.empty() && !google::protobuf::util::TimeUtil::FromString(a.at, req.mutable_publish_time()))
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "--at: RFC 3339, e.g. 2026-01-02T08:00:00+07:00");
  news_v1::Article out;
  News().Check(News().Stub().PublishArticle(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunUnpublish(Client& client, const ArticleArgs& a) {
  news_v1::UnpublishArticleRequest req;
  req.set_name(ResolveArticle(client, a.name).name());
  req.set_etag(a.etag);
  news_v1::Article out;
  News().Check(News().Stub().UnpublishArticle(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunArchive(Client& client, const ArticleArgs& a) {
  news_v1::ArchiveArticleRequest req;
  req.set_name(ResolveArticle(client, a.name).name());
  req.set_etag(a.etag);
  news_v1::Article out;
  News().Check(News().Stub().ArchiveArticle(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunShow(Client& client, const ArticleArgs& a) {
  news_v1::Article article = ResolveArticle(client, a.name);
  std::cout << RenderArticle(article, ApprovedComments(client, article.name()));
}

// The file is a JSON array of Article objects (proto JSON names; "publishTime" RFC 3339 and "viewCount" are
// honoured for an admin token only — they carry the old portal's date and counter). Each entry needs a slug,
// which makes the import idempotent: an article whose slug exists is left as it is, and published if it is
// still a draft.
void RunImport(Client& client, const ArticleArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) throw StatusError(grpc::StatusCode::NOT_FOUND, "cannot read " + a.file);
  nlohmann::json root = nlohmann::json::parse(in, nullptr, false);
  if (root.is_discarded() || !root.is_array())
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, a.file + ": expected a JSON array of articles");
  size_t imported = 0, present = 0;
  ImportRun run(root.size(), a.continue_on_error);
  for (size_t i = 0; i < root.size(); ++i)
    run.Run(a.file + ": entry " + std::to_string(i + 1), [&] {
      news_v1::CreateArticleRequest req;
      auto status = google::protobuf::util::JsonStringToMessage(root[i].dump(), req.mutable_article());
      if (!status.ok() || req.article().slug().empty())
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                          status.ok() ? "slug is required" : std::string(status.message()));
      req.set_request_id("import:" + crypto::Sha256Hex(req.article().slug()).substr(0, 40));  // within 64 characters
      news_v1::Article article;
      grpc::Status created = News().Stub().CreateArticle(client.NewContext().get(), req, &article);
      if (created.error_code() == grpc::StatusCode::ALREADY_EXISTS || created.ok())
        article = ResolveArticle(client, req.article().slug());  // a replayed create may be stale
      else
        News().Check(created);
      if (article.status() != news_v1::DRAFT) {
        ++present;
        return;
      }
      news_v1::PublishArticleRequest publish;
      publish.set_name(article.name());
      news_v1::Article published;
      News().Check(News().Stub().PublishArticle(client.NewContext().get(), publish, &published));
      ++imported;
    });
  run.Finish();
  if (client.options().json)
    std::cout << nlohmann::json{{"imported", imported}, {"already_present", present}}.dump() << '\n';
  else
    std::cout << "imported " << imported << ", already present " << present << '\n';
}

CLI::App* Sub(CLI::App* parent, const char* name, const char* help) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  AddNewsAddressOption(cmd);
  return cmd;
}

}  // namespace

void AddArticleCommands(CLI::App& app, Action* slot) {
  CLI::App* article = app.add_subcommand("article", "Tin tức: write, publish, list and read articles");
  article->require_subcommand(1);
  auto args = std::make_shared<ArticleArgs>();

  CLI::App* create = Sub(article, "create", "Create a draft article");
  create->add_option("--title", args->title, "Tiêu đề")->required();
  create->add_option("--slug", args->slug, "Default: from the title without accents");
  create->add_option("--lead", args->lead, "Phần mở đầu");
  create->add_option("--body", args->body, "Nội dung (paragraphs separated by blank lines)");
  create->add_option("--author", args->author, "Tác giả");
  create->add_option("--source", args->source, "Nguồn");
  create->add_option("--category", args->category, "Chuyên mục, e.g. \"Cải cách hành chính\"");
  create->add_option("--tag", args->tags, "A tag (repeatable)");
  create->add_option("--related", args->related, "Số/ký hiệu of a related document (repeatable)");
  create->add_option("--cover", args->cover_uri, "Cover image reference");
  create->add_option("--caption", args->caption, "Cover image caption");
  create->add_option("--figure-after", args->figure_after,
                     "The photo and its caption also stand in the body after this many paragraphs (0: top only)");
  create->add_flag("--no-comments", args->no_comments, "Close reader comments");
  OnRun(create, slot, args, &RunCreate);

  CLI::App* get = Sub(article, "get", "Show an article's metadata");
  get->add_option("article", args->name, "articles/{id} or slug")->required();
  OnRun(get, slot, args, &RunGet);

  for (auto [name, help, run] : {std::tuple{"list", "Articles, newest first", &RunList},
                                 std::tuple{"search", "Accent-insensitive search, best first", &RunSearch}}) {
    CLI::App* cmd = Sub(article, name, help);
    if (std::string(name) == "search") cmd->add_option("query", args->query, "Words to find")->required();
    cmd->add_option("--category", args->category, "Chuyên mục");
    cmd->add_option("--status", args->status, "DRAFT, SCHEDULED, PUBLISHED or ARCHIVED");
    cmd->add_option("--tag", args->tag, "Tag");
    cmd->add_option("--from", args->from, "Published on or after (yyyy-mm-dd)");
    cmd->add_option("--to", args->to, "Published on or before (yyyy-mm-dd)");
    cmd->add_option("--page-size", args->page_size, "At most 100");
    cmd->add_option("--page-token", args->page_token, "From the previous page");
    OnRun(cmd, slot, args, run);
  }

  CLI::App* publish = Sub(article, "publish", "Publish now, or schedule with --at");
  publish->add_option("article", args->name, "articles/{id} or slug")->required();
  publish->add_option("--at", args->at, "Publish time, RFC 3339 (2026-01-02T08:00:00+07:00)");
  publish->add_option("--etag", args->etag, "Refuse if the article changed");
  OnRun(publish, slot, args, &RunPublish);

  for (auto [name, help, run] : {std::tuple{"unpublish", "Back to draft (cancels a schedule)", &RunUnpublish},
                                 std::tuple{"archive", "Archive (still readable, no longer listed)", &RunArchive},
                                 std::tuple{"show", "Print the article as a reader sees it", &RunShow}}) {
    CLI::App* cmd = Sub(article, name, help);
    cmd->add_option("article", args->name, "articles/{id} or slug")->required();
    if (std::string(name) != "show") cmd->add_option("--etag", args->etag, "Refuse if the article changed");
    OnRun(cmd, slot, args, run);
  }

  CLI::App* import = Sub(article, "import", "Create and publish the articles in a JSON file (idempotent)");
  import->add_option("file", args->file, "e.g. tools/demo/articles.json")->required();
  AddContinueOnError(import, &args->continue_on_error);
  OnRun(import, slot, args, &RunImport);
}

}  // namespace cchc::cchcctl
