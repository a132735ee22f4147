#pragma once
// The checks the NewsService handlers share (service.cc, comment_handlers.cc). Each throws StatusError, which
// the handler frame (platform/handler.h) turns into the call's status.
#include <string>

namespace cchc::news {

// The id of `name` (articles/{uuid}); INVALID_ARGUMENT naming `field` otherwise.
std::string RequireArticleId(const std::string& name, const std::string& field);

}  // namespace cchc::news
