// The outgoing register (sổ văn bản đi, NĐ 30/2020 Điều 15) on DocumentService: registers, reserved numbers, and
// CreateDocument's use of them. Thin: the rules are rules/register.*, the SQL store/registers.*.
#include "platform/handler.h"
#include "platform/page_cursor.h"
#include "platform/validate.h"
#include "rules/register.h"
#include "service.h"
#include "service_checks.h"

namespace cchc::document {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr paging::CursorShape<int64_t> kRegisterCursor{{"s"}, "registers (filters changed?)"};

std::string RequireRegisterId(const std::string& name, const std::string& field) {
  auto id = ParseRegisterName(name);
  if (!id)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be registers/{uuid}", platform::v1::INVALID_NAME);
  return *id;
}

std::pair<std::string, int64_t> RequireReservationName(const std::string& name, const std::string& field) {
  auto parsed = ParseReservationName(name);
  if (!parsed)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be registers/{uuid}/reservations/{number}",
                      platform::v1::INVALID_NAME);
  return *parsed;
}

// Editors number only their own issuer's documents.
std::function<void(const v1::Register&)> MayNumber(const auth::Principal& p) {
  return [&p](const v1::Register& r) {
    if (!MayNumberFor(p, r.issuer_code()))
      throw StatusError(StatusCode::PERMISSION_DENIED, "principal " + p.unit + " may not number documents of " +
                                                           r.issuer_code() + " (" + r.name() + ")");
  };
}

}  // namespace

v1::Document DocumentService::CreateInRegister(const auth::Principal& p, const v1::Document& doc,
                                               const DocumentCode& code, const std::string& request_id,
                                               const std::string& reservation) {
  const int year = std::stoi(doc.issue_date().substr(0, 4));
  if (reservation.empty()) {
    registers_.CheckTypedNumber(code, year);
    return documents_.Create(doc, code, ActorOf(p), request_id);
  }
  // Plain variables, not a structured binding: clang (the sanitizer build) does not capture bindings in lambdas.
  const auto named = RequireReservationName(reservation, "reservation");
  const auto& register_id = named.first;
  const auto& number = named.second;
  const auto now = clock_();
  const int64_t expired_before = Micros(ExpiryCutoff(now, limits_.reservation_expiry_days));
  return documents_.Create(doc, code, ActorOf(p), request_id, [&](pqxx::transaction_base& tx, const std::string& id) {
    registers_.Use(tx, register_id, number, id, code, doc.issue_date(), Micros(now), expired_before, MayNumber(p));
  });
}

Status DocumentService::CreateRegister(grpc::ServerContext* ctx, const v1::CreateRegisterRequest* req,
                                       v1::Register* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    v1::Register reg = req->register_();
    std::vector<std::string> kinds;
    Require(ValidateRegister(&reg, &kinds));
    *out = registers_.Create(reg, kinds, p.unit);
    return Status::OK;
  });
}

Status DocumentService::GetRegister(grpc::ServerContext* ctx, const v1::GetRegisterRequest* req, v1::Register* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal&) {
    std::string id = RequireRegisterId(req->name(), "name");
    auto reg = registers_.Get(id);
    if (!reg) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    *out = std::move(*reg);
    return Status::OK;
  });
}

Status DocumentService::ListRegisters(grpc::ServerContext* ctx, const v1::ListRegistersRequest* req,
                                      v1::ListRegistersResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal&) {
    std::string issuer = req->issuer_code();
    Require(validate::Text(&issuer, "issuer_code", {20}));
    if (req->year() != 0 && (req->year() < kMinRegisterYear || req->year() > kMaxRegisterYear))
      return Status(StatusCode::INVALID_ARGUMENT, "year: must be 0 or between " + std::to_string(kMinRegisterYear) +
                                                      " and " + std::to_string(kMaxRegisterYear));
    int limit = 0;
    Require(validate::PageSize(req->page_size(), &limit));
    const std::string issuer_key = issuer.empty() ? "" : IssuerKey(issuer);
    const std::string fingerprint = paging::Fingerprint(issuer_key + "\x1f" + std::to_string(req->year()));
    int64_t after = 0;
    if (!req->page_token().empty()) std::tie(after) = kRegisterCursor.Decode(req->page_token(), fingerprint);
    RegisterPage page = registers_.List(issuer_key, req->year(), limit, after);
    for (auto& r : page.registers) *out->add_registers() = std::move(r);
    if (page.last) out->set_next_page_token(kRegisterCursor.Encode(fingerprint, *page.last));
    return Status::OK;
  });
}

Status DocumentService::ReserveNumber(grpc::ServerContext* ctx, const v1::ReserveNumberRequest* req,
                                      v1::Reservation* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireRegisterId(req->register_(), "register");
    const auto now = clock_();
    auto may_number = MayNumber(p);
    *out = registers_.Reserve(id, p.unit, Micros(now), [&](const v1::Register& r) {
      may_number(r);
      if (auto closed = ClosedYear(r.year(), now))
        throw StatusError(StatusCode::FAILED_PRECONDITION, "register: " + *closed, platform::v1::WRONG_STATE);
    });
    return Status::OK;
  });
}

Status DocumentService::CancelReservation(grpc::ServerContext* ctx, const v1::CancelReservationRequest* req,
                                          v1::Reservation* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    auto [id, number] = RequireReservationName(req->name(), "name");
    *out = registers_.Cancel(id, number, Micros(clock_()), MayNumber(p));
    return Status::OK;
  });
}

}  // namespace cchc::document
