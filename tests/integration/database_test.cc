// Migrations, role isolation and who may log in, on a real PostgreSQL cluster.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "platform/db.h"
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

// The test clusters trust nobody (tools/pg-cluster): the superuser only as the system user owning the cluster on
// its socket, every role with its password, and the cluster's folders are the owner's alone.
TEST_F(DatabaseTest, TheClusterTrustsNobodyAndKeepsItsFoldersToItsOwner) {
  std::string url = pg_->Provision("news");  // postgresql://cchc_news:pw-news-test@127.0.0.1:port/cchc
  const std::string port = std::to_string(pg_->Port()), socket = pg_->Dir() + "/run";
  auto logs_in = [](const std::string& conninfo) {
    try {
      pqxx::connection c(conninfo);
      return c.is_open();
    } catch (const pqxx::broken_connection&) {
      return false;
    }
  };
  EXPECT_TRUE(logs_in(url));
  EXPECT_TRUE(logs_in("host=" + socket + " port=" + port + " dbname=cchc user=cchc_news password=pw-news-test"));
  EXPECT_FALSE(logs_in("host=127.0.0.1 port=" + port + " dbname=cchc user=cchc_news password=wrong"));
  EXPECT_FALSE(logs_in("host=" + socket + " port=" + port + " dbname=cchc user=cchc_news password=wrong"));
  EXPECT_FALSE(logs_in("host=127.0.0.1 port=" + port + " dbname=cchc user=postgres password=postgres"));
  if (geteuid() == 0) {  // root is not the cluster's owner ('postgres'): no superuser for it, socket or not
    EXPECT_FALSE(logs_in("host=" + socket + " port=" + port + " dbname=cchc user=postgres"));
  }
  EXPECT_EQ(pg_->Sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"), "t\n");  // the owner, by peer
  for (const std::string& dir : {pg_->Dir(), pg_->Dir() + "/data", socket}) {
    struct stat st {};
    ASSERT_EQ(stat(dir.c_str(), &st), 0) << dir;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << dir;
  }
}

TEST_F(DatabaseTest, AGenericPlansPoolNeverPlansItsStatementsPerCall) {
  std::string url = pg_->Provision("notification");
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec("CREATE TABLE notification.plans_probe (k int, c bigint, PRIMARY KEY (k, c))");
    tx.exec("INSERT INTO notification.plans_probe SELECT i % 3, i FROM generate_series(1, 3000) i");
    tx.exec("ANALYZE notification.plans_probe");
    tx.commit();
  }
  const std::vector<db::Statement> statements{
      {"probe", "SELECT c FROM plans_probe WHERE k = $1 AND c > $2 ORDER BY k, c LIMIT $3"}};
  // Custom and generic plans counted by PostgreSQL for the statement, after `runs` runs on one connection.
  auto plans_after = [&](db::Plans plans, int runs) {
    db::Pool pool(url, "notification", 1, statements, nullptr, plans);
    auto lease = pool.Acquire();
    pqxx::nontransaction tx(*lease);
    for (int i = 0; i < runs; ++i) EXPECT_EQ(tx.exec_prepared("probe", 1, 2990, 5).size(), 3u);
    auto r = tx.exec("SELECT custom_plans, generic_plans FROM pg_prepared_statements WHERE name = 'probe'");
    return std::make_pair(r[0][0].as<int>(), r[0][1].as<int>());
  };
  EXPECT_EQ(plans_after(db::Plans::kGeneric, 8), std::make_pair(0, 8));
  // PostgreSQL's default plans the first five runs with the values at least.
  EXPECT_GE(plans_after(db::Plans::kChosen, 8).first, 5);
}

// Compiling a statement (JIT) took 15-20 ms, longer than any of ours runs, and PostgreSQL starts doing it
// when a plan's cost estimate grows with a table. The pool's sessions never compile, even on a server set to
// compile every plan.
TEST_F(DatabaseTest, APoolsSessionsNeverCompileTheirStatements) {
  std::string url = pg_->Provision("scoring");
  pg_->Sql("ALTER ROLE cchc_scoring SET jit_above_cost = 0");
  auto explain = [](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::string plan;
    for (const auto& row : tx.exec("EXPLAIN ANALYZE SELECT sum(g) FROM generate_series(1, 1000) g"))
      plan += row[0].as<std::string>() + "\n";
    return plan;
  };
  // The server would compile: a plain session does.
  {
    pqxx::connection plain(url);
    std::string plan = explain(plain);
    if (plan.find("JIT:") == std::string::npos) GTEST_SKIP() << "this PostgreSQL has no JIT:\n" << plan;
  }
  db::Pool pool(url, "scoring", 1, {});
  auto lease = pool.Acquire();
  std::string plan = explain(*lease);
  EXPECT_EQ(plan.find("JIT:"), std::string::npos) << plan;
}

}  // namespace
}  // namespace cchc
