#include <set>

#include "platform/handler.h"
#include "platform/validate.h"
#include "requests.h"
#include "rules/framework.h"
#include "rules/lineage.h"
#include "service.h"

// RecordUnitChange of ScoringService (service.h): a merge, split or rename of units (rules/lineage.h).
namespace cchc::scoring {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr int kMaxUnitsInChange = 100;

void ValidateChange(v1::UnitChange* c) {
  if (c->kind() == v1::UNIT_CHANGE_KIND_UNSPECIFIED || !v1::UnitChangeKind_IsValid(c->kind()))
    throw StatusError(StatusCode::INVALID_ARGUMENT, "change.kind: MERGE, SPLIT or RENAME is required",
                      platform::v1::INVALID_FIELD, "change.kind");
  Require(validate::IsoDate(c->effective_date(), "change.effective_date", true));
  Require(validate::Text(c->mutable_source(), "change.source", {500, true}));
  if (c->predecessors_size() > kMaxUnitsInChange || c->successors_size() > kMaxUnitsInChange)
    throw StatusError(StatusCode::INVALID_ARGUMENT,
                      "change: at most " + std::to_string(kMaxUnitsInChange) + " predecessors and successors",
                      platform::v1::INVALID_FIELD, "change");
  std::set<std::string> codes;
  for (int i = 0; i < c->predecessors_size(); ++i) {
    std::string path = "change.predecessors[" + std::to_string(i) + "]";
    RequireUnitCode(c->predecessors(i), path);
    if (!codes.insert(c->predecessors(i)).second)
      throw StatusError(StatusCode::INVALID_ARGUMENT, path + ": " + c->predecessors(i) + " appears twice",
                        platform::v1::INVALID_FIELD, path);
  }
  for (int i = 0; i < c->successors_size(); ++i) {
    std::string path = "change.successors[" + std::to_string(i) + "]";
    v1::Unit* u = c->mutable_successors(i);
    RequireUnitCode(u->code(), path + ".code");
    if (!codes.insert(u->code()).second)
      throw StatusError(StatusCode::INVALID_ARGUMENT, path + ".code: " + u->code() + " appears twice",
                        platform::v1::INVALID_FIELD, path + ".code");
    Require(validate::Text(u->mutable_display_name(), path + ".display_name", {300, true}));
    if (!u->parent().empty() && !IsCode(u->parent()))
      throw StatusError(StatusCode::INVALID_ARGUMENT, path + ".parent: a unit code", platform::v1::INVALID_FIELD,
                        path + ".parent");
    RequireKind(u->kind(), path + ".kind", false);
    if (!u->valid_from().empty() && u->valid_from() != c->effective_date())
      throw StatusError(StatusCode::INVALID_ARGUMENT,
                        path + ".valid_from: a successor is valid from the change's effective date",
                        platform::v1::INVALID_FIELD, path + ".valid_from");
    u->set_valid_from(c->effective_date());
    u->clear_valid_to();
    u->clear_predecessors();
    u->clear_successors();
    u->clear_name();
  }
  if (auto problem =
          CheckChangeShape(static_cast<ChangeKind>(c->kind()), c->predecessors_size(), c->successors_size())) {
    std::string field = problem->substr(0, problem->find(':'));
    throw StatusError(StatusCode::INVALID_ARGUMENT, *problem, platform::v1::INVALID_FIELD, field);
  }
}

}  // namespace

Status ScoringService::RecordUnitChange(grpc::ServerContext* ctx, const v1::RecordUnitChangeRequest* req,
                                        v1::UnitChange* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    v1::UnitChange change = req->change();
    ValidateChange(&change);
    *out = stores_.units.RecordChange(change, p.unit);
    return Status::OK;
  });
}

}  // namespace cchc::scoring
