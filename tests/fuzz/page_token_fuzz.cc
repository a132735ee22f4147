// Fuzz target: page tokens. Any string is either refused or decodes to a cursor that encodes back to a token
// decoding to the same cursor; base64url round-trips any bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cchc::paging;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto cursor = DecodeToken(input)) {
    auto again = DecodeToken(EncodeToken(*cursor));
    if (!again || *again != *cursor) std::abort();
  }
  auto bytes = Base64UrlDecode(Base64UrlEncode(input));
  if (!bytes || *bytes != input) std::abort();
  Base64UrlDecode(input);
  return 0;
}
