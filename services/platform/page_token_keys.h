#pragma once
// The secret page tokens are signed with (HMAC-SHA256), shared by every replica of a service so that a token one
// replica wrote is good at the others and after a restart. A keys file holds one key per line ('#' comments and
// blank lines ignored): the first signs and verifies; a second, the key before a rotation, still verifies. A
// key is at least 32 characters of printable text (e.g. `openssl rand -hex 32`).
// Rotation: put the new key first and the old second on every replica, restart them, and drop the old line once
// tokens signed with it have aged out (they carry no expiry; a page token lives as long as a client keeps it).
#include <string>
#include <string_view>

namespace cchc::paging {

struct TokenKeys {
  std::string current;   // signs and verifies
  std::string previous;  // verifies only; empty when there is none
};

inline constexpr size_t kMinTokenKeyLength = 32;

// Parses a keys file's text. Throws std::runtime_error naming `origin` and the line: no key, more than two, a
// key shorter than kMinTokenKeyLength or with spaces or control characters.
TokenKeys ParseTokenKeys(std::string_view text, const std::string& origin);
// Reads and parses the file at `path`; an unreadable file throws std::runtime_error naming it.
TokenKeys LoadTokenKeys(const std::string& path);
// A key from the system's random source, for a process given no keys file: tokens then fail after a restart
// and at other replicas (INVALID_ARGUMENT, page_token), so only for development and single-process tests.
TokenKeys RandomTokenKeys();

// Makes `keys` the ones EncodeToken and DecodeToken use in this process (ServiceRuntime does at start-up).
// Until a first call, a random key (RandomTokenKeys) is used. Thread-safe.
void InstallTokenKeys(TokenKeys keys);
// The keys in use now.
TokenKeys InstalledTokenKeys();

}  // namespace cchc::paging
