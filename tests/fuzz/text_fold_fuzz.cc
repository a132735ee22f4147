// Fuzz target: Vietnamese folding and NFC. Folding never yields invalid UTF-8, is idempotent, and gives NFC
// and NFD spellings of the same text the same key; NFC is idempotent; a cut at a word keeps valid UTF-8.
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "platform/text.h"

namespace {

std::string Nfd(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) std::abort();
  icu::UnicodeString out = nfd->normalize(icu::UnicodeString::fromUTF8(s), status);
  if (U_FAILURE(status)) std::abort();
  std::string bytes;
  out.toUTF8String(bytes);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cchc::text;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string folded = Fold(input);
  if (!IsValidUtf8(folded)) std::abort();
  if (Fold(folded) != folded) std::abort();
  auto nfc = ToNfc(input);
  if (nfc.has_value() != IsValidUtf8(input)) std::abort();
  if (!nfc) return 0;
  if (ToNfc(*nfc) != *nfc) std::abort();
  if (Fold(Nfd(*nfc)) != Fold(*nfc)) std::abort();
  std::string cut = TruncateAtWord(*nfc, size % 120);
  if (!IsValidUtf8(cut)) std::abort();
  return 0;
}
