#include "delivery/smtp_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cchc::notification {
namespace {

TEST(SmtpConfig, UrlWithoutCredentialsIsAccepted) {
  EXPECT_EQ(SmtpUrlProblem(""), "");
  EXPECT_EQ(SmtpUrlProblem("smtp://smtp.sgddt.soctrang.gov.vn:587"), "");
  EXPECT_EQ(SmtpUrlProblem("smtps://smtp.sgddt.soctrang.gov.vn:465"), "");
  EXPECT_EQ(SmtpUrlProblem("smtp://127.0.0.1:2525/sgddt.soctrang.gov.vn"), "");
}

TEST(SmtpConfig, UrlWithCredentialsOrAnotherSchemeIsRefused) {
  EXPECT_NE(SmtpUrlProblem("smtp://thongbao:mat-khau@smtp.example.vn:587").find("--smtp-credentials-file"),
            std::string::npos);
  EXPECT_NE(SmtpUrlProblem("smtps://thongbao@smtp.example.vn:465").find("user or password"), std::string::npos);
  EXPECT_NE(SmtpUrlProblem("http://smtp.example.vn").find("smtp://"), std::string::npos);
  EXPECT_NE(SmtpUrlProblem("smtp.example.vn:587"), "");
  EXPECT_NE(SmtpUrlProblem("smtp://"), "");
}

TEST(SmtpConfig, CredentialsAreTheFirstUserPasswordLine) {
  auto c = ParseSmtpCredentials("# tài khoản gửi thư của Sở\n\nthongbao@sgddt.soctrang.gov.vn:mật:khẩu\r\n");
  EXPECT_EQ(c.user, "thongbao@sgddt.soctrang.gov.vn");
  EXPECT_EQ(c.password, "mật:khẩu");
}

TEST(SmtpConfig, MalformedCredentialsAreRefusedWithoutEchoingThem) {
  EXPECT_THROW(ParseSmtpCredentials(""), std::invalid_argument);
  EXPECT_THROW(ParseSmtpCredentials("# only a comment\n"), std::invalid_argument);
  EXPECT_THROW(ParseSmtpCredentials(":secret-password\n"), std::invalid_argument);
  EXPECT_THROW(ParseSmtpCredentials("thongbao:\n"), std::invalid_argument);
  try {
    ParseSmtpCredentials("secret-password-without-colon");
    FAIL() << "accepted a line without ':'";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("secret-password"), std::string::npos) << e.what();
  }
  EXPECT_THROW(LoadSmtpCredentials("/nonexistent/smtp-credentials"), std::runtime_error);
}

}  // namespace
}  // namespace cchc::notification
