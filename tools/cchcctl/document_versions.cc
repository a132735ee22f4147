// versions: a document's versions (phiên bản), newest first, or one of them in full with --version.
#include <iostream>

#include "command.h"
#include "document_format.h"
#include "pages.h"
#include "platform/dates.h"
#include "table.h"

namespace cchc::cchcctl {

namespace {

struct VersionsArgs {
  std::string name;
  int64_t version = 0;  // 0: list them
  bool all = false;
};

std::string When(const google::protobuf::Timestamp& t) {
  return dates::VietnamDisplayTime(std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds())));
}

void RunVersions(Client& client, const VersionsArgs& a) {
  if (a.version != 0) {
    v1::GetDocumentVersionRequest req;
    req.set_name(a.name + "/versions/" + std::to_string(a.version));
    v1::DocumentVersion v;
    client.Check(client.Documents().GetDocumentVersion(client.NewContext().get(), req, &v));
    if (client.options().json) {
      PrintJson(std::cout, v);
      return;
    }
    std::string changed;
    for (const auto& f : v.changed_fields()) changed += (changed.empty() ? "" : ", ") + f;
    PrintKeyValues(std::cout, {{"version", std::to_string(v.version())},
                               {"made", When(v.create_time()) + " by " + v.author()},
                               {"changed", changed.empty() ? "(created)" : changed}});
    PrintDocument(std::cout, v.document());
    if (!v.document().body().empty()) PrintKeyValues(std::cout, {{"Toàn văn", v.document().body()}});
    return;
  }
  const auto all = CollectPages<v1::ListDocumentVersionsResponse>(
      "", a.all,
      [&](const std::string& token, v1::ListDocumentVersionsResponse* page) {
        v1::ListDocumentVersionsRequest req;
        req.set_parent(a.name);
        req.set_page_size(100);
        req.set_page_token(token);
        client.Check(client.Documents().ListDocumentVersions(client.NewContext().get(), req, page));
      },
      [](auto& r) { return r.mutable_versions(); });
  if (client.options().json) {
    PrintJson(std::cout, all);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : all.versions()) {
    std::string changed;
    for (const auto& f : v.changed_fields()) changed += (changed.empty() ? "" : ", ") + f;
    rows.push_back({std::to_string(v.version()), When(v.create_time()), v.author(),
                    changed.empty() ? "(created)" : changed, v.document().subject()});
  }
  PrintTable(std::cout, {"version", "made", "by", "changed", "subject"}, rows);
  if (!all.next_page_token().empty()) std::cerr << "more: --all\n";
}

}  // namespace

void AddDocumentVersionsCommand(CLI::App* document, Action* slot) {
  auto args = std::make_shared<VersionsArgs>();
  CLI::App* cmd = document->add_subcommand(
      "versions", "A document's versions (phiên bản), newest first; --version N shows one as it was");
  cmd->add_option("name", args->name, "documents/{id}")->required();
  cmd->add_option("--version", args->version, "Show this version in full")->check(CLI::PositiveNumber);
  cmd->add_flag("--all", args->all, "Every version (the first page holds 100)");
  OnRun(cmd, slot, args, &RunVersions);
}

}  // namespace cchc::cchcctl
