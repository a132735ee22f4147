#include "pages/unit_kinds.h"

#include <array>

namespace cchc::portal::pages {
namespace {

namespace sv1 = cchc::scoring::v1;

struct KindInfo {
  sv1::UnitKind kind;
  const char* slug;
  const char* name;
};
constexpr std::array<KindInfo, 4> kKinds = {{
    {sv1::PROVINCE, "tinh", "tỉnh, thành phố"},
    {sv1::DEPARTMENT, "so-nganh", "sở, ban, ngành"},
    {sv1::DISTRICT, "huyen", "huyện, thị xã, thành phố"},
    {sv1::SUBORDINATE_UNIT, "don-vi", "đơn vị trực thuộc Sở"},
}};

}  // namespace

std::optional<sv1::UnitKind> UnitKindOfSlug(std::string_view slug) {
  for (const auto& k : kKinds)
    if (slug == k.slug) return k.kind;
  return std::nullopt;
}

std::string SlugOfUnitKind(sv1::UnitKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.slug;
  return "";
}

std::string UnitKindName(sv1::UnitKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.name;
  return "";
}

}  // namespace cchc::portal::pages
