#include "http_server.h"

#include "article_page.h"
#include "attachments.h"
#include "comment_form.h"
#include "conditional.h"
#include "day.h"
#include "encoding.h"
#include "pages/pages.h"
#include "platform/dates.h"
#include "platform/log.h"
#include "platform/net.h"
#include "platform/trace_context.h"
#include "security.h"
#include "templates.h"

namespace cchc::portal {
namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr size_t kMaxBodyBytes = 64 * 1024;  // a comment form with its fields at their limits fits

// "/" has no page of its own yet: the documents are the section's front.
RouteAnswer Home(const Clients&, const PageRequest&, const Visitor&) {
  RouteAnswer answer;
  answer.redirect = "/van-ban";
  return answer;
}

PageRequest RequestOf(const httplib::Request& req, const std::map<std::string, std::string>& path,
                      const std::string& traceparent) {
  PageRequest out;
  out.path = path;
  for (const auto& [key, value] : req.params) out.query.emplace(key, value);  // the first value of a repeated key
  auto date = out.query.find("date");
  if (date != out.query.end()) out.date = date->second;
  out.traceparent = traceparent;
  return out;
}

}  // namespace

std::vector<Route> PortalRoutes() {
  return {
      {"GET", "/", Home},
      {"GET", "/cai-cach-hanh-chinh/{slug}", ArticleRoute},
      {"POST", "/cai-cach-hanh-chinh/{slug}", CommentRoute},
      {"GET", "/van-ban", Page(DocumentListPage)},
      {"GET", "/van-ban/{id}", Page(DocumentPage)},
      {"GET", "/chi-so-cai-cach-hanh-chinh/don-vi/{code}", Page(UnitPage)},  // before /{year}/{kind}
      {"GET", "/chi-so-cai-cach-hanh-chinh/{year}/{kind}", Page(RankingPage)},
  };
}

PortalServer::PortalServer(const PortalOptions& options, Clients clients, Channels channels, std::string csrf_secret,
                           metrics::Registry& registry, std::vector<Route> routes)
    : options_(options),
      clients_(std::move(clients)),
      channels_(std::move(channels)),
      secret_(std::move(csrf_secret)),
      metrics_(registry),
      routes_(std::move(routes)),
      server_(std::make_unique<httplib::Server>()) {
  sidebar_.field = options.sidebar_field;
  sidebar_.documents = options.sidebar_documents;
  const int threads = options.http_threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_keep_alive_max_count(options.keep_alive_max_count);
  server_->set_keep_alive_timeout(options.keep_alive_timeout_seconds);
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                                {"X-Content-Type-Options", "nosniff"},
                                {"X-Frame-Options", "DENY"},
                                {"Referrer-Policy", "same-origin"}});
  // gzip only (encoding.h): the Request is the server's own object, which httplib hands to handlers as const.
  server_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    auto& headers = const_cast<httplib::Request&>(req).headers;   // NOLINT(cppcoreguidelines-pro-type-const-cast)
    auto [first, last] = headers.equal_range("Accept-Encoding");  // names compare without case
    for (auto it = first; it != last; ++it) it->second = WithoutBrotli(it->second);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto handle = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server_->Get(R"(/.*)", handle);
  server_->Post(R"(/.*)", handle);
  server_->set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::Error("request failed", {{"path", req.path}, {"error", what}});
    res.status = 500;
    res.set_header("Cache-Control", "no-store");
    res.set_content("<!DOCTYPE html><html lang=\"vi\"><title>Lỗi máy chủ</title><h1>Lỗi máy chủ</h1>", kHtml);
  });
}

PortalServer::~PortalServer() = default;

void PortalServer::Bind() {
  auto [host, port] = net::SplitHostPort(options_.http_address);
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
    if (port_ <= 0) throw std::runtime_error("cannot listen on " + options_.http_address);
  } else {
    if (!server_->bind_to_port(host, port))
      throw std::runtime_error("cannot listen on " + options_.http_address + " (address in use?)");
    port_ = port;
  }
}

void PortalServer::Serve() {
  server_->listen_after_bind();
}

void PortalServer::Stop() {
  server_->stop();
}

void PortalServer::Handle(const httplib::Request& req, httplib::Response& res) {
  const auto started = std::chrono::steady_clock::now();
  metrics_.in_flight.Increment();
  std::string route = "unmatched";
  const std::string traceparent = trace::ContinueOrStart(req.get_header_value("traceparent")).ToHeader();
  trace::Scope scope(*trace::Parse(traceparent));
  auto done = [&] {
    metrics_.in_flight.Decrement();
    metrics_.Observe(route, req.method, res.status,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  };
  try {
    if (req.path == "/livez") {
      route = "livez";
      res.set_header("Cache-Control", "no-store");
      res.set_content("ok\n", "text/plain; charset=utf-8");
      return done();
    }
    if (req.path == "/readyz") {
      route = "readyz";
      bool ready = ready_ && channels_.news->GetState(true) != GRPC_CHANNEL_TRANSIENT_FAILURE;
      res.status = ready ? 200 : 503;
      res.set_header("Cache-Control", "no-store");
      res.set_content(ready ? "ready\n" : (ready_ ? "news service unreachable\n" : "draining\n"),
                      "text/plain; charset=utf-8");
      return done();
    }
    if (req.path == "/static/portal.css") {
      route = "static";
      res.set_header("Cache-Control", "public, max-age=3600");
      Validators ours{EntityTag(Asset("portal.css")), ""};
      res.set_header("ETag", ours.etag);
      if (NotModified(ours, req.get_header_value("If-None-Match"), "")) {
        res.status = 304;
      } else {
        res.set_content(Asset("portal.css"), "text/css; charset=utf-8");
      }
      return done();
    }

    auto day = DayOfRequest(req.has_param("date") ? req.get_param_value("date") : "", std::chrono::system_clock::now());
    if (!day) {
      route = "bad-date";
      PageDay today{dates::VietnamDay(), false};
      RouteAnswer bad = Answer(ErrorPage(400, "Ngày phải viết theo dạng năm-tháng-ngày, ví dụ ?date=2018-06-19."));
      Render(req, res, bad, today, traceparent);
      return done();
    }
    if (req.method == "GET" || req.method == "HEAD") {
      if (auto download = MatchPattern("/van-ban/{id}/tep/{file}", req.path)) {
        route = "/van-ban/{id}/tep/{file}";
        Download(req, res, download->at("id"), download->at("file"), traceparent, *day);
        return done();
      }
    }

    // HEAD is a GET without its body (httplib drops the body); it counts no view (RecordView is for GET only).
    RouteMatch match = MatchRoute(routes_, req.method == "HEAD" ? "GET" : req.method, req.path);
    RouteAnswer answer;
    if (match.route == nullptr) {
      answer.page = match.other_method ? ErrorPage(405, "Trang này không nhận yêu cầu kiểu " + req.method + ".")
                                       : ErrorPage(404, "Không tìm thấy trang " + req.path + ".");
      answer.http_status = match.other_method ? 405 : 404;
    } else {
      route = match.route->pattern;
      PageRequest page_request = RequestOf(req, match.path, traceparent);
      Visitor visitor;
      visitor.client_id = ClientIdentity(
          secret_,
          ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"), options_.trust_forwarded_for));
      const auto now = std::chrono::system_clock::now();
      visitor.csrf_token = IssueCsrfToken(secret_, visitor.client_id, now);
      visitor.csrf_ok =
          req.method == "POST" &&
          CheckCsrfToken(secret_, visitor.client_id, req.has_param("csrf") ? req.get_param_value("csrf") : "", now);
      answer = match.route->handler(clients_, page_request, visitor);
      if (req.method == "POST" && !answer.redirect.empty()) metrics_.comments_submitted.Increment();
    }
    Render(req, res, answer, *day, traceparent);
  } catch (...) {
    done();
    throw;
  }
  done();
}

void PortalServer::Render(const httplib::Request& req, httplib::Response& res, const RouteAnswer& answer,
                          const PageDay& day, const std::string& traceparent) {
  if (!answer.redirect.empty()) {
    res.status = 303;
    res.set_header("Location", answer.redirect);
    res.set_header("Cache-Control", "no-store");
    return;
  }
  const PageContent& page = answer.page;
  LayoutParts parts = FetchLayoutParts(clients_, sidebar_, day, traceparent);
  res.status = answer.http_status != 0 ? answer.http_status : page.status;
  res.set_header("Vary", "Accept-Encoding");
  bool cacheable =
      res.status == 200 && req.method != "POST" && (!page.etag_source.empty() || !page.last_modified_rfc1123.empty());
  if (cacheable) {
    Validators ours;
    ours.etag = EntityTag(page.etag_source + "\n" + LayoutFingerprint(parts));
    if (!page.last_modified_rfc1123.empty())
      ours.last_modified = LaterHttpDate(page.last_modified_rfc1123, StartOfDayHttpDate(day.day));
    res.set_header("Cache-Control", "no-cache");  // stored, but asked again each time: 304 when unchanged
    res.set_header("ETag", ours.etag);
    if (!ours.last_modified.empty()) res.set_header("Last-Modified", ours.last_modified);
    if (NotModified(ours, req.get_header_value("If-None-Match"), req.get_header_value("If-Modified-Since"))) {
      res.status = 304;
      return;
    }
  } else {
    res.set_header("Cache-Control", "no-store");
  }
  res.set_content(RenderLayout(parts, page), kHtml);

  // The page shows the count before this view; the view is recorded once the page exists.
  if (!answer.record_view.empty() && res.status == 200 && req.method == "GET") {
    news::v1::RecordViewRequest view;
    view.set_name(answer.record_view);
    news::v1::RecordViewResponse out;
    grpc::ClientContext ctx;
    clients_.Prepare(ctx, traceparent);
    grpc::Status status = clients_.news->RecordView(&ctx, view, &out);
    if (status.ok()) {
      metrics_.views_recorded.Increment();
    } else {
      metrics_.view_failures.Increment();
      log::Warn("view not recorded", {{"article", answer.record_view},
                                      {"code", std::to_string(status.error_code())},
                                      {"error", status.error_message()}});
    }
  }
}

namespace {

// One download's call to the document service, alive as long as the response streams.
struct DownloadStream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<document::v1::DownloadAttachmentResponse>> reader;
  std::string pending;  // a chunk read before the headers were sent
  bool finished = false;
};

}  // namespace

void PortalServer::Download(const httplib::Request& req, httplib::Response& res, const std::string& document_id,
                            const std::string& file, const std::string& traceparent, const PageDay& day) {
  document::v1::GetDocumentRequest get;
  get.set_name("documents/" + document_id);
  document::v1::Document document;
  grpc::ClientContext get_context;
  clients_.Prepare(get_context, traceparent);
  grpc::Status status = clients_.documents->GetDocument(&get_context, get, &document);
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
      status = grpc::Status(grpc::StatusCode::NOT_FOUND, status.error_message());
    return Render(req, res, Answer(ErrorFromStatus(status, "văn bản")), day, traceparent);
  }
  auto attachment = FindAttachment(document, file);
  if (!attachment)
    return Render(req, res, Answer(ErrorPage(404, "Văn bản này không có tệp " + file + ".")), day, traceparent);

  auto stream = std::make_shared<DownloadStream>();
  clients_.Prepare(stream->context, traceparent);
  stream->context.set_deadline(std::chrono::system_clock::now() +
                               std::chrono::milliseconds(options_.download_timeout_ms));
  document::v1::DownloadAttachmentRequest download;
  download.set_name(attachment->name());
  stream->reader = clients_.documents->DownloadAttachment(&stream->context, download);
  document::v1::DownloadAttachmentResponse first;
  if (!stream->reader->Read(&first)) {
    status = stream->reader->Finish();
    return Render(req, res,
                  Answer(ErrorFromStatus(status.ok() ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "empty") : status,
                                         "tệp đính kèm")),
                  day, traceparent);
  }
  if (first.has_chunk()) stream->pending = first.chunk();
  const std::string media_type =
      attachment->media_type().empty() ? "application/octet-stream" : attachment->media_type();
  res.set_header("Content-Disposition", ContentDisposition(attachment->file_name()));
  res.set_header("Cache-Control", "no-store");  // every download is counted by the document service
  auto* bytes = &metrics_.download_bytes;
  res.set_chunked_content_provider(
      media_type,
      [stream, bytes](size_t, httplib::DataSink& sink) {
        if (!stream->pending.empty()) {
          std::string chunk = std::move(stream->pending);
          stream->pending.clear();
          bytes->Increment(static_cast<double>(chunk.size()));
          return sink.write(chunk.data(), chunk.size());
        }
        document::v1::DownloadAttachmentResponse part;
        while (stream->reader->Read(&part)) {
          if (!part.has_chunk() || part.chunk().empty()) continue;
          bytes->Increment(static_cast<double>(part.chunk().size()));
          return sink.write(part.chunk().data(), part.chunk().size());
        }
        grpc::Status end = stream->reader->Finish();
        stream->finished = true;
        if (!end.ok()) {
          log::Warn("download broken off",
                    {{"code", std::to_string(end.error_code())}, {"error", end.error_message()}});
          return false;  // the connection closes: the reader sees an incomplete download, never a wrong one
        }
        sink.done();
        return true;
      },
      [stream](bool) {
        if (stream->finished) return;
        stream->context.TryCancel();  // the reader left: end the call, then collect its status
        document::v1::DownloadAttachmentResponse rest;
        while (stream->reader->Read(&rest)) {
        }
        stream->reader->Finish();
        stream->finished = true;
      });
}

}  // namespace cchc::portal
