#include "page_token_keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace cchc::paging {
namespace {

const std::string kKey1 = "3f1c0e9a7b2d4c6e8f0a1b3c5d7e9f1a";  // 32 characters
const std::string kKey2 = "b7e2d4f6a8c0e2f4a6b8c0d2e4f6a8b0c2";

TEST(TokenKeys, ReadsTheCurrentKeyThenThePrevious) {
  auto keys = ParseTokenKeys("# page tokens\n" + kKey1 + "\n\n  " + kKey2 + "  \r\n", "keys");
  EXPECT_EQ(keys.current, kKey1);
  EXPECT_EQ(keys.previous, kKey2);
  EXPECT_EQ(ParseTokenKeys(kKey1, "keys").previous, "");
}

TEST(TokenKeys, RefusesWhatIsNoKeyNamingTheLine) {
  auto message = [](const std::string& text) {
    try {
      ParseTokenKeys(text, "/etc/cchc/page-token-keys");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("# nothing\n\n"), "/etc/cchc/page-token-keys: no page-token key");
  EXPECT_EQ(message("short\n"), "/etc/cchc/page-token-keys:1: a page-token key must be at least 32 characters");
  EXPECT_NE(message(kKey1 + "\nwith a space in the middle of it, long enough\n").find(":2: "), std::string::npos);
  EXPECT_NE(message(kKey1 + "\n" + kKey2 + "\n" + kKey1 + "\n").find(":3: at most two keys"), std::string::npos);
}

TEST(TokenKeys, LoadsAFileAndNamesAMissingOne) {
  std::string path = ::testing::TempDir() + "/cchc-" + std::to_string(::getpid()) + "-page-token-keys";
  std::ofstream(path) << kKey2 << "\n";
  EXPECT_EQ(LoadTokenKeys(path).current, kKey2);
  EXPECT_THROW(LoadTokenKeys(path + ".missing"), std::runtime_error);
}

TEST(TokenKeys, RandomKeysDifferAndAreLongEnough) {
  auto a = RandomTokenKeys(), b = RandomTokenKeys();
  EXPECT_NE(a.current, b.current);
  EXPECT_GE(a.current.size(), kMinTokenKeyLength);
  EXPECT_TRUE(a.previous.empty());
}

}  // namespace
}  // namespace cchc::paging
