#pragma once
// Typed page cursors over the signed page tokens (page_token.h): a listing declares once the names and types of
// the fields it resumes after, and encodes and decodes them through that shape; the token is bound to the
// request's filters by their fingerprint (empty: not bound). A token that is not one of this listing's — forged,
// from another listing, another filter, or missing a field — is refused with one message:
//   constexpr paging::CursorShape<std::string, int64_t> kDocumentCursor{{"d", "s"}};
//   auto [date, id] = kDocumentCursor.Decode(req->page_token(), fingerprint);  // DomainError kInvalid
//   out->set_next_page_token(kDocumentCursor.Encode(fingerprint, date, id));
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "domain_error.h"
#include "page_token.h"

namespace cchc::paging {

template <typename... Fields>
class CursorShape {
  static_assert(((std::is_same_v<Fields, int64_t> || std::is_same_v<Fields, std::string>)&&...),
                "cursor fields are int64_t or std::string");

 public:
  // `what` ends the refusal's message: "page_token: not a token of this " + what.
  constexpr explicit CursorShape(std::array<std::string_view, sizeof...(Fields)> names,
                                 std::string_view what = "listing")
      : names_(names), what_(what) {}

  std::string Encode(std::string_view fingerprint, const Fields&... values) const {
    nlohmann::json cursor = nlohmann::json::object();
    size_t i = 0;
    ((cursor[std::string(names_[i++])] = values), ...);
    if (!fingerprint.empty()) cursor["f"] = std::string(fingerprint);
    return EncodeToken(cursor);
  }

  // The fields of `token`, or DomainError kInvalid "page_token: not a token of this listing …".
  std::tuple<Fields...> Decode(std::string_view token, std::string_view fingerprint) const {
    auto cursor = DecodeToken(token);
    if (!cursor || !cursor->is_object() ||
        (!fingerprint.empty() && (!cursor->contains("f") || (*cursor)["f"] != std::string(fingerprint))))
      Refuse();
    return DecodeFields(*cursor, std::index_sequence_for<Fields...>{});
  }

 private:
  template <size_t... I>
  std::tuple<Fields...> DecodeFields(const nlohmann::json& cursor, std::index_sequence<I...>) const {
    return std::tuple<Fields...>{Field<Fields>(cursor, names_[I])...};
  }
  template <typename T>
  T Field(const nlohmann::json& cursor, std::string_view name) const {
    auto it = cursor.find(std::string(name));
    if constexpr (std::is_same_v<T, int64_t>) {
      if (it == cursor.end() || !it->is_number_integer()) Refuse();
    } else {
      if (it == cursor.end() || !it->is_string()) Refuse();
    }
    return it->template get<T>();
  }
  [[noreturn]] void Refuse() const {
    throw DomainError(DomainErrorKind::kInvalid, "page_token: not a token of this " + std::string(what_),
                      platform::v1::INVALID_PAGE_TOKEN);
  }

  std::array<std::string_view, sizeof...(Fields)> names_;
  std::string_view what_;
};

// The cursor of a ranked search that shows at most `max_results` in all: the offset of the next page.
inline constexpr CursorShape<int64_t> kSearchCursor{{"o"}, "search (query changed?)"};
// 0 without a token; DomainError kInvalid for a token not of this search or out of range.
inline int DecodeSearchOffset(std::string_view token, std::string_view fingerprint, int max_results) {
  if (token.empty()) return 0;
  auto [offset] = kSearchCursor.Decode(token, fingerprint);
  if (offset < 0 || offset >= max_results)
    throw DomainError(DomainErrorKind::kInvalid, "page_token: out of range", platform::v1::INVALID_PAGE_TOKEN);
  return static_cast<int>(offset);
}

}  // namespace cchc::paging
