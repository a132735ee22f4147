#include "rules/events.h"

#include "cchc/news/v1/events.pb.h"

namespace cchc::news {

outbox::PendingEvent MakeArticleEvent(EventKind kind, const v1::Article& article,
                                      const std::vector<std::string>& changed, bool scheduled) {
  outbox::PendingEvent e;
  e.topic = kTopic;
  e.aggregate_type = "article";
  e.aggregate_id = article.name();
  e.subject = article.name();
  v1::Article snapshot = article;
  snapshot.clear_body();
  switch (kind) {
    case EventKind::kPublished: {
      v1::ArticlePublished m;
      *m.mutable_article() = snapshot;
      m.set_scheduled(scheduled);
      e.type = "cchc.news.v1.ArticlePublished";
      e.payload = m.SerializeAsString();
      break;
    }
    case EventKind::kUpdated: {
      v1::ArticleUpdated m;
      *m.mutable_article() = snapshot;
      for (const auto& f : changed) m.add_changed_fields(f);
      e.type = "cchc.news.v1.ArticleUpdated";
      e.payload = m.SerializeAsString();
      break;
    }
    case EventKind::kUnpublished: {
      v1::ArticleUnpublished m;
      *m.mutable_article() = snapshot;
      e.type = "cchc.news.v1.ArticleUnpublished";
      e.payload = m.SerializeAsString();
      break;
    }
    default:
      break;
  }
  return e;
}

outbox::PendingEvent MakeCommentEvent(EventKind kind, const std::string& article_name, const v1::Comment& comment) {
  outbox::PendingEvent e;
  e.topic = kTopic;
  e.aggregate_type = "article";
  e.aggregate_id = article_name;
  e.subject = comment.name();
  v1::Comment snapshot = comment;
  snapshot.clear_email();
  if (kind == EventKind::kCommentSubmitted) {
    v1::CommentSubmitted m;
    m.set_article(article_name);
    *m.mutable_comment() = snapshot;
    e.type = "cchc.news.v1.CommentSubmitted";
    e.payload = m.SerializeAsString();
  } else if (kind == EventKind::kCommentApproved) {
    v1::CommentApproved m;
    m.set_article(article_name);
    *m.mutable_comment() = snapshot;
    e.type = "cchc.news.v1.CommentApproved";
    e.payload = m.SerializeAsString();
  }
  return e;
}

}  // namespace cchc::news
