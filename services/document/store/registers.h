#pragma once
// The outgoing registers (sổ văn bản đi) and their reservations. A number is handed out by one statement that
// bumps the register's counter (a row lock until it commits) and inserts the reservation, so numbers have no gap
// and no duplicate however many callers and replicas reserve at once. Reservations are never deleted: a number
// cancelled or expired stays allocated. "Now" is the caller's (an injected clock in tests), in microseconds since
// the epoch. Refusals are DomainError.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "platform/db.h"
#include "rules/code.h"
#include "rules/register.h"

namespace cchc::document {

std::vector<db::Statement> RegisterStatements();

struct RegisterPage {
  std::vector<v1::Register> registers;
  std::optional<int64_t> last;  // the cursor after the last one, when there may be more
};

class RegisterStore {
 public:
  explicit RegisterStore(db::Pool& pool) : pool_(pool) {}

  // Inserts a register numbering `kinds` (rules/register.h). kAlreadyExists naming the register that already
  // numbers one of them for that issuer and year.
  v1::Register Create(const v1::Register& reg, const std::vector<std::string>& kinds, const std::string& principal);
  std::optional<v1::Register> Get(const std::string& id);
  // Creation order, after the cursor `after` (0: from the start); issuer_key "" and year 0: any.
  RegisterPage List(const std::string& issuer_key, int year, int limit, int64_t after);

  // The register's next number as a RESERVED reservation of `principal`. `check` sees the register first and throws
  // to refuse (then nothing is allocated). kNotFound if there is no such register.
  v1::Reservation Reserve(const std::string& register_id, const std::string& principal, int64_t now_us,
                          const std::function<void(const v1::Register&)>& check);
  // RESERVED → CANCELLED; a CANCELLED one is returned as it is; USED is kFailedPrecondition. `check` sees the
  // register. kNotFound if there is no such reservation.
  v1::Reservation Cancel(const std::string& register_id, int64_t number, int64_t now_us,
                         const std::function<void(const v1::Register&)>& check);

  // In the transaction creating document `document_id` with `code`: marks the reservation USED by it. `check` sees
  // the register; the reservation must be RESERVED and reserved at or after `expired_before_us` (else
  // kFailedPrecondition), and match the document (rules/register.h MatchReservation: kInvalid naming the field).
  void Use(pqxx::transaction_base& tx, const std::string& register_id, int64_t number, const std::string& document_id,
           const DocumentCode& code, const std::string& issue_date, int64_t now_us, int64_t expired_before_us,
           const std::function<void(const v1::Register&)>& check);
  // A typed code (no reservation named): kAlreadyExists naming the reservation when its number is already
  // allocated (reserved, used or cancelled) in the register numbering its issuer, kind and `year`.
  void CheckTypedNumber(const DocumentCode& code, int year);

  // Every reservation still RESERVED and made before `cutoff_us` becomes CANCELLED (expired). One idempotent
  // statement: replicas running it at once each cancel what is left. Returns how many this call cancelled.
  int ExpireBefore(int64_t cutoff_us, int64_t now_us);
  // ExpireBefore for reservations unused `days` days at `now` (rules/register.h ExpiryCutoff).
  int ExpireUnused(std::chrono::system_clock::time_point now, int days) {
    return ExpireBefore(Micros(ExpiryCutoff(now, days)), Micros(now));
  }

 private:
  db::Pool& pool_;
};

}  // namespace cchc::document
