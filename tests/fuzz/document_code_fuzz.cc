// Fuzz target: the số/ký hiệu parser. Besides not crashing, what it accepts must be stable: the text it keeps
// parses again to the same code, and the lookup key of that text is the key it computed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "code.h"
#include "platform/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = cchc::document::ParseCode(input);
  if (parsed.code.has_value() == !parsed.error.empty()) std::abort();  // exactly one of code or error
  cchc::document::LookupKey(input);
  if (!parsed.code) return 0;
  const auto& code = *parsed.code;
  if (!cchc::text::IsValidUtf8(code.text)) std::abort();
  auto again = cchc::document::ParseCode(code.text);
  if (!again.code || again.code->text != code.text || again.code->lookup_key != code.lookup_key ||
      again.code->form != code.form || again.code->number_value != code.number_value)
    std::abort();
  if (cchc::document::LookupKey(code.text) != code.lookup_key) std::abort();
  return 0;
}
