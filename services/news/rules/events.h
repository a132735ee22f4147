#pragma once
// The news service's events, as outbox entries on topic cchc.news.v1 (proto/cchc/news/v1/events.proto).
#include <string>
#include <vector>

#include "cchc/news/v1/news.pb.h"
#include "platform/outbox.h"

namespace cchc::news {

inline constexpr const char* kTopic = "cchc.news.v1";
inline constexpr const char* kSource = "/cchc/news";

enum class EventKind { kNone, kPublished, kUpdated, kUnpublished, kCommentSubmitted, kCommentApproved };

// The outbox entry for an article event about `article` (its state after the change), keyed by its name.
// The body is left out: subscribers get the metadata; the body is one Get away. `scheduled` marks a
// publication made by the scheduler.
outbox::PendingEvent MakeArticleEvent(EventKind kind, const v1::Article& article,
                                      const std::vector<std::string>& changed_fields, bool scheduled = false);

// The outbox entry for a comment event, keyed by the article's name; the e-mail address is left out.
outbox::PendingEvent MakeCommentEvent(EventKind kind, const std::string& article_name, const v1::Comment& comment);

}  // namespace cchc::news
