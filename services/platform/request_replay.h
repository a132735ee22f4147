#pragma once
// Create requests that carry a request_id (AIP-155): the first answer is stored in the same transaction as
// the resource and replayed to every repeat by the same principal. Needs the service's create_requests
// table (principal, request_id, response bytea, created_at), created by the service's migrations.
#include <google/protobuf/message.h>

#include <pqxx/pqxx>
#include <string>

namespace cchc::replay {

// Fills *first with the stored answer to (principal, request_id) and returns true, or returns false when
// there is none (or request_id is empty).
bool Find(pqxx::work& tx, const std::string& principal, const std::string& request_id,
          google::protobuf::Message* first);

// Stores `answer` for (principal, request_id) inside `tx`; nothing when request_id is empty.
void Remember(pqxx::work& tx, const std::string& principal, const std::string& request_id,
              const google::protobuf::Message& answer);

}  // namespace cchc::replay
