// news-service: wiring only. Settings: --help.
#include <CLI/CLI.hpp>
#include <vector>

#include "document_client.h"
#include "migrations/migrations.h"
#include "platform/runtime.h"
#include "platform/service_main.h"
#include "rules/events.h"
#include "scheduler.h"
#include "service.h"
#include "store/articles.h"
#include "store/comments.h"
#include "store/school_years.h"
#include "store/views.h"
#include "views.h"

int main(int argc, char** argv) {
  cchc::CommonOptions options;
  cchc::ServiceMain main({"news", "cchc news service (tin tức)", "127.0.0.1:50062", "127.0.0.1:9462"}, options);
  CLI::App& app = main.App();
  int64_t scheduler_interval_ms = 500;
  cchc::news::ServiceLimits limits;
  int64_t comment_window_seconds = limits.comments.window.count();
  int64_t client_window_seconds = limits.comments.client_window.count();
  cchc::news::ViewLimits view_limits;
  cchc::DocumentServiceOptions document_service;
  cchc::AddDocumentServiceOptions(app, document_service);
  app.add_option("--scheduler-interval-ms", scheduler_interval_ms, "How often scheduled articles are looked for")
      ->envname("CCHC_SCHEDULER_INTERVAL_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--comments-per-sender", limits.comments.per_sender,
                 "Comments one e-mail address may submit per window")
      ->envname("CCHC_COMMENTS_PER_SENDER")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--comment-window-seconds", comment_window_seconds, "The rate limit's window")
      ->envname("CCHC_COMMENT_WINDOW_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  app.add_option("--comments-per-client", limits.comments.per_client,
                 "Comments one client may submit per window, as named by a caller with the portal role in "
                 "x-cchc-client-id metadata (ignored from anybody else)")
      ->envname("CCHC_COMMENTS_PER_CLIENT")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--comment-client-window-seconds", client_window_seconds, "The per-client limit's window")
      ->envname("CCHC_COMMENT_CLIENT_WINDOW_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  app.add_option("--pending-comments-per-article", limits.comments.pending_per_article,
                 "Comments awaiting moderation one article holds; past it SubmitComment is RESOURCE_EXHAUSTED")
      ->envname("CCHC_PENDING_COMMENTS_PER_ARTICLE")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--view-queue-max", view_limits.queue_max,
                 "Views waiting for their commit; RecordView past them gets RESOURCE_EXHAUSTED")
      ->envname("CCHC_VIEW_QUEUE_MAX")
      ->check(CLI::Range(256, 1000000))
      ->capture_default_str();
  app.add_option("--view-batch-max", view_limits.batch_max, "Most views one commit takes")
      ->envname("CCHC_VIEW_BATCH_MAX")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  if (auto exit = main.Parse(argc, argv, [&] { cchc::ValidateDocumentServiceOptions(document_service); })) return *exit;
  limits.comments.window = std::chrono::seconds(comment_window_seconds);
  limits.comments.client_window = std::chrono::seconds(client_window_seconds);
  return main.Run([&] {
    std::vector<cchc::db::Statement> statements;
    for (const auto& part :
         {cchc::news::ArticleStatements(), cchc::news::SchoolYearStatements(), cchc::news::CommentStatements()})
      statements.insert(statements.end(), part.begin(), part.end());
    cchc::ServiceRuntime runtime(options, statements, cchc::db::WithPlatformMigrations(cchc::news::Migrations()),
                                 cchc::news::kSource);
    cchc::news::ArticleStore articles(runtime.pool);
    cchc::news::Scheduler scheduler(articles, std::chrono::milliseconds(scheduler_interval_ms), runtime.registry);
    scheduler.Start();
    // The view batches on connections of their own, one per flusher, planned once: PostgreSQL would plan the
    // batch statement (its custom plans, knowing the arrays, look cheaper than the generic one) on every commit,
    // a third of its time in a view burst. No metrics: the pool metrics are the main pool's.
    cchc::db::Pool view_pool(options.database_url, options.schema, view_limits.flushers, cchc::news::ViewStatements(),
                             nullptr, cchc::db::Plans::kGeneric);
    cchc::news::ViewStore view_store(view_pool);
    cchc::news::ViewCounter views(view_store, &runtime.registry, view_limits);
    cchc::DocumentClient documents(document_service);
    cchc::news::CommentStore comments(runtime.pool);
    cchc::news::SchoolYearStore school_years(runtime.pool);
    cchc::news::NewsService service(articles, comments, school_years, views, documents, runtime.tokens, limits);
    runtime.host.AddService(&service, "cchc.news.v1.NewsService");
    int rc = runtime.Run();
    scheduler.Stop();
    return rc;
  });
}
