#include "page_token_keys.h"

#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "crypto.h"

namespace cchc::paging {
namespace {

std::mutex& KeysMutex() {
  static std::mutex mu;
  return mu;
}

TokenKeys& Installed() {
  static TokenKeys keys = RandomTokenKeys();
  return keys;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

TokenKeys ParseTokenKeys(std::string_view text, const std::string& origin) {
  TokenKeys keys;
  int count = 0, line_number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    std::string where = origin + ":" + std::to_string(line_number) + ": ";
    if (line.size() < kMinTokenKeyLength)
      throw std::runtime_error(where + "a page-token key must be at least " + std::to_string(kMinTokenKeyLength) +
                               " characters");
    for (unsigned char c : line)
      if (c <= ' ' || c == 0x7F)
        throw std::runtime_error(where + "a page-token key has no spaces or control characters");
    if (++count > 2) throw std::runtime_error(where + "at most two keys: the current one, then the previous one");
    (count == 1 ? keys.current : keys.previous) = std::string(line);
  }
  if (count == 0) throw std::runtime_error(origin + ": no page-token key");
  return keys;
}

TokenKeys LoadTokenKeys(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the page-token keys file");
  std::stringstream text;
  text << in.rdbuf();
  return ParseTokenKeys(text.str(), path);
}

TokenKeys RandomTokenKeys() {
  TokenKeys keys;
  keys.current = crypto::HexEncode(crypto::RandomBytes(32));
  return keys;
}

void InstallTokenKeys(TokenKeys keys) {
  std::lock_guard lock(KeysMutex());
  Installed() = std::move(keys);
}

TokenKeys InstalledTokenKeys() {
  std::lock_guard lock(KeysMutex());
  return Installed();
}

}  // namespace cchc::paging
