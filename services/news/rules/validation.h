#pragma once
// The rules of articles and comments apart from storage and gRPC: fields normalised (NFC) and bounded, the
// status machine, the comment rules. Errors name the request field.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cchc/news/v1/news.pb.h"
#include "platform/field_error.h"

namespace cchc::news {

namespace v1 = cchc::news::v1;

constexpr size_t kMaxTitleChars = 250;  // NukeViet news_rows.title varchar(250)
constexpr size_t kMaxLeadChars = 2000;  // phần mở đầu (hometext)
constexpr size_t kMaxBodyChars = 200000;
constexpr size_t kMaxShortTextChars = 250;  // author, source
constexpr size_t kMaxCategoryChars = 100;
constexpr size_t kMaxTags = 20;
constexpr size_t kMaxTagChars = 50;
constexpr size_t kMaxUriChars = 1000;
constexpr size_t kMaxCaptionChars = 500;
constexpr int kMaxFigurePosition = 1000;  // paragraphs a figure may follow
constexpr size_t kMaxRelatedDocuments = 20;
constexpr size_t kMaxQueryChars = 200;

constexpr size_t kMaxCommentNameChars = 100;
constexpr size_t kMaxCommentEmailChars = 254;
constexpr size_t kMaxCommentChars = 2000;

// Fields a caller may change with UpdateArticle; the rest are output only.
const std::vector<std::string>& UpdatableFields();

// Validates and normalises an article for create or update (prefix "article"): texts, tags, cover image,
// related codes; fills an empty slug from the title. Output-only fields are not checked here.
std::optional<FieldError> ValidateArticle(v1::Article* article);

// The related-document codes alone (as ValidateArticle checks them), for checking before an update.
std::optional<FieldError> ValidateRelatedCodes(google::protobuf::RepeatedPtrField<std::string>* codes,
                                               const std::string& field);

// Checks an update mask's paths against UpdatableFields(); an empty mask becomes the fields `article` sets.
std::optional<FieldError> ResolveUpdateMask(const v1::Article& article, std::vector<std::string>* paths);
// Copies the masked fields of `from` onto `to`.
void ApplyMask(const v1::Article& from, const std::vector<std::string>& paths, v1::Article* to);

// Filter checks shared by List and Search (prefix "filter"); normalises text in place.
std::optional<FieldError> ValidateFilter(v1::ArticleFilter* filter);

// The status machine: draft → scheduled → published → archived, and back to draft by unpublishing.
enum class Action { kPublishNow, kSchedule, kUnpublish, kArchive, kScheduledTimeReached };
// The status `action` leads to from `from`, or nullopt when it is not allowed.
std::optional<v1::ArticleStatus> Transition(v1::ArticleStatus from, Action action);

// Readers see published and archived articles; the rest is for editors.
bool VisibleToReaders(v1::ArticleStatus status);

// A reader's comment: author_name, email (one '@', a dot in the domain, no spaces), content; normalised in
// place (prefix "comment").
std::optional<FieldError> ValidateComment(v1::Comment* comment);
// The key the per-sender rate limit counts by: the address, lower case.
std::string EmailKey(const std::string& email);
// Whether a moderator may move a comment from `from` to `decision`: any decided status except the current one.
bool IsModerationAllowed(v1::CommentStatus from, v1::CommentStatus decision);

// "articles/{uuid}" → the uuid; "articles/{uuid}/comments/{uuid}" → both.
std::optional<std::string> ParseArticleName(const std::string& name);
std::optional<std::pair<std::string, std::string>> ParseCommentName(const std::string& name);

}  // namespace cchc::news
