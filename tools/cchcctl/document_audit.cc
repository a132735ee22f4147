// document audit: the audit trail (nhật ký), newest first (admin token). One page, or every page with --all.
#include <google/protobuf/util/time_util.h>

#include <iostream>

#include "command.h"
#include "document_format.h"
#include "pages.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

struct AuditArgs {
  std::string resource, principal, action, start_time, end_time, page_token;
  int page_size = 0;
  bool all = false;
};

void RunAudit(Client& client, const AuditArgs& a) {
  v1::ListAuditEventsRequest req;
  req.set_resource(a.resource);
  req.set_principal(a.principal);
  if (!a.action.empty()) {
    v1::AuditAction action;
    if (!v1::AuditAction_Parse(a.action, &action))
      throw std::runtime_error(
          "--action: one of CREATE, UPDATE, PUBLISH, WITHDRAW, DELETE, READ_DRAFT, "
          "DOWNLOAD_ATTACHMENT");
    req.set_action(action);
  }
  req.set_start_time(a.start_time);
  req.set_end_time(a.end_time);
  req.set_page_size(a.page_size);
  const auto all = CollectPages<v1::ListAuditEventsResponse>(
      a.page_token, a.all,
      [&](const std::string& token, v1::ListAuditEventsResponse* page) {
        req.set_page_token(token);
        client.Check(client.Documents().ListAuditEvents(client.NewContext().get(), req, page));
      },
      [](auto& r) { return r.mutable_events(); });
  if (client.options().json) {
    PrintJson(std::cout, all);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : all.events()) {
    std::string fields;
    for (const auto& f : e.changed_fields()) fields += (fields.empty() ? "" : ",") + f;
    rows.push_back({google::protobuf::util::TimeUtil::ToString(e.time()),
                    e.principal() + " (" + e.principal_roles() + ")", v1::AuditAction_Name(e.action()), e.resource(),
                    fields.empty() ? e.details() : fields});
  }
  PrintTable(std::cout, {"time (UTC)", "principal", "action", "resource", "details"}, rows);
  if (const auto& token = all.next_page_token(); !token.empty())
    std::cerr << "more: --page-token " << token << " (or --all)\n";
}

}  // namespace

void AddDocumentAuditCommand(CLI::App* document, Action* slot) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = document->add_subcommand("audit", "The audit trail, newest first (admin)");
  cmd->add_option("--resource", args->resource, "Only this document's events: documents/{id}");
  cmd->add_option("--principal", args->principal, "Only this unit's, e.g. SGDĐT-TCCB");
  cmd->add_option("--action", args->action,
                  "CREATE, UPDATE, PUBLISH, WITHDRAW, DELETE, READ_DRAFT or DOWNLOAD_ATTACHMENT");
  cmd->add_option("--from", args->start_time, "From this time, RFC 3339 (e.g. 2026-12-07T00:00:00+07:00)");
  cmd->add_option("--to", args->end_time, "Before this time, RFC 3339");
  cmd->add_option("--page-size", args->page_size, "Events per page (at most 100)");
  cmd->add_option("--page-token", args->page_token, "Continue from a previous page");
  cmd->add_flag("--all", args->all, "Every page");
  OnRun(cmd, slot, args, &RunAudit);
}

}  // namespace cchc::cchcctl
