// list and search: one page, or every page with --all.
#include <iostream>

#include "command.h"
#include "document_args.h"
#include "document_format.h"
#include "pages.h"

namespace cchc::cchcctl {

namespace {

struct ListArgs {
  FilterArgs filter;
  std::vector<std::string> query;  // search only; words joined with spaces
};

// Calls `fetch(page_token, &page)` for one page, or until next_page_token is empty when args.all, then
// prints every document at once. Response is ListDocumentsResponse or SearchDocumentsResponse.
template <typename Response, typename Fetch>
void FetchAndPrint(Client& client, const FilterArgs& args, Fetch fetch) {
  const Response all =
      CollectPages<Response>(args.page_token, args.all, fetch, [](auto& r) { return r.mutable_documents(); });

  if (client.options().json) {
    PrintJson(std::cout, all);
    return;
  }
  std::vector<const v1::Document*> docs;
  for (const auto& doc : all.documents()) docs.push_back(&doc);
  PrintDocumentTable(std::cout, docs);
  if (const auto& token = all.next_page_token(); !token.empty())
    std::cerr << "more: --page-token " << token << " (or --all)\n";
}

void RunList(Client& client, const ListArgs& a) {
  FetchAndPrint<v1::ListDocumentsResponse>(client, a.filter, [&](const std::string& token, auto* page) {
    v1::ListDocumentsRequest req;
    *req.mutable_filter() = ToFilter(a.filter);
    req.set_page_size(a.filter.page_size);
    req.set_page_token(token);
    client.Check(client.Documents().ListDocuments(client.NewContext().get(), req, page));
  });
}

void RunSearch(Client& client, const ListArgs& a) {
  std::string query;
  for (const auto& word : a.query) query += (query.empty() ? "" : " ") + word;
  FetchAndPrint<v1::SearchDocumentsResponse>(client, a.filter, [&](const std::string& token, auto* page) {
    v1::SearchDocumentsRequest req;
    req.set_query(query);
    *req.mutable_filter() = ToFilter(a.filter);
    req.set_page_size(a.filter.page_size);
    req.set_page_token(token);
    client.Check(client.Documents().SearchDocuments(client.NewContext().get(), req, page));
  });
}

}  // namespace

void AddDocumentListCommands(CLI::App* document, Action* slot) {
  auto list = std::make_shared<ListArgs>();
  CLI::App* cmd = document->add_subcommand("list", "List documents, newest issue date first");
  AddFilterOptions(cmd, &list->filter);
  OnRun(cmd, slot, list, &RunList);

  auto search = std::make_shared<ListArgs>();
  cmd = document->add_subcommand("search", "Search documents, accent- and case-insensitively");
  cmd->add_option("query", search->query, "Words to look for, e.g. cai cach hanh chinh")->required();
  AddFilterOptions(cmd, &search->filter);
  OnRun(cmd, slot, search, &RunSearch);
}

}  // namespace cchc::cchcctl
