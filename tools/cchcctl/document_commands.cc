#include <iostream>

#include "command.h"
#include "document_format.h"

namespace cchc::cchcctl {

void AddDocumentCommands(CLI::App& app, Action* slot) {
  CLI::App* document = app.add_subcommand("document", "Văn bản: create, look up, publish and attach files");
  document->require_subcommand(1);
  AddDocumentEditCommands(document, slot);
  AddDocumentListCommands(document, slot);
  AddDocumentTransferCommands(document, slot);
  AddDocumentImportCommand(document, slot);
  AddDocumentRegisterCommands(document, slot);
  AddDocumentVersionsCommand(document, slot);
  AddDocumentAuditCommand(document, slot);
}

void ShowDocument(const Client& client, const v1::Document& doc) {
  if (client.options().json)
    PrintJson(std::cout, doc);
  else
    PrintDocument(std::cout, doc);
}

}  // namespace cchc::cchcctl
