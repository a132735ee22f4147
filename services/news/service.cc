#include "service.h"

#include "platform/handler.h"
#include "platform/page_cursor.h"
#include "platform/search_text.h"
#include "platform/validate.h"
#include "rules/school_year.h"
#include "rules/slug.h"
#include "rules/validation.h"
#include "service_checks.h"

namespace cchc::news {
namespace {

constexpr paging::CursorShape<int64_t, int64_t> kListCursor{{"t", "s"}, "listing (filters changed?)"};

using grpc::Status;
using grpc::StatusCode;

// Editors and admins see drafts and scheduled articles; everybody else what readers see.
bool SeesUnpublished(const auth::Principal& p) {
  return p.Has(auth::Role::kEditor);
}

void CheckOwner(const auth::Principal& p, const v1::Article& a) {
  if (!p.Has(auth::Role::kAdmin) && a.created_by() != p.unit)
    throw StatusError(StatusCode::PERMISSION_DENIED,
                      "principal " + p.unit + " may not change " + a.name() + " of unit " + a.created_by());
}

void CheckEtag(const std::string& given, const v1::Article& a) {
  if (!given.empty() && given != a.etag())
    throw StatusError(StatusCode::ABORTED, "etag: " + given + " is stale; the article is now at " + a.etag(),
                      platform::v1::STALE_ETAG);
}

v1::ArticleStatus Next(const v1::Article& a, Action action, const std::string& verb) {
  auto next = Transition(a.status(), action);
  if (!next)
    throw StatusError(StatusCode::FAILED_PRECONDITION,
                      "name: " + a.name() + " cannot be " + verb + " while " + v1::ArticleStatus_Name(a.status()));
  return *next;
}

// Readers list published articles (or archived ones when they ask); editors any status.
void RestrictForReaders(const auth::Principal& p, v1::ArticleFilter* filter) {
  if (SeesUnpublished(p)) return;
  if (filter->status() == v1::ARTICLE_STATUS_UNSPECIFIED) filter->set_status(v1::PUBLISHED);
  if (!VisibleToReaders(filter->status()))
    throw StatusError(StatusCode::PERMISSION_DENIED, "filter.status: readers see published and archived articles only");
}

std::string FilterFingerprint(const v1::ArticleFilter& filter, const std::string& extra = "") {
  std::string bytes;
  filter.SerializeToString(&bytes);
  return paging::Fingerprint(bytes + "\x1f" + extra);
}

std::vector<std::string> ToVector(const google::protobuf::RepeatedPtrField<std::string>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

NewsService::NewsService(ArticleStore& articles, CommentStore& comments, SchoolYearStore& school_years,
                         ViewCounter& views, DocumentClient& documents, const auth::TokenStore& tokens,
                         ServiceLimits limits)
    : articles_(articles),
      comments_(comments),
      school_years_(school_years),
      views_(views),
      documents_(documents),
      tokens_(tokens),
      limits_(limits) {}

v1::Article NewsService::Visible(const auth::Principal& p, std::optional<v1::Article> article,
                                 const std::string& what) {
  if (!article || (!SeesUnpublished(p) && !VisibleToReaders(article->status())))
    throw StatusError(StatusCode::NOT_FOUND, what + " does not exist");
  return std::move(*article);
}

Status NewsService::CreateArticle(grpc::ServerContext* ctx, const v1::CreateArticleRequest* req, v1::Article* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    v1::Article article = req->article();
    std::string request_id = req->request_id();
    Require(validate::Text(&request_id, "request_id", {64}));
    Require(ValidateArticle(&article));
    // An imported article may keep the old portal's counter and date; only an admin may say so.
    if (article.view_count() != 0 || article.has_publish_time()) {
      if (!p.Has(auth::Role::kAdmin))
        return Status(StatusCode::PERMISSION_DENIED,
                      "article.view_count, article.publish_time: only an admin may set them on create (import)");
      if (article.view_count() < 0)
        return Status(StatusCode::INVALID_ARGUMENT, "article.view_count: must not be negative");
      if (article.has_publish_time() && db::MicrosOf(article.publish_time()) > db::NowMicros())
        return Status(StatusCode::INVALID_ARGUMENT,
                      "article.publish_time: must not be in the future on create; schedule with PublishArticle");
    }
    int64_t initial_views = article.view_count();
    auto codes = documents_.Resolve(ToVector(article.related_document_codes()), "article.related_document_codes");
    article.clear_related_document_codes();
    for (auto& c : codes) article.add_related_document_codes(std::move(c));
    *out = articles_.Create(article, p.unit, request_id, initial_views);
    return Status::OK;
  });
}

Status NewsService::GetArticle(grpc::ServerContext* ctx, const v1::GetArticleRequest* req, v1::Article* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string id = RequireArticleId(req->name(), "name");
    *out = Visible(p, articles_.Get(id), "name: " + req->name());
    return Status::OK;
  });
}

Status NewsService::GetArticleBySlug(grpc::ServerContext* ctx, const v1::GetArticleBySlugRequest* req,
                                     v1::Article* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    if (!IsValidSlug(req->slug())) return Status(StatusCode::INVALID_ARGUMENT, "slug: not a slug (a-z, 0-9 and '-')");
    *out = Visible(p, articles_.GetBySlug(req->slug()), "slug: " + req->slug());
    return Status::OK;
  });
}

Status NewsService::UpdateArticle(grpc::ServerContext* ctx, const v1::UpdateArticleRequest* req, v1::Article* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireArticleId(req->article().name(), "article.name");
    std::vector<std::string> paths(req->update_mask().paths().begin(), req->update_mask().paths().end());
    Require(ResolveUpdateMask(req->article(), &paths));
    v1::Article incoming = req->article();
    if (std::find(paths.begin(), paths.end(), "related_document_codes") != paths.end()) {
      Require(ValidateRelatedCodes(incoming.mutable_related_document_codes(), "article.related_document_codes"));
      auto codes = documents_.Resolve(ToVector(incoming.related_document_codes()), "article.related_document_codes");
      incoming.clear_related_document_codes();
      for (auto& c : codes) incoming.add_related_document_codes(std::move(c));
    }
    *out = articles_.Modify(
        id,
        [&](v1::Article& a) {
          CheckOwner(p, a);
          CheckEtag(req->article().etag(), a);
          if (a.status() == v1::ARCHIVED)
            throw StatusError(StatusCode::FAILED_PRECONDITION, "article: an archived article cannot change");
          bool slug_changes = std::find(paths.begin(), paths.end(), "slug") != paths.end();
          if (slug_changes && a.status() != v1::DRAFT)
            throw StatusError(StatusCode::FAILED_PRECONDITION,
                              "update_mask: slug can change only while the article is a draft");
          ApplyMask(incoming, paths, &a);
          Require(ValidateArticle(&a));
          Mutation m;
          if (a.status() == v1::PUBLISHED) m.event = EventKind::kUpdated;
          m.changed_fields = paths;
          return m;
        },
        p.unit);
    return Status::OK;
  });
}

Status NewsService::PublishArticle(grpc::ServerContext* ctx, const v1::PublishArticleRequest* req, v1::Article* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireArticleId(req->name(), "name");
    bool schedule = req->has_publish_time();
    int64_t at = schedule ? db::MicrosOf(req->publish_time()) : 0;
    if (schedule && at <= db::NowMicros())
      return Status(StatusCode::INVALID_ARGUMENT,
                    "publish_time: must be in the future to schedule; leave it unset to publish now");
    *out = articles_.Modify(
        id,
        [&](v1::Article& a) {
          CheckOwner(p, a);
          CheckEtag(req->etag(), a);
          Mutation m;
          if (schedule) {
            a.set_status(Next(a, Action::kSchedule, "scheduled"));
            db::SetTimestamp(a.mutable_publish_time(), at);
            return m;
          }
          bool was_scheduled = a.status() == v1::SCHEDULED;
          a.set_status(Next(a, Action::kPublishNow, "published"));
          // A date already passed (an earlier publication, or an admin's import) is kept; otherwise now.
          int64_t now = db::NowMicros();
          if (was_scheduled || !a.has_publish_time() || db::MicrosOf(a.publish_time()) > now)
            db::SetTimestamp(a.mutable_publish_time(), now);
          m.event = EventKind::kPublished;
          return m;
        },
        p.unit);
    return Status::OK;
  });
}

Status NewsService::UnpublishArticle(grpc::ServerContext* ctx, const v1::UnpublishArticleRequest* req,
                                     v1::Article* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireArticleId(req->name(), "name");
    *out = articles_.Modify(
        id,
        [&](v1::Article& a) {
          CheckOwner(p, a);
          CheckEtag(req->etag(), a);
          Mutation m;
          if (a.status() == v1::PUBLISHED) m.event = EventKind::kUnpublished;
          if (a.status() == v1::SCHEDULED) a.clear_publish_time();  // the schedule is cancelled
          a.set_status(Next(a, Action::kUnpublish, "unpublished"));
          return m;
        },
        p.unit);
    return Status::OK;
  });
}

Status NewsService::ArchiveArticle(grpc::ServerContext* ctx, const v1::ArchiveArticleRequest* req, v1::Article* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireArticleId(req->name(), "name");
    *out = articles_.Modify(
        id,
        [&](v1::Article& a) {
          CheckOwner(p, a);
          CheckEtag(req->etag(), a);
          Mutation m;
          if (a.status() == v1::PUBLISHED) m = Mutation{EventKind::kUpdated, {"status"}};
          a.set_status(Next(a, Action::kArchive, "archived"));
          return m;
        },
        p.unit);
    return Status::OK;
  });
}

Status NewsService::ListArticles(grpc::ServerContext* ctx, const v1::ListArticlesRequest* req,
                                 v1::ListArticlesResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    ListQuery q;
    q.filter = req->filter();
    Require(ValidateFilter(&q.filter));
    Require(validate::PageSize(req->page_size(), &q.limit));
    RestrictForReaders(p, &q.filter);
    std::string fingerprint = FilterFingerprint(q.filter);
    if (!req->page_token().empty())
      q.after = std::make_from_tuple<std::pair<int64_t, int64_t>>(kListCursor.Decode(req->page_token(), fingerprint));
    ListPage page = articles_.List(q);
    for (auto& a : page.articles) *out->add_articles() = std::move(a);
    if (page.last) out->set_next_page_token(kListCursor.Encode(fingerprint, page.last->first, page.last->second));
    return Status::OK;
  });
}

Status NewsService::SearchArticles(grpc::ServerContext* ctx, const v1::SearchArticlesRequest* req,
                                   v1::SearchArticlesResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string query = req->query();
    Require(validate::Text(&query, "query", {kMaxQueryChars, true}));
    SearchQuery q;
    q.tsquery = search::BuildTsQuery(query);
    q.phrase = search::BuildTsPhrase(query);
    if (q.tsquery.empty()) return Status(StatusCode::INVALID_ARGUMENT, "query: must contain a letter or a digit");
    q.filter = req->filter();
    Require(ValidateFilter(&q.filter));
    Require(validate::PageSize(req->page_size(), &q.limit));
    RestrictForReaders(p, &q.filter);
    std::string fingerprint = FilterFingerprint(q.filter, q.tsquery);
    q.offset = paging::DecodeSearchOffset(req->page_token(), fingerprint, kMaxSearchResults);
    auto articles = articles_.Search(q);
    bool more = static_cast<int>(articles.size()) == q.limit && q.offset + q.limit < kMaxSearchResults;
    for (auto& a : articles) *out->add_articles() = std::move(a);
    if (more) out->set_next_page_token(paging::kSearchCursor.Encode(fingerprint, q.offset + q.limit));
    return Status::OK;
  });
}

grpc::ServerUnaryReactor* NewsService::RecordView(grpc::CallbackServerContext* ctx, const v1::RecordViewRequest* req,
                                                  v1::RecordViewResponse*) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  trace::Scope trace_scope(TraceOf(*ctx));  // the view itself is counted later, in a batch of many calls
  auth::Principal principal;
  Status denied = auth::Authorize(*ctx, tokens_, auth::Role::kReader, &principal);
  if (!denied.ok()) {
    reactor->Finish(denied);
    return reactor;
  }
  auto id = ParseArticleName(req->name());
  if (!id) {
    reactor->Finish(error_details::ErrorStatus(StatusCode::INVALID_ARGUMENT, "name: must be articles/{uuid}",
                                               platform::v1::INVALID_NAME));
    return reactor;
  }
  // Two pointers, no copy: std::function keeps them without allocating. The request lives until Finish.
  bool queued = views_.RecordAsync(*id, [reactor, req](bool counted, std::exception_ptr error) {
    if (error) {
      reactor->Finish(Status(StatusCode::UNAVAILABLE, "the database is unavailable; the view was not counted"));
    } else if (!counted) {
      reactor->Finish(Status(StatusCode::NOT_FOUND, "name: " + req->name() + " is not a published article"));
    } else {
      reactor->Finish(Status::OK);
    }
  });
  if (!queued)
    reactor->Finish(Status(StatusCode::RESOURCE_EXHAUSTED,
                           "the view was not counted: " + std::to_string(views_.limits().queue_max) +
                               " views wait for their commit (--view-queue-max); try again"));
  return reactor;
}

Status NewsService::PutSchoolYear(grpc::ServerContext* ctx, const v1::PutSchoolYearRequest* req, v1::SchoolYear* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    v1::SchoolYear year = req->school_year();
    year.clear_update_time();
    year.clear_updated_by();
    Require(ValidateSchoolYear(&year));
    *out = school_years_.Put(year, p.unit);
    return Status::OK;
  });
}

Status NewsService::GetSchoolYear(grpc::ServerContext* ctx, const v1::GetSchoolYearRequest* req, v1::SchoolYear* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    std::optional<v1::SchoolYear> year;
    switch (req->key_case()) {
      case v1::GetSchoolYearRequest::kName: {
        auto id = ParseSchoolYearName(req->name());
        if (!id)
          return error_details::ErrorStatus(StatusCode::INVALID_ARGUMENT, "name: must be schoolYears/{yyyy}-{yyyy+1}",
                                            platform::v1::INVALID_NAME);
        year = school_years_.Get(*id);
        if (!year) return Status(StatusCode::NOT_FOUND, "name: no school year " + req->name());
        break;
      }
      case v1::GetSchoolYearRequest::kDate:
        Require(validate::IsoDate(req->date(), "date", true));
        year = school_years_.On(req->date());
        if (!year) return Status(StatusCode::NOT_FOUND, "date: no school year contains " + req->date());
        break;
      default:
        return Status(StatusCode::INVALID_ARGUMENT, "key: give name or date");
    }
    *out = std::move(*year);
    return Status::OK;
  });
}

}  // namespace cchc::news
