// The PAR INDEX pages' fetch parts: the scoring service's GetRanking, GetUnit, ListPeriods and GetResult calls
// (each through Clients::Prepare), then the pure views.
#include <algorithm>

#include "pages/pages.h"
#include "pages/ranking_views.h"
#include "pages/status_page.h"
#include "pages/unit_kinds.h"

namespace cchc::portal {
namespace {

namespace sv1 = cchc::scoring::v1;
using pages::ErrorFromStatus;
using pages::ErrorPage;

constexpr const char* kScoringService = "chỉ số cải cách hành chính";
constexpr size_t kMaxUnitCode = 64;
constexpr size_t kMaxYears = 50;  // periods read for one unit page

std::string PathValue(const PageRequest& request, const std::string& name) {
  auto it = request.path.find(name);
  return it == request.path.end() ? "" : it->second;
}

// A unit code as the scoring service writes them: letters, digits, _ and -.
bool IsUnitCode(const std::string& s) {
  return !s.empty() && s.size() <= kMaxUnitCode && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

PageContent RankingPage(const Clients& clients, const PageRequest& request) {
  auto kind = pages::UnitKindOfSlug(PathValue(request, "kind"));
  if (!kind) return ErrorPage(404, "Không có bảng xếp hạng này: nhóm đơn vị là tinh, so-nganh, huyen hoặc don-vi.");
  const std::string year = PathValue(request, "year");
  if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos || year < "1900" || year > "2199")
    return ErrorPage(400, "Năm không hợp lệ: cần một năm như 2015.");
  grpc::ClientContext context;
  clients.Prepare(context, request.traceparent);
  sv1::GetRankingRequest req;
  req.set_year(std::stoi(year));
  req.set_unit_kind(*kind);
  sv1::Ranking ranking;
  auto status = clients.scoring->GetRanking(&context, req, &ranking);
  if (!status.ok())
    return ErrorFromStatus(
        status, kScoringService,
        "Chưa có kết quả chỉ số cải cách hành chính năm " + year + " của các " + pages::UnitKindName(*kind) + ".");
  return pages::RankingView(ranking);
}

PageContent UnitPage(const Clients& clients, const PageRequest& request) {
  const std::string code = PathValue(request, "code");
  const std::string not_found = "Không tìm thấy đơn vị này trong chỉ số cải cách hành chính.";
  if (!IsUnitCode(code)) return ErrorPage(404, not_found);
  sv1::Unit unit;
  {
    grpc::ClientContext context;
    clients.Prepare(context, request.traceparent);
    sv1::GetUnitRequest req;
    req.set_name("units/" + code);
    auto status = clients.scoring->GetUnit(&context, req, &unit);
    if (!status.ok()) return ErrorFromStatus(status, kScoringService, not_found);
  }
  sv1::ListPeriodsResponse periods;
  {
    grpc::ClientContext context;
    clients.Prepare(context, request.traceparent);
    sv1::ListPeriodsRequest req;
    req.set_unit_kind(unit.kind());
    auto status = clients.scoring->ListPeriods(&context, req, &periods);
    if (!status.ok()) return ErrorFromStatus(status, kScoringService, not_found);
  }
  std::vector<sv1::UnitResultDetail> results;
  for (const auto& period : periods.periods()) {
    if (period.state() != sv1::PUBLISHED && period.state() != sv1::CLOSED) continue;
    if (results.size() >= kMaxYears) break;
    grpc::ClientContext context;
    clients.Prepare(context, request.traceparent);
    sv1::GetResultRequest req;
    req.set_period(period.name());
    req.set_unit_code(code);
    sv1::UnitResultDetail result;
    auto status = clients.scoring->GetResult(&context, req, &result);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) continue;  // not ranked that year
    if (!status.ok()) return ErrorFromStatus(status, kScoringService, not_found);
    results.push_back(std::move(result));
  }
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.year() < b.year(); });
  return pages::UnitView(unit, results);
}

}  // namespace cchc::portal
