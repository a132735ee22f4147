#include "db_settings.h"

#include <gtest/gtest.h>

namespace cchc::db {
namespace {

TEST(ConnectionDefaults, AreAddedToAUrlThatDoesNotSetThem) {
  EXPECT_EQ(WithConnectionDefaults("postgresql://cchc_document:pw@127.0.0.1:5432/cchc"),
            "postgresql://cchc_document:pw@127.0.0.1:5432/cchc?connect_timeout=5&keepalives=1&keepalives_idle=10"
            "&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=20000");
}

TEST(ConnectionDefaults, KeepWhatTheUrlSets) {
  std::string url = WithConnectionDefaults("postgres://u@h/cchc?sslmode=require&connect_timeout=2&keepalives=0");
  EXPECT_EQ(url.find("connect_timeout=5"), std::string::npos) << url;
  EXPECT_EQ(url.find("keepalives=1"), std::string::npos) << url;
  EXPECT_NE(url.find("?sslmode=require&connect_timeout=2&keepalives=0&keepalives_idle=10"), std::string::npos) << url;
  EXPECT_NE(url.find("&tcp_user_timeout=20000"), std::string::npos) << url;
}

TEST(ConnectionDefaults, AreAddedToAKeyValueString) {
  EXPECT_EQ(WithConnectionDefaults("host=/tmp/run port=5432 dbname=cchc tcp_user_timeout=1000"),
            "host=/tmp/run port=5432 dbname=cchc tcp_user_timeout=1000 connect_timeout=5 keepalives=1 "
            "keepalives_idle=10 keepalives_interval=5 keepalives_count=3");
}

}  // namespace
}  // namespace cchc::db
