#include "smtp_config.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cchc::notification {

std::string SmtpUrlProblem(const std::string& url) {
  if (url.empty()) return "";
  std::string scheme = url.substr(0, url.find("://"));
  if (scheme == url || (scheme != "smtp" && scheme != "smtps"))
    return "must be smtp://host:port (STARTTLS is required) or smtps://host:port (implicit TLS)";
  std::string rest = url.substr(scheme.size() + 3);
  std::string authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string::npos)
    return "must not hold a user or password (user:password@host); put them in the file --smtp-credentials-file "
           "names";
  if (authority.empty()) return "names no host";
  return "";
}

SmtpCredentials ParseSmtpCredentials(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) throw std::invalid_argument("the line must be user:password (no ':' found)");
    SmtpCredentials c{line.substr(0, colon), line.substr(colon + 1)};
    if (c.user.empty()) throw std::invalid_argument("the user before ':' is empty");
    if (c.password.empty()) throw std::invalid_argument("the password after ':' is empty");
    return c;
  }
  throw std::invalid_argument("holds no user:password line");
}

SmtpCredentials LoadSmtpCredentials(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseSmtpCredentials(text.str());
}

}  // namespace cchc::notification
