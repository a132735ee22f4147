#pragma once
// The frame every RPC handler runs in: a request id and a trace (W3C traceparent) for the logs, authorization, and
// one place where
// exceptions become statuses — StatusError as given, a DomainError by its kind, an unreachable database as UNAVAILABLE,
// anything else as INTERNAL (logged, never shown raw to the caller). Every INVALID_ARGUMENT, ALREADY_EXISTS, ABORTED
// and FAILED_PRECONDITION leaves with its AIP-193 details (error_details.h): the reason thrown, else its code's.
#include <grpcpp/grpcpp.h>

#include <pqxx/pqxx>

#include "auth.h"
#include "db.h"
#include "domain_error.h"
#include "error_details.h"
#include "errors.h"
#include "log.h"
#include "trace_context.h"

namespace cchc {

// The caller's x-request-id metadata (bounded, printable), or a fresh one.
std::string RequestIdOf(const grpc::ServerContextBase& context);

// This server's span of the call: the child of the caller's `traceparent` metadata when it is valid, else a new
// trace (an invalid one is dropped, not passed on).
trace::TraceParent TraceOf(const grpc::ServerContextBase& context);

// The gRPC status code of a domain error kind (domain_error.h).
grpc::StatusCode GrpcCodeOf(DomainErrorKind kind);

// Runs fn() (which returns a grpc::Status) and turns what it throws into a status, as described above; a status
// fn() returns gets its code's default details (error_details::EnsureDetails).
template <typename Fn>
grpc::Status StatusOf(Fn&& fn) {
  try {
    return error_details::EnsureDetails(fn());
  } catch (const StatusError& e) {
    return e.ToStatus();
  } catch (const DomainError& e) {
    return error_details::ErrorStatus(GrpcCodeOf(e.Kind()), e.what(), e.Reason());
  } catch (const db::Unavailable& e) {
    log::Warn("database unavailable", {{"error", e.what()}});
    return {grpc::StatusCode::UNAVAILABLE, "the database is unavailable; retry later"};
  } catch (const pqxx::broken_connection& e) {
    log::Warn("database connection lost", {{"error", e.what()}});
    return {grpc::StatusCode::UNAVAILABLE, "the database is unavailable; retry later"};
  } catch (const pqxx::statement_completion_unknown& e) {
    log::Error("statement outcome unknown", {{"error", e.what()}});
    return {grpc::StatusCode::UNAVAILABLE, "the database lost the statement's outcome; check before retrying"};
  } catch (const pqxx::transaction_rollback& e) {
    // libpqxx 6 throws serialization failures (40001) and deadlocks (40P01) as these, not as sql_error.
    log::Warn("database conflict", {{"error", e.what()}});
    return error_details::ErrorStatus(grpc::StatusCode::ABORTED, "a concurrent change held this one up; retry");
  } catch (const pqxx::sql_error& e) {
    // The role's time-outs and lock waits are no bugs: the caller may retry.
    const std::string& state = e.sqlstate();
    if (state == "57014") {
      log::Warn("database statement timed out", {{"error", e.what()}});
      return {grpc::StatusCode::UNAVAILABLE, "the database did not answer in time; retry later"};
    }
    if (state == "55P03" || state == "40001" || state == "40P01") {  // the last two as plain sql_error too
      log::Warn("database conflict", {{"sqlstate", state}, {"error", e.what()}});
      return error_details::ErrorStatus(grpc::StatusCode::ABORTED, "a concurrent change held this one up; retry");
    }
    log::Error("internal error", {{"error", e.what()}, {"sqlstate", state}});
    return {grpc::StatusCode::INTERNAL, "internal error (request " + log::CurrentRequestId() + ")"};
  } catch (const pqxx::in_doubt_error& e) {
    log::Error("commit in doubt", {{"error", e.what()}});
    return {grpc::StatusCode::UNAVAILABLE, "the database connection was lost while committing; check before retrying"};
  } catch (const std::exception& e) {
    log::Error("internal error", {{"error", e.what()}});
    return {grpc::StatusCode::INTERNAL, "internal error (request " + log::CurrentRequestId() + ")"};
  }
}

template <typename Fn>
grpc::Status RunHandler(grpc::ServerContext* context, const auth::TokenStore& tokens, auth::Role role, Fn&& fn) {
  log::RequestScope scope(RequestIdOf(*context));
  trace::Scope trace_scope(TraceOf(*context));  // the handler's trace::Current(): its logs, outbox rows and calls
  auth::Principal principal;
  grpc::Status denied = auth::Authorize(*context, tokens, role, &principal);
  if (!denied.ok()) return denied;
  return StatusOf([&] { return fn(principal); });
}

}  // namespace cchc
