// import: loads documents from a JSON file, creating and publishing each; safe to run again.
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.h"
#include "conventions.h"
#include "document_args.h"
#include "document_format.h"
#include "platform/errors.h"

namespace cchc::cchcctl {

namespace {

struct ImportArgs {
  std::string file;
  bool dry_run = false;
  bool continue_on_error = false;
};

// The file is a JSON array (or {"documents": [...]}) of Document objects with the proto's field names,
// e.g. {"code", "issue_date", "subject", "fields", "issuer_name", "drafting_unit"}. Dates may be ISO or
// dd/mm/yyyy. Throws INVALID_ARGUMENT naming the entry at fault.
std::vector<v1::Document> ReadEntries(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StatusError(grpc::StatusCode::NOT_FOUND, "cannot read " + path);
  nlohmann::json root = nlohmann::json::parse(in, nullptr, false);
  if (root.is_discarded()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, path + ": not valid JSON");
  if (root.is_object() && root.contains("documents")) root = root["documents"];
  if (!root.is_array())
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, path + ": expected an array of documents");

  std::vector<v1::Document> docs;
  for (size_t i = 0; i < root.size(); ++i) {
    const std::string where = path + ": entry " + std::to_string(i + 1);
    v1::Document doc;
    auto status = google::protobuf::util::JsonStringToMessage(root[i].dump(), &doc);
    if (!status.ok())
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": " + std::string(status.message()));
    if (doc.code().empty()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": code is required");
    if (doc.subject().empty()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": subject is required");
    struct DateField {
      const char* label;
      std::string* value;
      bool required;
    };
    for (auto [label, value, required] : {DateField{"issue_date", doc.mutable_issue_date(), true},
                                          DateField{"effective_date", doc.mutable_effective_date(), false},
                                          DateField{"expiry_date", doc.mutable_expiry_date(), false}}) {
      if (value->empty() && !required) continue;
      auto iso = NormalizeDate(*value);
      if (!iso)
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                          where + " (" + doc.code() + "): " + label + " is not a date: \"" + *value + "\"");
      *value = *iso;
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

grpc::Status Publish(Client& client, const v1::Document& doc) {
  v1::PublishDocumentRequest req;
  req.set_name(doc.name());
  v1::Document published;
  return client.Documents().PublishDocument(client.NewContext().get(), req, &published);
}

v1::Document GetByCode(Client& client, const v1::Document& entry) {
  v1::GetDocumentByCodeRequest req;
  req.set_code(entry.code());
  req.set_year(std::stoi(entry.issue_date().substr(0, 4)));
  v1::Document doc;
  client.Check(client.Documents().GetDocumentByCode(client.NewContext().get(), req, &doc));
  return doc;
}

// Creates and publishes `entry`; true if this run published it, false if it was already published or
// withdrawn. A repeated request_id replays the first create, whose answer may be stale (still a draft), so
// a refused publish is settled by looking the document up.
bool ImportOne(Client& client, const v1::Document& entry) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = entry;
  req.set_request_id("import:" + entry.code() + ":" + entry.issue_date());
  v1::Document doc;
  grpc::Status created = client.Documents().CreateDocument(client.NewContext().get(), req, &doc);
  if (created.error_code() == grpc::StatusCode::ALREADY_EXISTS)
    doc = GetByCode(client, entry);
  else
    client.Check(created);
  if (doc.status() != v1::DRAFT) return false;

  grpc::Status published = Publish(client, doc);
  if (published.error_code() == grpc::StatusCode::FAILED_PRECONDITION && GetByCode(client, entry).status() != v1::DRAFT)
    return false;
  client.Check(published);
  return true;
}

void RunImport(Client& client, const ImportArgs& a) {
  std::vector<v1::Document> entries = ReadEntries(a.file);
  if (a.dry_run) {
    if (client.options().json) {
      v1::ListDocumentsResponse all;
      for (const auto& e : entries) *all.add_documents() = e;
      PrintJson(std::cout, all);
    } else {
      std::vector<const v1::Document*> docs;
      for (const auto& e : entries) docs.push_back(&e);
      PrintDocumentTable(std::cout, docs);
      std::cout << "valid: " << entries.size() << " documents in " << a.file << " (dry run, nothing sent)\n";
    }
    return;
  }
  size_t imported = 0, present = 0;
  ImportRun run(entries.size(), a.continue_on_error);
  for (const auto& entry : entries) run.Run(entry.code(), [&] { (ImportOne(client, entry) ? imported : present)++; });
  run.Finish();
  if (client.options().json)
    std::cout << nlohmann::json{{"imported", imported}, {"already_present", present}}.dump() << '\n';
  else
    std::cout << "imported " << imported << ", already present " << present << '\n';
}

}  // namespace

void AddDocumentImportCommand(CLI::App* document, Action* slot) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = document->add_subcommand("import", "Create and publish the documents in a JSON file (idempotent)");
  cmd->footer(
      "Entries: [{\"code\", \"issue_date\", \"subject\", \"fields\", \"issuer_name\", …}] with the proto's "
      "field names.\nEach is created with request_id import:<code>:<issue_date>, so a rerun changes nothing.");
  cmd->add_option("file", args->file, "e.g. tools/demo/documents.json")->required();
  cmd->add_flag("--dry-run", args->dry_run, "Only validate the file and print its entries");
  AddContinueOnError(cmd, &args->continue_on_error);
  OnRun(cmd, slot, args, &RunImport);
}

}  // namespace cchc::cchcctl
