#include "request_replay.h"

namespace cchc::replay {

bool Find(pqxx::work& tx, const std::string& principal, const std::string& request_id,
          google::protobuf::Message* first) {
  if (request_id.empty()) return false;
  auto seen = tx.exec_params("SELECT response FROM create_requests WHERE principal = $1 AND request_id = $2", principal,
                             request_id);
  if (seen.empty()) return false;
  pqxx::binarystring bytes(seen[0][0]);
  return first->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

void Remember(pqxx::work& tx, const std::string& principal, const std::string& request_id,
              const google::protobuf::Message& answer) {
  if (request_id.empty()) return;
  std::string bytes = answer.SerializeAsString();
  tx.exec_params("INSERT INTO create_requests (principal, request_id, response) VALUES ($1, $2, $3)", principal,
                 request_id, pqxx::binarystring(bytes.data(), bytes.size()));
}

}  // namespace cchc::replay
