#include "client.h"

#include <gtest/gtest.h>

#include "conventions.h"
#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

TEST(UseTls, PlainTextWhenNothingIsGiven) {
  EXPECT_NO_THROW(UseTls({}));
  EXPECT_NE(OpenChannel("127.0.0.1:1"), nullptr);
}

TEST(UseTls, AnUnusableSettingIsALocalErrorNamingTheFlag) {
  auto refusal = [](const tls::ClientFiles& files) -> std::string {
    try {
      UseTls(files);
    } catch (const StatusError& e) {
      EXPECT_EQ(ExitCodeFor(e), kExitLocalError);
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(refusal({"/nonexistent/ca.crt", "", ""}), "--tls-ca: cannot read /nonexistent/ca.crt");
  EXPECT_EQ(refusal({"", "/nonexistent/client.crt", ""}), "--tls-key: give both --tls-cert and --tls-key, or neither");
  EXPECT_EQ(refusal({"", "/nonexistent/client.crt", "/nonexistent/client.key"}),
            "--tls-cert: cannot read /nonexistent/client.crt");
}

}  // namespace
}  // namespace cchc::cchcctl
