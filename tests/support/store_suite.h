#pragma once
// The base every store suite (tests/integration/*_store_test.cc) starts from: one private PostgreSQL cluster per
// suite with the service's schema provisioned and migrated (the platform's migrations, then the service's), a pool
// preparing the statements the stores run, and the check of a store's refusal.
//   class DocumentStoresTest : public testing::StoreSuite<DocumentStoresTest> {
//     static void SetUpTestSuite() { StartDatabase("document", Migrations(), {DocumentStatements(), …}); }
//   };
#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "platform/db.h"
#include "platform/domain_error.h"
#include "platform/migrations.h"
#include "support/stack.h"

namespace cchc::testing {

template <typename Suite>
class StoreSuite : public ::testing::Test {
 protected:
  static void StartDatabase(const std::string& schema, std::vector<db::Migration> migrations,
                            std::initializer_list<std::vector<db::Statement>> statement_lists) {
    pg_ = new PostgresCluster();
    url_ = pg_->Provision(schema);
    pqxx::connection c(url_);
    db::ApplyMigrations(c, schema, db::WithPlatformMigrations(std::move(migrations)));
    std::vector<db::Statement> statements;
    for (const auto& list : statement_lists) statements.insert(statements.end(), list.begin(), list.end());
    pool_ = new db::Pool(url_, schema, 4, std::move(statements));
  }
  static void TearDownTestSuite() {
    delete pool_;
    delete pg_;
  }

  static inline PostgresCluster* pg_ = nullptr;
  static inline std::string url_;
  static inline db::Pool* pool_ = nullptr;
};

// Runs `fn`, which must refuse with a DomainError of `kind` and exactly `message`.
template <typename Fn>
void ExpectDomainError(Fn&& fn, DomainErrorKind kind, const std::string& message) {
  try {
    fn();
    ADD_FAILURE() << "expected a DomainError: " << message;
  } catch (const DomainError& e) {
    EXPECT_EQ(e.Kind(), kind);
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace cchc::testing
