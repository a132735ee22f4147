// Migrations and role isolation on a real PostgreSQL cluster.
#include <gtest/gtest.h>

#include <thread>

#include "platform/migrations.h"
#include "support/stack.h"

namespace cchc {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pg_ = new testing::PostgresCluster(); }
  static void TearDownTestSuite() { delete pg_; }
  static testing::PostgresCluster* pg_;
};
testing::PostgresCluster* DatabaseTest::pg_ = nullptr;

TEST_F(DatabaseTest, ReplicasStartingTogetherApplyEachMigrationOnce) {
  std::string url = pg_->Provision("scoring");
  auto migrations = db::PlatformMigrations();
  migrations.push_back({"scoring_001_units", "CREATE TABLE units (code text PRIMARY KEY);"});
  std::atomic<int> applied{0};
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      pqxx::connection c(url);
      applied += db::ApplyMigrations(c, "scoring", migrations);
    });
  }
  for (auto& t : replicas) t.join();
  EXPECT_EQ(applied.load(), static_cast<int>(migrations.size()));
  EXPECT_EQ(pg_->Sql("SELECT count(*) FROM scoring.schema_migrations"), std::to_string(migrations.size()) + "\n");
  pqxx::connection c(url);
  EXPECT_EQ(db::ApplyMigrations(c, "scoring", migrations), 0);  // a restart applies nothing
}

TEST_F(DatabaseTest, MigrationsNeedAProvisionedSchema) {
  std::string url = pg_->Provision("document");
  pqxx::connection c(url);
  try {
    db::ApplyMigrations(c, "missing", db::PlatformMigrations());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("schema 'missing' does not exist"), std::string::npos);
  }
}

TEST_F(DatabaseTest, EachRoleSeesOnlyItsOwnSchema) {
  std::string document_url = pg_->Provision("document");
  std::string news_url = pg_->Provision("news");
  {
    pqxx::connection news(news_url);
    pqxx::work tx(news);
    tx.exec("CREATE TABLE IF NOT EXISTS news.articles (id int PRIMARY KEY, title text)");
    tx.exec("INSERT INTO news.articles VALUES (1, 'Hội nghị Cải cách hành chính năm 2016') ON CONFLICT DO NOTHING");
    tx.commit();
  }
  pqxx::connection document(document_url);
  auto attempt = [&](const std::string& sql) {
    try {
      pqxx::work tx(document);
      tx.exec(sql);
      tx.commit();
      return std::string("allowed");
    } catch (const pqxx::insufficient_privilege&) {
      return std::string("denied");
    }
  };
  EXPECT_EQ(attempt("SELECT * FROM news.articles"), "denied");
  EXPECT_EQ(attempt("INSERT INTO news.articles VALUES (2, 'x')"), "denied");
  EXPECT_EQ(attempt("CREATE TABLE news.intruder (id int)"), "denied");
  EXPECT_EQ(attempt("CREATE TABLE public.intruder (id int)"), "denied");
  EXPECT_EQ(attempt("CREATE TABLE document.own_table (id int)"), "allowed");
  EXPECT_EQ(pg_->Sql("SELECT count(*) FROM news.articles"), "1\n");
}

}  // namespace
}  // namespace cchc
