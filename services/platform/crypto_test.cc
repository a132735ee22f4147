// The hashing helpers against published test vectors (FIPS 180-2, RFC 4231).
#include "crypto.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace cchc::crypto {
namespace {

TEST(Crypto, Sha256OfKnownInputsWholeAndStreamed) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 streamed;
  streamed.Update("a");
  streamed.Update("bc");
  EXPECT_EQ(streamed.HexDigest(), Sha256Hex("abc"));
}

TEST(Crypto, HmacSha256OfRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, HexAndRandomBytes) {
  EXPECT_EQ(HexEncode(std::string("\x00\x0f\xf0\xff", 4)), "000ff0ff");
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
}

TEST(Crypto, RandomIdBytesAcrossRefillsAreNotRepeated) {
  // 1,000 ids of 16 bytes draw ~4 buffers of 4 KiB: every id differs, and none is all zero.
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    unsigned char b[16];
    RandomIdBytes(b, sizeof b);
    std::string id(reinterpret_cast<const char*>(b), sizeof b);
    EXPECT_NE(id, std::string(16, '\0'));
    EXPECT_TRUE(seen.insert(id).second) << HexEncode(id);
  }
  // A draw larger than the buffer is filled whole.
  std::string big(10000, '\0');
  RandomIdBytes(reinterpret_cast<unsigned char*>(big.data()), big.size());
  EXPECT_GT(std::count(big.begin(), big.end(), '\0'), 0);  // ~39 of 10,000 expected
  EXPECT_LT(std::count(big.begin(), big.end(), '\0'), 200);
  EXPECT_NE(big.substr(0, 4096), big.substr(4096, 4096));
}

TEST(Crypto, Base64OfRfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(Base64Encode(bytes), text);
    EXPECT_EQ(Base64Decode(text), bytes);
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(Base64Decode(Base64Encode(all)), all);
  for (std::string bad : {"Zg=", "Zg", "Z===", "Zh==", "Zm9v\n", "Zm-v", "Zm9=v", "=Zm9"})
    EXPECT_FALSE(Base64Decode(bad)) << bad;
}

}  // namespace
}  // namespace cchc::crypto
