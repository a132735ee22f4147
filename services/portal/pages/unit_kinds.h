#pragma once
// The PAR INDEX (chỉ số CCHC) unit kinds as the portal's URLs spell them: tinh (tỉnh, thành phố: PROVINCE),
// so-nganh (sở, ban, ngành: DEPARTMENT), huyen (huyện, thị xã, thành phố: DISTRICT), don-vi (đơn vị trực
// thuộc Sở: SUBORDINATE_UNIT).
#include <optional>
#include <string>
#include <string_view>

#include "cchc/scoring/v1/scoring.pb.h"

namespace cchc::portal::pages {

std::optional<cchc::scoring::v1::UnitKind> UnitKindOfSlug(std::string_view slug);
// The URL segment of `kind`; empty for UNIT_KIND_UNSPECIFIED.
std::string SlugOfUnitKind(cchc::scoring::v1::UnitKind kind);
// "tỉnh, thành phố", "sở, ban, ngành", …: the units ranked together, in Vietnamese.
std::string UnitKindName(cchc::scoring::v1::UnitKind kind);

}  // namespace cchc::portal::pages
