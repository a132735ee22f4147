// create, get, publish, withdraw, delete.
#include <iostream>

#include "command.h"
#include "document_args.h"
#include "document_format.h"

namespace cchc::cchcctl {

namespace {

struct CreateArgs {
  std::string code, date, subject;
  std::vector<std::string> fields;
  std::string issuer_name, drafting_unit, body;
  std::string signer_name, signer_position, signer_authority;
  std::string effective, expiry;
  std::string reservation;  // registers/{id}/reservations/{n}
  bool publish = false;
};

struct NameArgs {
  std::string name;  // documents/{id}, or a code for `get`
  std::string etag;
  std::string reason;
  int year = 0;
};

v1::Document Publish(Client& client, const std::string& name, const std::string& etag) {
  v1::PublishDocumentRequest req;
  req.set_name(name);
  req.set_etag(etag);
  v1::Document doc;
  client.Check(client.Documents().PublishDocument(client.NewContext().get(), req, &doc));
  return doc;
}

// Publishes a just-created draft. A create replayed for a repeated request_id answers with the document as
// first created, so a refusal is checked against the current document before it counts as a failure.
v1::Document PublishCreated(Client& client, const v1::Document& created) {
  v1::PublishDocumentRequest req;
  req.set_name(created.name());
  v1::Document doc;
  grpc::Status status = client.Documents().PublishDocument(client.NewContext().get(), req, &doc);
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    v1::GetDocumentRequest get;
    get.set_name(created.name());
    if (client.Documents().GetDocument(client.NewContext().get(), get, &doc).ok() && doc.status() == v1::PUBLISHED)
      return doc;
  }
  client.Check(status);
  return doc;
}

void RunCreate(Client& client, const CreateArgs& a) {
  v1::CreateDocumentRequest req;
  req.set_request_id(client.options().request_id);
  req.set_reservation(a.reservation);
  v1::Document* d = req.mutable_document();
  d->set_code(a.code);
  d->set_issue_date(a.date);
  d->set_subject(a.subject);
  for (const auto& field : a.fields) d->add_fields(field);
  d->set_issuer_name(a.issuer_name);
  d->set_drafting_unit(a.drafting_unit);
  d->set_body(a.body);
  if (!a.signer_name.empty() || !a.signer_position.empty() || !a.signer_authority.empty()) {
    d->mutable_signer()->set_name(a.signer_name);
    d->mutable_signer()->set_position(a.signer_position);
    d->mutable_signer()->set_authority(a.signer_authority);
  }
  d->set_effective_date(a.effective);
  d->set_expiry_date(a.expiry);
  v1::Document doc;
  client.Check(client.Documents().CreateDocument(client.NewContext().get(), req, &doc));
  if (a.publish && doc.status() == v1::DRAFT) doc = PublishCreated(client, doc);
  ShowDocument(client, doc);
}

void RunGet(Client& client, const NameArgs& a) {
  v1::Document doc;
  if (a.name.starts_with("documents/")) {
    v1::GetDocumentRequest req;
    req.set_name(a.name);
    client.Check(client.Documents().GetDocument(client.NewContext().get(), req, &doc));
  } else {
    v1::GetDocumentByCodeRequest req;
    req.set_code(a.name);
    req.set_year(a.year);
    client.Check(client.Documents().GetDocumentByCode(client.NewContext().get(), req, &doc));
  }
  ShowDocument(client, doc);
}

void RunPublish(Client& client, const NameArgs& a) {
  ShowDocument(client, Publish(client, a.name, a.etag));
}

void RunWithdraw(Client& client, const NameArgs& a) {
  v1::WithdrawDocumentRequest req;
  req.set_name(a.name);
  req.set_etag(a.etag);
  req.set_reason(a.reason);
  v1::Document doc;
  client.Check(client.Documents().WithdrawDocument(client.NewContext().get(), req, &doc));
  ShowDocument(client, doc);
}

void RunDelete(Client& client, const NameArgs& a) {
  v1::DeleteDocumentRequest req;
  req.set_name(a.name);
  req.set_etag(a.etag);
  v1::DeleteDocumentResponse resp;
  client.Check(client.Documents().DeleteDocument(client.NewContext().get(), req, &resp));
  if (client.options().json)
    PrintJson(std::cout, resp);
  else
    std::cout << "deleted " << a.name << '\n';
}

void AddCreate(CLI::App* document, Action* slot) {
  auto a = std::make_shared<CreateArgs>();
  CLI::App* cmd = document->add_subcommand("create", "Create a draft (--publish to publish it at once)");
  cmd->footer("The global --request-id makes a retried create replay the first answer.");
  cmd->add_option("--code", a->code, "Số/ký hiệu, e.g. 998/QĐ-SGDĐT")->required();
  cmd->add_option("--date", a->date, "Ngày ban hành (dd/mm/yyyy)")->required()->transform(DateArg());
  cmd->add_option("--subject", a->subject, "Trích yếu")->required();
  cmd->add_option("--field", a->fields, "Lĩnh vực (repeatable)");
  cmd->add_option("--issuer-name", a->issuer_name, "Cơ quan ban hành");
  cmd->add_option("--drafting-unit", a->drafting_unit, "Đơn vị soạn thảo, e.g. TCCB");
  cmd->add_option("--body", a->body, "Toàn văn");
  cmd->add_option("--signer-name", a->signer_name, "Người ký");
  cmd->add_option("--signer-position", a->signer_position, "Chức vụ, e.g. \"Phó Giám đốc\"");
  cmd->add_option("--signer-authority", a->signer_authority, "TM., KT., TL., Q. or TUQ.");
  cmd->add_option("--effective", a->effective, "Ngày hiệu lực (dd/mm/yyyy)")->transform(DateArg());
  cmd->add_option("--expiry", a->expiry, "Ngày hết hiệu lực (dd/mm/yyyy)")->transform(DateArg());
  cmd->add_option("--reservation", a->reservation,
                  "A number reserved in the outgoing register (registers/{id}/reservations/{n}); the code carries it");
  cmd->add_flag("--publish", a->publish, "Publish the draft after creating it");
  OnRun(cmd, slot, a, &RunCreate);
}

}  // namespace

void AddDocumentEditCommands(CLI::App* document, Action* slot) {
  AddCreate(document, slot);

  auto get = std::make_shared<NameArgs>();
  CLI::App* cmd = document->add_subcommand("get", "Show a document by resource name or số/ký hiệu");
  cmd->add_option("name", get->name, "documents/{id}, or a code such as 998/QĐ-SGDĐT")->required();
  cmd->add_option("--year", get->year, "Issue year, when the code recurs across years")->check(CLI::Range(1945, 2100));
  OnRun(cmd, slot, get, &RunGet);

  auto publish = std::make_shared<NameArgs>();
  cmd = document->add_subcommand("publish", "Publish a draft");
  cmd->add_option("name", publish->name, "documents/{id}")->required();
  cmd->add_option("--etag", publish->etag, "Fail with ABORTED if the document changed since this etag");
  OnRun(cmd, slot, publish, &RunPublish);

  auto withdraw = std::make_shared<NameArgs>();
  cmd = document->add_subcommand("withdraw", "Withdraw a published document");
  cmd->add_option("name", withdraw->name, "documents/{id}")->required();
  cmd->add_option("--reason", withdraw->reason, "Why it is withdrawn");
  cmd->add_option("--etag", withdraw->etag, "Fail with ABORTED if the document changed since this etag");
  OnRun(cmd, slot, withdraw, &RunWithdraw);

  auto del = std::make_shared<NameArgs>();
  cmd = document->add_subcommand("delete", "Delete a draft or withdrawn document");
  cmd->add_option("name", del->name, "documents/{id}")->required();
  cmd->add_option("--etag", del->etag, "Fail with ABORTED if the document changed since this etag");
  OnRun(cmd, slot, del, &RunDelete);
}

}  // namespace cchc::cchcctl
