#pragma once
// Start-up checks of the SMTP settings, pure (no network): the server URL and the credentials file. Mail is
// only ever sent over TLS (STARTTLS on smtp://, implicit TLS on smtps://), so a URL is just where to connect;
// the user and password come from a file, never from the URL (where logs, `ps` and env dumps would show them).
#include <string>

namespace cchc::notification {

struct SmtpCredentials {
  std::string user, password;
};

// Empty when `url` is acceptable: empty (no e-mail), or smtp://host[:port] / smtps://host[:port] without a
// user or password in it. Otherwise the reason, for a start-up error naming --smtp-url.
std::string SmtpUrlProblem(const std::string& url);

// Parses a credentials file's text: the first line that is neither blank nor a # comment is "user:password"
// (split at the first ':', so the password may hold ':'; a trailing CR is dropped). Throws
// std::invalid_argument saying what is missing; the message never repeats the password.
SmtpCredentials ParseSmtpCredentials(const std::string& text);

// Reads and parses the file at `path`; throws std::runtime_error when unreadable, std::invalid_argument as above.
SmtpCredentials LoadSmtpCredentials(const std::string& path);

}  // namespace cchc::notification
