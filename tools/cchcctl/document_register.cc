// `cchcctl document register create|list|reserve|cancel`: the outgoing register (sổ văn bản đi).
#include <iostream>

#include "command.h"
#include "document_format.h"

namespace cchc::cchcctl {
namespace {

namespace v1 = cchc::document::v1;

struct CreateArgs {
  std::string display_name, issuer;
  int year = 0;
  std::vector<std::string> types;
  bool official_letters = false;
  std::string legal_normative_type;
};

struct ListArgs {
  std::string issuer;
  int year = 0;
};

struct NameArgs {
  std::string name;
};

void PrintRegister(const Client& client, const v1::Register& r) {
  if (client.options().json) return PrintJson(std::cout, r);
  std::cout << r.name() << "  " << r.issuer_code() << " " << r.year() << "  " << r.display_name() << "  [";
  for (int i = 0; i < r.type_abbreviations_size(); ++i) std::cout << (i ? ", " : "") << r.type_abbreviations(i);
  if (r.official_letters()) std::cout << (r.type_abbreviations_size() ? ", " : "") << "công văn";
  if (!r.legal_normative_type().empty()) std::cout << "VBQPPL " << r.legal_normative_type();
  std::cout << "]  last number " << r.last_number() << '\n';
}

void PrintReservation(const Client& client, const v1::Reservation& r) {
  if (client.options().json) return PrintJson(std::cout, r);
  std::cout << r.name() << "  số " << r.number() << "  " << v1::ReservationState_Name(r.state())
            << (r.expired() ? " (expired)" : "") << (r.document().empty() ? "" : "  " + r.document()) << '\n';
}

void RunCreate(Client& client, const CreateArgs& a) {
  v1::CreateRegisterRequest req;
  auto* r = req.mutable_register_();
  r->set_display_name(a.display_name);
  r->set_issuer_code(a.issuer);
  r->set_year(a.year);
  for (const auto& t : a.types) r->add_type_abbreviations(t);
  r->set_official_letters(a.official_letters);
  r->set_legal_normative_type(a.legal_normative_type);
  v1::Register out;
  client.Check(client.Documents().CreateRegister(client.NewContext().get(), req, &out));
  PrintRegister(client, out);
}

void RunList(Client& client, const ListArgs& a) {
  v1::ListRegistersRequest req;
  req.set_issuer_code(a.issuer);
  req.set_year(a.year);
  do {
    v1::ListRegistersResponse out;
    client.Check(client.Documents().ListRegisters(client.NewContext().get(), req, &out));
    for (const auto& r : out.registers()) PrintRegister(client, r);
    req.set_page_token(out.next_page_token());
  } while (!req.page_token().empty());
}

void RunReserve(Client& client, const NameArgs& a) {
  v1::ReserveNumberRequest req;
  req.set_register_(a.name);
  v1::Reservation out;
  client.Check(client.Documents().ReserveNumber(client.NewContext().get(), req, &out));
  PrintReservation(client, out);
}

void RunCancel(Client& client, const NameArgs& a) {
  v1::CancelReservationRequest req;
  req.set_name(a.name);
  v1::Reservation out;
  client.Check(client.Documents().CancelReservation(client.NewContext().get(), req, &out));
  PrintReservation(client, out);
}

}  // namespace

void AddDocumentRegisterCommands(CLI::App* document, Action* slot) {
  CLI::App* group = document->add_subcommand("register", "Sổ văn bản đi: registers and reserved numbers");
  group->require_subcommand(1);

  auto create = std::make_shared<CreateArgs>();
  CLI::App* cmd = group->add_subcommand("create", "Create a register (admin)");
  cmd->add_option("--name", create->display_name, "Display name")->required();
  cmd->add_option("--issuer", create->issuer, "Issuer code as in codes, e.g. SGDĐT")->required();
  cmd->add_option("--year", create->year, "Year it numbers")->required()->check(CLI::Range(2000, 2100));
  cmd->add_option("--type", create->types, "An administrative type it numbers, e.g. QĐ (repeatable)");
  cmd->add_flag("--official-letters", create->official_letters, "It numbers công văn");
  cmd->add_option("--legal-normative-type", create->legal_normative_type, "The one VBQPPL type it numbers");
  OnRun(cmd, slot, create, &RunCreate);

  auto list = std::make_shared<ListArgs>();
  cmd = group->add_subcommand("list", "List registers");
  cmd->add_option("--issuer", list->issuer, "Only this issuer's");
  cmd->add_option("--year", list->year, "Only this year's")->check(CLI::Range(2000, 2100));
  OnRun(cmd, slot, list, &RunList);

  auto reserve = std::make_shared<NameArgs>();
  cmd = group->add_subcommand("reserve", "Reserve the register's next number");
  cmd->add_option("register", reserve->name, "registers/{id}")->required();
  OnRun(cmd, slot, reserve, &RunReserve);

  auto cancel = std::make_shared<NameArgs>();
  cmd = group->add_subcommand("cancel", "Cancel a reserved number (never handed out again)");
  cmd->add_option("name", cancel->name, "registers/{id}/reservations/{n}")->required();
  OnRun(cmd, slot, cancel, &RunCancel);
}

}  // namespace cchc::cchcctl
