// document-service: wiring only. Settings: --help.
#include <CLI/CLI.hpp>

#include "lifecycle_scheduler.h"
#include "migrations/migrations.h"
#include "platform/runtime.h"
#include "platform/service_main.h"
#include "service.h"
#include "store/attachments.h"
#include "store/audit.h"
#include "store/documents.h"
#include "store/lifecycle.h"
#include "store/registers.h"
#include "store/search.h"

int main(int argc, char** argv) {
  cchc::CommonOptions options;
  cchc::ServiceMain main({"document", "cchc document service (văn bản)", "127.0.0.1:50061", "127.0.0.1:9461"}, options);
  CLI::App& app = main.App();
  cchc::document::ServiceLimits limits;
  int64_t cache_ttl_ms = limits.read_cache_ttl.count();
  app.add_option("--read-cache-ttl-ms", cache_ttl_ms, "How long readers' results are served from memory (0: off)")
      ->envname("CCHC_READ_CACHE_TTL_MS")
      ->check(CLI::Range(int64_t{0}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--read-cache-bytes", limits.read_cache_bytes,
                 "Most bytes readers' cached results take (kept serialized; counted with key and overhead; a third "
                 "each for documents, lists and searches); the least recently used go first")
      ->envname("CCHC_READ_CACHE_BYTES")
      ->check(CLI::Range(size_t{0}, size_t{1} << 34))
      ->capture_default_str();
  int64_t download_idle_seconds = limits.downloads.idle.count() / 1000;
  int64_t download_max_seconds = limits.downloads.overall.count() / 1000;
  app.add_option("--download-concurrency", limits.downloads.concurrency,
                 "Most attachment downloads this process serves at once (RESOURCE_EXHAUSTED past it)")
      ->envname("CCHC_DOWNLOAD_CONCURRENCY")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--download-idle-seconds", download_idle_seconds,
                 "A download whose client takes nothing for this long is cancelled")
      ->envname("CCHC_DOWNLOAD_IDLE_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{3600}))
      ->capture_default_str();
  app.add_option("--download-max-seconds", download_max_seconds, "Longest one download may run")
      ->envname("CCHC_DOWNLOAD_MAX_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  app.add_option("--max-attachment-bytes", limits.max_attachment_bytes, "Largest attachment accepted")
      ->envname("CCHC_MAX_ATTACHMENT_BYTES")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30))
      ->capture_default_str();
  app.add_option("--max-attachments-per-document", limits.max_attachments_per_document,
                 "Most attachments one document may have (RESOURCE_EXHAUSTED past it)")
      ->envname("CCHC_MAX_ATTACHMENTS_PER_DOCUMENT")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--max-document-versions", limits.max_document_versions,
                 "Versions kept per document and per attachment file name; past it the oldest but the first "
                 "(as created) is dropped, and the update is still accepted")
      ->envname("CCHC_MAX_DOCUMENT_VERSIONS")
      ->check(CLI::Range(2, 100000))
      ->capture_default_str();
  int64_t lifecycle_interval_ms = 1000;
  app.add_option("--lifecycle-interval-ms", lifecycle_interval_ms,
                 "How often documents taking effect or expiring today are looked for (hiệu lực announcements)")
      ->envname("CCHC_LIFECYCLE_INTERVAL_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{600000}))
      ->capture_default_str();
  app.add_option("--reservation-expiry-days", limits.reservation_expiry_days,
                 "A number reserved in the outgoing register (sổ văn bản đi) and unused this many days is cancelled, "
                 "never handed out again")
      ->envname("CCHC_RESERVATION_EXPIRY_DAYS")
      ->check(CLI::Range(1, 366));
  int audit_retention_days = 3650;
  app.add_option("--audit-retention-days", audit_retention_days,
                 "How long audit rows (nhật ký) are kept; older ones are deleted in batches by the lifecycle loop "
                 "(the only deletion the audit trail allows)")
      ->envname("CCHC_AUDIT_RETENTION_DAYS")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  std::string search_index = "memory";
  app.add_option("--search-index", search_index,
                 "Where a reader's search finds its candidates: memory (an index of the published documents in this "
                 "replica, kept from the search log; PostgreSQL ranks them) or sql (date windows of the GIN index)")
      ->envname("CCHC_SEARCH_INDEX")
      ->check(CLI::IsMember({"memory", "sql"}))
      ->capture_default_str();
  if (auto exit = main.Parse(argc, argv)) return *exit;
  limits.read_cache_ttl = std::chrono::milliseconds(cache_ttl_ms);
  limits.downloads.idle = std::chrono::seconds(download_idle_seconds);
  limits.downloads.overall = std::chrono::seconds(download_max_seconds);
  return main.Run([&] {
    // Every store's statements, prepared on each pooled connection (the search store's run unprepared); the
    // platform's migrations, then the service's.
    std::vector<cchc::db::Statement> statements = cchc::document::DocumentStatements();
    for (auto& s : cchc::document::AttachmentStatements()) statements.push_back(std::move(s));
    for (auto& s : cchc::document::LifecycleStatements()) statements.push_back(std::move(s));
    for (auto& s : cchc::document::RegisterStatements()) statements.push_back(std::move(s));
    auto migrations = cchc::db::WithPlatformMigrations(cchc::document::Migrations());
    cchc::ServiceRuntime runtime(options, std::move(statements), std::move(migrations), cchc::document::kSource);
    cchc::document::DocumentStore documents(runtime.pool, limits.max_document_versions);
    cchc::document::AttachmentStore attachments(runtime.pool);
    cchc::document::SearchStore search(runtime.pool);
    cchc::document::PublishedIndexFeed search_feed(runtime.pool, &runtime.registry);
    if (search_index == "memory") {
      search.UseIndex(&search_feed);
      search_feed.Start();
    }
    cchc::document::RegisterStore registers(runtime.pool);
    cchc::document::AuditStore audit(runtime.pool);
    cchc::document::DocumentService service(documents, attachments, search, registers, audit, runtime.tokens, limits,
                                            &runtime.registry);
    runtime.host.AddService(&service, "cchc.document.v1.DocumentService");
    cchc::document::LifecycleStore lifecycle(runtime.pool);
    cchc::document::LifecycleScheduler scheduler(lifecycle, std::chrono::milliseconds(lifecycle_interval_ms),
                                                 runtime.registry);
    scheduler.AlsoEachPass("reservations expired", [&](std::chrono::system_clock::time_point now) {
      return registers.ExpireUnused(now, limits.reservation_expiry_days);
    });
    scheduler.PurgeAudit(&audit, std::chrono::hours(24) * audit_retention_days);
    scheduler.Start();
    int code = runtime.Run();
    scheduler.Stop();
    search_feed.Stop();
    return code;
  });
}
