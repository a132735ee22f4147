#include "document_args.h"

#include "platform/dates.h"

namespace cchc::cchcctl {

namespace v1 = cchc::document::v1;

std::optional<std::string> NormalizeDate(std::string_view s) {
  if (auto iso = dates::ParseIso(s)) return dates::ToIso(*iso);
  if (auto display = dates::ParseDisplay(s)) return dates::ToIso(*display);
  return std::nullopt;
}

CLI::Validator DateArg() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        auto iso = NormalizeDate(value);
        if (!iso) return "not a date (dd/mm/yyyy or yyyy-mm-dd): " + value;
        value = *iso;
        return "";
      },
      "DATE", "date");
}

void AddFilterOptions(CLI::App* cmd, FilterArgs* args) {
  cmd->add_option("--field", args->field, "Lĩnh vực, e.g. \"Cải cách hành chính\"");
  cmd->add_option("--type", args->type, "Type abbreviation, e.g. KH, QĐ, BC; CV for công văn");
  cmd->add_option("--issuer", args->issuer, "Issuer code, e.g. SGDĐT");
  cmd->add_option("--signer", args->signer, "Signer's name");
  cmd->add_option("--from", args->from, "Issued on or after (dd/mm/yyyy)")->transform(DateArg());
  cmd->add_option("--to", args->to, "Issued on or before (dd/mm/yyyy)")->transform(DateArg());
  cmd->add_option("--status", args->status, "Status (editors only for draft/withdrawn)")
      ->check(CLI::IsMember({"draft", "published", "withdrawn"}));
  cmd->add_option("--validity", args->validity, "Hiệu lực today")
      ->check(CLI::IsMember({"in-force", "not-yet", "expired", "replaced"}));
  cmd->add_option("--page-size", args->page_size, "Documents per page (service default 20)")->check(CLI::Range(1, 100));
  cmd->add_option("--page-token", args->page_token, "Continue from a previous page's next_page_token");
  cmd->add_flag("--all", args->all, "Fetch every page");
}

v1::DocumentFilter ToFilter(const FilterArgs& args) {
  v1::DocumentFilter f;
  f.set_field(args.field);
  if (args.type == "CV" || args.type == "cv")
    f.set_code_form(v1::OFFICIAL_LETTER);
  else
    f.set_type_abbreviation(args.type);
  f.set_issuer_code(args.issuer);
  f.set_signer_name(args.signer);
  f.set_issue_date_from(args.from);
  f.set_issue_date_to(args.to);
  if (args.status == "draft")
    f.set_status(v1::DRAFT);
  else if (args.status == "published")
    f.set_status(v1::PUBLISHED);
  else if (args.status == "withdrawn")
    f.set_status(v1::WITHDRAWN);
  if (args.validity == "in-force")
    f.set_validity(v1::IN_FORCE);
  else if (args.validity == "not-yet")
    f.set_validity(v1::NOT_YET_IN_FORCE);
  else if (args.validity == "expired")
    f.set_validity(v1::EXPIRED);  // replaced ones too: no longer in force
  else if (args.validity == "replaced")
    f.set_validity(v1::REPLACED);
  return f;
}

}  // namespace cchc::cchcctl
