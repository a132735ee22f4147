// Downloads stream a slice at a time: 20 at once of a 20 MiB file stay within 128 MB of the idle service, the
// 21st is RESOURCE_EXHAUSTED, an attachment deleted mid-stream ends the stream with ABORTED, and a client that
// stops reading is cancelled at the idle deadline.
#include <openssl/evp.h>

#include <cstdio>
#include <random>
#include <thread>

#include "document_limits_fixture.h"
#include "platform/auth.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;
constexpr int64_t kFileBytes = int64_t{20} << 20;

struct Stored {
  std::string document, attachment, sha256;
};

// A draft of the editor's with a 20 MiB PDF of random bytes.
Stored UploadPdf() {
  v1::CreateDocumentRequest create;
  *create.mutable_document() = DocumentServiceTest::NewDocument();
  v1::Document doc;
  auto s = DocumentServiceTest::Stub().CreateDocument(DocumentServiceTest::Context(DocumentServiceTest::kEditor).get(),
                                                      create, &doc);
  EXPECT_TRUE(s.ok()) << s.error_message();
  std::string content = "%PDF-1.7\n";
  std::mt19937_64 random(static_cast<uint64_t>(kFileBytes) ^ std::hash<std::string>()(doc.name()));
  while (static_cast<int64_t>(content.size()) < kFileBytes) {
    uint64_t r = random();
    content.append(reinterpret_cast<const char*>(&r), sizeof r);
  }
  content.resize(static_cast<size_t>(kFileBytes));
  Stored out{doc.name(), "", crypto::Sha256Hex(content)};
  v1::Attachment stored;
  auto ctx = CallContext(DocumentServiceTest::kEditor, 60);
  auto writer = DocumentServiceTest::Stub().UploadAttachment(ctx.get(), &stored);
  v1::UploadAttachmentRequest header;
  header.mutable_header()->set_document(doc.name());
  header.mutable_header()->set_file_name("bao-cao-chi-so-cchc-2016.pdf");
  header.mutable_header()->set_media_type("application/pdf");
  header.mutable_header()->set_size_bytes(kFileBytes);
  writer->Write(header);
  for (size_t off = 0; off < content.size(); off += 1 << 20) {
    v1::UploadAttachmentRequest chunk;
    chunk.set_chunk(content.substr(off, 1 << 20));
    if (!writer->Write(chunk)) break;
  }
  writer->WritesDone();
  s = writer->Finish();
  EXPECT_TRUE(s.ok()) << s.error_message();
  out.attachment = stored.name();
  EXPECT_EQ(stored.sha256(), out.sha256);
  return out;
}

// A client that takes only what it reads: no BDP probing, a 64 KiB stream window (gRPC's own would grow to
// many MiB on loopback and take a whole file off the server unread).
v1::DocumentService::Stub& SlowReaderStub() {
  static auto stub = [] {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 64 * 1024);
    return v1::DocumentService::NewStub(
        grpc::CreateCustomChannel(DocumentServiceTest::address_, grpc::InsecureChannelCredentials(), args));
  }();
  return *stub;
}

// One download: opened, its header read; the rest read by ReadAll.
struct Download {
  std::unique_ptr<grpc::ClientContext> ctx;
  std::unique_ptr<grpc::ClientReader<v1::DownloadAttachmentResponse>> reader;
  int64_t bytes = 0;
  std::string sha256;

  Download(const std::string& name, const std::string& token, bool slow_reader = false) : ctx(CallContext(token, 60)) {
    v1::DownloadAttachmentRequest req;
    req.set_name(name);
    reader = (slow_reader ? SlowReaderStub() : DocumentServiceTest::Stub()).DownloadAttachment(ctx.get(), req);
  }
  // Reads the first message; true when it is the attachment's metadata.
  bool ReadHeader() {
    v1::DownloadAttachmentResponse part;
    return reader->Read(&part) && part.has_attachment();
  }
  // Reads to the end (hashing as it goes) and returns the stream's status.
  grpc::Status ReadAll() {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
    v1::DownloadAttachmentResponse part;
    while (reader->Read(&part)) {
      bytes += static_cast<int64_t>(part.chunk().size());
      EVP_DigestUpdate(md, part.chunk().data(), part.chunk().size());
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(md, d, &n);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; i < n; ++i) {
      char hex[3];
      std::snprintf(hex, sizeof hex, "%02x", d[i]);
      sha256 += hex;
    }
    return reader->Finish();
  }
};

double Metric(const std::string& series) {
  return MetricValue(HttpGet(DocumentServiceTest::metrics_port_, "/metrics"), series);
}

TEST_F(DocumentLimitsTest, TwentyConcurrentDownloadsOfTwentyMebibytesStayWithin128MegabytesOfIdle) {
  const pid_t pid = service_->Pid();
  const int64_t before_upload = ResidentBytes(pid);
  Stored file = UploadPdf();
  ASSERT_FALSE(file.attachment.empty());
  v1::PublishDocumentRequest publish;  // for the readers
  publish.set_name(file.document);
  v1::Document published;
  auto s = Stub().PublishDocument(Context(kEditor).get(), publish, &published);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Idle: the service at rest with the file stored (and one download done: threads and connections in place).
  {
    Download warm(file.attachment, kEditor);
    ASSERT_TRUE(warm.ReadHeader());
    auto s = warm.ReadAll();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const int64_t idle = ResidentBytes(pid);

  std::vector<std::unique_ptr<Download>> downloads;
  for (int i = 0; i < kDownloadConcurrency; ++i) {
    // Slow readers, so that all 20 are still running when the 21st asks.
    downloads.push_back(std::make_unique<Download>(file.attachment, kReader, true));
    ASSERT_TRUE(downloads.back()->ReadHeader()) << downloads.back()->reader->Finish().error_message();
  }
  {
    Download refused(file.attachment, kReader);
    EXPECT_FALSE(refused.ReadHeader());
    auto s = refused.reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
    EXPECT_NE(s.error_message().find("--download-concurrency"), std::string::npos) << s.error_message();
  }

  // Round 1: the 20 slow readers read to the end. Round 2: 20 clients with gRPC's own windows, which let the
  // server write as fast as it reads.
  int64_t peak = ResidentBytes(pid);
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak, ResidentBytes(pid));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  for (int round = 1; round <= 2; ++round) {
    if (round == 2) {
      downloads.clear();
      for (int i = 0; i < kDownloadConcurrency; ++i) {
        downloads.push_back(std::make_unique<Download>(file.attachment, kReader));
        ASSERT_TRUE(downloads.back()->ReadHeader()) << downloads.back()->reader->Finish().error_message();
      }
    }
    auto started = std::chrono::steady_clock::now();
    std::vector<grpc::Status> statuses(downloads.size());
    std::vector<std::thread> readers;
    for (size_t i = 0; i < downloads.size(); ++i)
      readers.emplace_back([&, i] { statuses[i] = downloads[i]->ReadAll(); });
    for (auto& r : readers) r.join();
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("[downloads] round %d (%s): %d concurrent downloads of %lld MiB in %.1f s; RSS peak so far %.1f MB\n",
                round, round == 1 ? "64 KiB client windows" : "gRPC's default windows", kDownloadConcurrency,
                static_cast<long long>(kFileBytes >> 20), seconds, peak / 1e6);
    for (size_t i = 0; i < downloads.size(); ++i) {
      EXPECT_TRUE(statuses[i].ok()) << statuses[i].error_message();
      EXPECT_EQ(downloads[i]->bytes, kFileBytes);
      EXPECT_EQ(downloads[i]->sha256, file.sha256);
    }
  }
  done = true;
  sampler.join();
  const int64_t after = ResidentBytes(pid);
  std::printf("[downloads] RSS before the upload %.1f MB, idle %.1f MB, peak %.1f MB (+%.1f MB), after %.1f MB\n",
              before_upload / 1e6, idle / 1e6, peak / 1e6, (peak - idle) / 1e6, after / 1e6);
  EXPECT_LE(peak - idle, int64_t{128} * 1000 * 1000);
  EXPECT_TRUE(WaitFor([] { return Metric("cchc_downloads_in_progress") == 0; }, std::chrono::seconds(5)));
  EXPECT_GE(Metric("cchc_downloads_refused_total"), 1);
}

TEST_F(DocumentLimitsTest, AnAttachmentDeletedMidStreamEndsItWithAborted) {
  Stored file = UploadPdf();
  ASSERT_FALSE(file.attachment.empty());
  Download download(file.attachment, kEditor, true);  // the editor sees its draft
  ASSERT_TRUE(download.ReadHeader());
  v1::DownloadAttachmentResponse part;
  ASSERT_TRUE(download.reader->Read(&part));
  ASSERT_FALSE(part.chunk().empty());
  v1::DeleteDocumentRequest del;
  del.set_name(file.document);
  v1::DeleteDocumentResponse deleted;
  auto s = Stub().DeleteDocument(Context(kEditor).get(), del, &deleted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = download.ReadAll();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED) << s.error_message();
  EXPECT_EQ(s.error_message().rfind("name: " + file.attachment + " was replaced or removed", 0), 0u)
      << s.error_message();
  EXPECT_LT(download.bytes + static_cast<int64_t>(part.chunk().size()), kFileBytes);
}

TEST_F(DocumentLimitsTest, AClientThatStopsReadingIsCancelledAtTheIdleDeadline) {
  Stored file = UploadPdf();
  ASSERT_FALSE(file.attachment.empty());
  double cancelled = std::max(0.0, Metric("cchc_downloads_cancelled_total{reason=\"idle\"}"));
  Download download(file.attachment, kEditor, true);
  ASSERT_TRUE(download.ReadHeader());
  // The server's writes block once the stream's flow-control window is full; nothing moves for the deadline.
  EXPECT_TRUE(WaitFor([&] { return Metric("cchc_downloads_cancelled_total{reason=\"idle\"}") >= cancelled + 1; },
                      std::chrono::seconds(kDownloadIdleSeconds + 5)));
  auto s = download.ReadAll();
  EXPECT_FALSE(s.ok());
  EXPECT_LT(download.bytes, kFileBytes);
  EXPECT_TRUE(WaitFor([] { return Metric("cchc_downloads_in_progress") == 0; }, std::chrono::seconds(5)));
}

}  // namespace
}  // namespace cchc::testing
