#include "rules/validation.h"

#include <algorithm>
#include <set>

#include "platform/dates.h"
#include "platform/text.h"
#include "platform/validate.h"
#include "rules/slug.h"

namespace cchc::news {

const std::vector<std::string>& UpdatableFields() {
  static const std::vector<std::string> kFields = {"title",
                                                   "slug",
                                                   "lead",
                                                   "body",
                                                   "author",
                                                   "source",
                                                   "category",
                                                   "tags",
                                                   "cover_image",
                                                   "comments_enabled",
                                                   "related_document_codes"};
  return kFields;
}

namespace {}  // namespace

std::optional<FieldError> ValidateArticle(v1::Article* a) {
  if (auto e = validate::Text(a->mutable_title(), "article.title", {kMaxTitleChars, true})) return e;
  if (auto e = validate::Text(a->mutable_slug(), "article.slug", {kMaxSlugChars})) return e;
  if (a->slug().empty()) {
    a->set_slug(MakeSlug(a->title()));
    if (a->slug().empty()) return FieldError{"article.title", "must contain a letter or a digit"};
  } else if (!IsValidSlug(a->slug())) {
    return FieldError{"article.slug", "must be lower-case letters a-z and digits in words joined by single '-'"};
  }
  if (auto e = validate::Text(a->mutable_lead(), "article.lead", {kMaxLeadChars, false, true})) return e;
  if (auto e = validate::Text(a->mutable_body(), "article.body", {kMaxBodyChars, false, true})) return e;
  if (auto e = validate::Text(a->mutable_author(), "article.author", {kMaxShortTextChars})) return e;
  if (auto e = validate::Text(a->mutable_source(), "article.source", {kMaxShortTextChars})) return e;
  if (auto e = validate::Text(a->mutable_category(), "article.category", {kMaxCategoryChars})) return e;
  if (auto e = validate::TextList(a->mutable_tags(), "article.tags", kMaxTags, kMaxTagChars)) return e;
  if (a->has_cover_image()) {
    auto* c = a->mutable_cover_image();
    if (auto e = validate::Text(c->mutable_uri(), "article.cover_image.uri", {kMaxUriChars})) return e;
    if (auto e = validate::Text(c->mutable_caption(), "article.cover_image.caption", {kMaxCaptionChars})) return e;
    if (c->after_paragraph() < 0 || c->after_paragraph() > kMaxFigurePosition) {
      return FieldError{"article.cover_image.after_paragraph",
                        "must be between 0 and " + std::to_string(kMaxFigurePosition)};
    }
  }
  return ValidateRelatedCodes(a->mutable_related_document_codes(), "article.related_document_codes");
}

std::optional<FieldError> ValidateRelatedCodes(google::protobuf::RepeatedPtrField<std::string>* codes,
                                               const std::string& field) {
  return validate::TextList(codes, field, kMaxRelatedDocuments, 80);
}

std::optional<FieldError> ResolveUpdateMask(const v1::Article& a, std::vector<std::string>* paths) {
  const auto& allowed = UpdatableFields();
  if (paths->empty()) {
    const auto* descriptor = a.GetDescriptor();
    const auto* reflection = a.GetReflection();
    for (const auto& name : allowed) {
      const auto* field = descriptor->FindFieldByName(name);
      bool set = field->is_repeated() ? reflection->FieldSize(a, field) > 0 : reflection->HasField(a, field);
      if (set) paths->push_back(name);
    }
    if (paths->empty()) return FieldError{"update_mask", "names no field to change", platform::v1::INVALID_UPDATE_MASK};
    return std::nullopt;
  }
  for (const auto& p : *paths)
    if (std::find(allowed.begin(), allowed.end(), p) == allowed.end())
      return FieldError{"update_mask", p + " is not a field that can be changed", platform::v1::INVALID_UPDATE_MASK};
  return std::nullopt;
}

void ApplyMask(const v1::Article& from, const std::vector<std::string>& paths, v1::Article* to) {
  const auto* descriptor = from.GetDescriptor();
  const auto* reflection = from.GetReflection();
  for (const auto& p : paths) {
    const auto* field = descriptor->FindFieldByName(p);
    reflection->ClearField(to, field);
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(from, field); ++i)
        reflection->AddString(to, field, reflection->GetRepeatedString(from, field, i));
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (reflection->HasField(from, field))
        reflection->MutableMessage(to, field)->CopyFrom(reflection->GetMessage(from, field));
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL) {
      reflection->SetBool(to, field, reflection->GetBool(from, field));
    } else {
      reflection->SetString(to, field, reflection->GetString(from, field));
    }
  }
}

std::optional<FieldError> ValidateFilter(v1::ArticleFilter* f) {
  if (auto e = validate::Text(f->mutable_category(), "filter.category", {kMaxCategoryChars})) return e;
  if (auto e = validate::Text(f->mutable_tag(), "filter.tag", {kMaxTagChars})) return e;
  if (auto e = validate::IsoDate(f->publish_date_from(), "filter.publish_date_from", false)) return e;
  if (auto e = validate::IsoDate(f->publish_date_to(), "filter.publish_date_to", false)) return e;
  if (!f->publish_date_from().empty() && !f->publish_date_to().empty() && f->publish_date_to() < f->publish_date_from())
    return FieldError{"filter.publish_date_to", "must not be before publish_date_from"};
  if (!v1::ArticleStatus_IsValid(f->status())) return FieldError{"filter.status", "is not a known status"};
  return std::nullopt;
}

std::optional<v1::ArticleStatus> Transition(v1::ArticleStatus from, Action action) {
  switch (action) {
    case Action::kPublishNow:
      if (from == v1::DRAFT || from == v1::SCHEDULED) return v1::PUBLISHED;
      break;
    case Action::kSchedule:
      if (from == v1::DRAFT || from == v1::SCHEDULED) return v1::SCHEDULED;
      break;
    case Action::kScheduledTimeReached:
      if (from == v1::SCHEDULED) return v1::PUBLISHED;
      break;
    case Action::kUnpublish:
      if (from == v1::PUBLISHED || from == v1::SCHEDULED) return v1::DRAFT;
      break;
    case Action::kArchive:
      if (from == v1::DRAFT || from == v1::PUBLISHED) return v1::ARCHIVED;
      break;
  }
  return std::nullopt;
}

bool VisibleToReaders(v1::ArticleStatus status) {
  return status == v1::PUBLISHED || status == v1::ARCHIVED;
}

std::optional<FieldError> ValidateComment(v1::Comment* c) {
  if (auto e = validate::Text(c->mutable_author_name(), "comment.author_name", {kMaxCommentNameChars, true})) return e;
  if (auto e = validate::Text(c->mutable_email(), "comment.email", {kMaxCommentEmailChars, true})) return e;
  const std::string& email = c->email();
  size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos ||
      email.find_first_of(" \t") != std::string::npos || email.find('.', at + 2) == std::string::npos ||
      email.back() == '.')
    return FieldError{"comment.email", "is not an e-mail address"};
  if (auto e = validate::Text(c->mutable_content(), "comment.content", {kMaxCommentChars, true, true})) return e;
  return std::nullopt;
}

std::string EmailKey(const std::string& email) {
  std::string key = email;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) {
    return ch < 0x80 ? static_cast<char>(std::tolower(ch)) : static_cast<char>(ch);
  });
  return key;
}

bool IsModerationAllowed(v1::CommentStatus from, v1::CommentStatus decision) {
  bool decided = decision == v1::APPROVED || decision == v1::REJECTED || decision == v1::SPAM;
  return decided && decision != from;
}

std::optional<std::string> ParseArticleName(const std::string& name) {
  constexpr std::string_view kPrefix = "articles/";
  if (name.rfind(kPrefix, 0) != 0) return std::nullopt;
  std::string id = name.substr(kPrefix.size());
  if (!validate::IsUuid(id)) return std::nullopt;
  return id;
}

std::optional<std::pair<std::string, std::string>> ParseCommentName(const std::string& name) {
  size_t cut = name.find("/comments/");
  if (cut == std::string::npos) return std::nullopt;
  auto article = ParseArticleName(name.substr(0, cut));
  std::string comment = name.substr(cut + 10);
  if (!article || !validate::IsUuid(comment)) return std::nullopt;
  return std::make_pair(*article, comment);
}

}  // namespace cchc::news
