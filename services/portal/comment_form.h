#pragma once
// POST /cai-cach-hanh-chinh/{slug}: a reader's comment from the article page's form (no JavaScript). The CSRF
// token must be good; the comment goes to SubmitComment with the portal's token and the reader's hashed address
// as the client identity (x-cchc-client-id, honoured for the portal role only); then 303 to the article with
// "awaits moderation". A refusal shows the article again with the reader's text and what to fix.
#include <string>

#include "router.h"

namespace cchc::portal {

// The form's fields (the names of templates/article.mustache's inputs).
inline constexpr const char* kFieldName = "ten";
inline constexpr const char* kFieldEmail = "email";
inline constexpr const char* kFieldText = "noi-dung";
inline constexpr const char* kFieldCsrf = "csrf";

// Bytes of a field the portal passes on at most (the news service checks the exact limits).
inline constexpr size_t kMaxFieldBytes = 16 * 1024;

// What to tell the reader for a SubmitComment refusal: `message` as the service wrote it ("comment.email: …").
std::string CommentRefusalText(int grpc_code, const std::string& message);

RouteAnswer CommentRoute(const Clients& clients, const PageRequest& request, const Visitor& visitor);

}  // namespace cchc::portal
