// attach (client-streaming upload) and download (server-streaming, SHA-256 checked).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "command.h"
#include "document_format.h"
#include "files.h"
#include "platform/errors.h"

namespace cchc::cchcctl {

namespace {

namespace fs = std::filesystem;

constexpr size_t kChunkBytes = 64 * 1024;

struct AttachArgs {
  std::string document;
  std::string file;
  std::string media_type;  // empty: guessed from the extension
};

struct DownloadArgs {
  std::string name;
  std::string output;  // empty: the attachment's file name in the current folder
};

std::ifstream OpenForReading(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StatusError(grpc::StatusCode::NOT_FOUND, "cannot read " + path);
  return in;
}

// Reads `in` to the end in chunks of kChunkBytes, calling sink(chunk) for each; false if sink stopped it.
template <typename Sink>
bool ForEachChunk(std::ifstream& in, Sink sink) {
  std::string buffer(kChunkBytes, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    auto got = static_cast<size_t>(in.gcount());
    if (got > 0 && !sink(std::string_view(buffer.data(), got))) return false;
  }
  return true;
}

void RunAttach(Client& client, const AttachArgs& a) {
  std::error_code ec;
  if (!fs::is_regular_file(a.file, ec)) throw StatusError(grpc::StatusCode::NOT_FOUND, "not a file: " + a.file);
  const auto size = static_cast<int64_t>(fs::file_size(a.file));
  const std::string file_name = fs::path(a.file).filename().string();
  const std::string media_type = a.media_type.empty() ? MediaTypeFor(file_name) : a.media_type;
  if (media_type.empty())
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "cannot tell the media type of " + file_name + " from its extension; pass --media-type");

  Sha256 digest;
  {
    std::ifstream in = OpenForReading(a.file);
    ForEachChunk(in, [&](std::string_view chunk) {
      digest.Update(chunk);
      return true;
    });
  }
  v1::UploadAttachmentRequest header;
  header.mutable_header()->set_document(a.document);
  header.mutable_header()->set_file_name(file_name);
  header.mutable_header()->set_media_type(media_type);
  header.mutable_header()->set_size_bytes(size);
  header.mutable_header()->set_sha256(digest.HexDigest());

  auto context = client.NewContext();
  v1::Attachment attachment;
  auto writer = client.Documents().UploadAttachment(context.get(), &attachment);
  // A failed Write means the call is over; Finish says why.
  if (writer->Write(header)) {
    std::ifstream in = OpenForReading(a.file);
    v1::UploadAttachmentRequest part;
    ForEachChunk(in, [&](std::string_view chunk) {
      part.set_chunk(chunk.data(), chunk.size());
      return writer->Write(part);
    });
    writer->WritesDone();
  }
  client.Check(writer->Finish());
  if (client.options().json)
    PrintJson(std::cout, attachment);
  else
    PrintAttachment(std::cout, attachment);
}

// Where to save `attachment` when -o is not given: its file name, without any folders.
std::string DefaultOutput(const v1::Attachment& attachment) {
  std::string name = fs::path(attachment.file_name()).filename().string();
  if (name.empty() || name == "." || name == "..") name = fs::path(attachment.name()).filename().string();
  return name;
}

void RunDownload(Client& client, const DownloadArgs& a) {
  v1::DownloadAttachmentRequest req;
  req.set_name(a.name);
  auto context = client.NewContext();
  auto reader = client.Documents().DownloadAttachment(context.get(), req);

  v1::DownloadAttachmentResponse message;
  v1::Attachment attachment;
  std::string output, partial;
  std::ofstream out;
  Sha256 digest;
  int64_t received = 0;
  bool write_failed = false;
  while (reader->Read(&message)) {
    if (message.has_attachment() && !out.is_open()) {
      attachment = message.attachment();
      output = a.output.empty() ? DefaultOutput(attachment) : a.output;
      partial = output + ".part";
      out.open(partial, std::ios::binary | std::ios::trunc);
      if (!out) throw StatusError(grpc::StatusCode::PERMISSION_DENIED, "cannot write " + partial);
    } else if (message.has_chunk() && out.is_open()) {
      digest.Update(message.chunk());
      received += static_cast<int64_t>(message.chunk().size());
      if (!out.write(message.chunk().data(), static_cast<std::streamsize>(message.chunk().size()))) {
        write_failed = true;
        context->TryCancel();
      }
    }
  }
  grpc::Status status = reader->Finish();
  if (out.is_open()) out.close();
  auto discard = [&] {
    if (!partial.empty()) std::remove(partial.c_str());
  };
  if (write_failed) {
    discard();
    throw StatusError(grpc::StatusCode::DATA_LOSS, "cannot write " + partial);
  }
  if (!status.ok()) discard();
  client.Check(status);
  if (partial.empty()) throw StatusError(grpc::StatusCode::INTERNAL, "the service sent no attachment metadata");

  std::string sha = digest.HexDigest();
  if (received != attachment.size_bytes() || sha != attachment.sha256()) {
    discard();
    throw StatusError(grpc::StatusCode::DATA_LOSS, "received " + std::to_string(received) + " bytes with SHA-256 " +
                                                       sha + "; expected " + std::to_string(attachment.size_bytes()) +
                                                       " bytes with SHA-256 " + attachment.sha256());
  }
  std::error_code ec;
  fs::rename(partial, output, ec);
  if (ec)
    throw StatusError(grpc::StatusCode::DATA_LOSS, "cannot rename " + partial + " to " + output + ": " + ec.message());
  if (client.options().json)
    PrintJson(std::cout, attachment);
  else
    std::cout << "saved " << output << " (" << received << " bytes, SHA-256 verified: " << sha << ")\n";
}

}  // namespace

void AddDocumentTransferCommands(CLI::App* document, Action* slot) {
  auto attach = std::make_shared<AttachArgs>();
  CLI::App* cmd = document->add_subcommand("attach", "Upload a file as an attachment of a document");
  cmd->add_option("name", attach->document, "documents/{id}")->required();
  cmd->add_option("file", attach->file, "The file to upload (PDF, DOC/DOCX, XLS/XLSX, ZIP, PNG, JPEG, TXT)")
      ->required();
  cmd->add_option("--media-type", attach->media_type, "Override the media type guessed from the extension");
  OnRun(cmd, slot, attach, &RunAttach);

  auto download = std::make_shared<DownloadArgs>();
  cmd = document->add_subcommand("download", "Download an attachment and verify its SHA-256");
  cmd->footer("Large files may need a longer --timeout: the deadline covers the whole transfer.");
  cmd->add_option("name", download->name, "documents/{id}/attachments/{attachment_id}")->required();
  cmd->add_option("-o,--output", download->output, "Where to save it (default: the attachment's file name)");
  OnRun(cmd, slot, download, &RunDownload);
}

}  // namespace cchc::cchcctl
