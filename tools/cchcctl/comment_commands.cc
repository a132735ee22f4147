// `cchcctl comment …`: submit, list, approve, reject, spam (ý kiến bạn đọc).
#include <iostream>

#include "document_format.h"
#include "news_client.h"
#include "platform/errors.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

struct CommentArgs {
  std::string target;  // an article (articles/{id}, slug, or "-" for every article) or a comment's name
  std::string author_name, email, content, status;
  bool newest = false;
  int page_size = 0;
  std::string page_token;
};

void Print(const Client& client, const news_v1::Comment& c) {
  if (client.options().json) return PrintJson(std::cout, c);
  PrintKeyValues(std::cout, {{"Tên", c.name()},
                             {"Họ tên", c.author_name()},
                             {"E-mail", c.email()},
                             {"Trạng thái", news_v1::CommentStatus_Name(c.status())},
                             {"Nội dung", c.content()}});
}

void RunSubmit(Client& client, const CommentArgs& a) {
  news_v1::SubmitCommentRequest req;
  req.set_parent(ResolveArticle(client, a.target).name());
  req.mutable_comment()->set_author_name(a.author_name);
  req.mutable_comment()->set_email(a.email);
  req.mutable_comment()->set_content(a.content);
  news_v1::Comment out;
  News().Check(News().Stub().SubmitComment(client.NewContext().get(), req, &out));
  Print(client, out);
}

void RunList(Client& client, const CommentArgs& a) {
  news_v1::ListCommentsRequest req;
  req.set_parent(a.target == "-" ? "articles/-" : ResolveArticle(client, a.target).name());
  if (!a.status.empty()) {
    news_v1::CommentStatus s;
    if (!news_v1::CommentStatus_Parse(a.status, &s))
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "--status: one of PENDING, APPROVED, REJECTED, SPAM");
    req.set_status(s);
  }
  req.set_order(a.newest ? news_v1::NEWEST_FIRST : news_v1::OLDEST_FIRST);
  req.set_page_size(a.page_size);
  req.set_page_token(a.page_token);
  news_v1::ListCommentsResponse out;
  News().Check(News().Stub().ListComments(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : out.comments())
    rows.push_back({news_v1::CommentStatus_Name(c.status()), c.author_name(), c.email(), c.content(), c.name()});
  PrintTable(std::cout, {"Trạng thái", "Họ tên", "E-mail", "Nội dung", "Tên"}, rows);
  if (!out.next_page_token().empty()) std::cout << "next page: --page-token " << out.next_page_token() << '\n';
}

template <news_v1::CommentStatus kDecision>
void RunModerate(Client& client, const CommentArgs& a) {
  news_v1::ModerateCommentRequest req;
  req.set_name(a.target);
  req.set_decision(kDecision);
  news_v1::Comment out;
  News().Check(News().Stub().ModerateComment(client.NewContext().get(), req, &out));
  Print(client, out);
}

}  // namespace

void AddCommentCommands(CLI::App& app, Action* slot) {
  CLI::App* comment = app.add_subcommand("comment", "Ý kiến bạn đọc: submit, list and moderate comments");
  comment->require_subcommand(1);
  auto args = std::make_shared<CommentArgs>();

  CLI::App* submit = comment->add_subcommand("submit", "Submit a comment (pending moderation)");
  AddNewsAddressOption(submit);
  submit->add_option("article", args->target, "articles/{id} or slug")->required();
  submit->add_option("--name", args->author_name, "Họ tên")->required();
  submit->add_option("--email", args->email, "E-mail (never shown to readers)")->required();
  submit->add_option("--content", args->content, "Nội dung")->required();
  OnRun(submit, slot, args, &RunSubmit);

  CLI::App* list = comment->add_subcommand("list", "Comments of an article (\"-\": every article, moderators)");
  AddNewsAddressOption(list);
  list->add_option("article", args->target, "articles/{id}, slug or -")->required();
  list->add_option("--status", args->status, "PENDING, APPROVED, REJECTED or SPAM (moderators)");
  list->add_flag("--newest", args->newest, "Newest first (default: oldest first)");
  list->add_option("--page-size", args->page_size, "At most 100");
  list->add_option("--page-token", args->page_token, "From the previous page");
  OnRun(list, slot, args, &RunList);

  for (auto [name, help, run] :
       {std::tuple{"approve", "Approve a comment (moderator)", &RunModerate<news_v1::APPROVED>},
        std::tuple{"reject", "Reject a comment (moderator)", &RunModerate<news_v1::REJECTED>},
        std::tuple{"spam", "Mark a comment as spam (moderator)", &RunModerate<news_v1::SPAM>}}) {
    CLI::App* cmd = comment->add_subcommand(name, help);
    AddNewsAddressOption(cmd);
    cmd->add_option("comment", args->target, "articles/{id}/comments/{id}")->required();
    OnRun(cmd, slot, args, run);
  }
}

}  // namespace cchc::cchcctl
