#include "auth.h"

#include <gtest/gtest.h>

namespace cchc::auth {
namespace {

TEST(TokenStore, MapsTokenHashesToPrincipals) {
  auto store = TokenStore::Parse("# tokens\n" + crypto::Sha256Hex("s3cret") + "  SGDĐT-TCCB  editor,reader\n");
  auto p = store.Lookup("s3cret");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->unit, "SGDĐT-TCCB");
  EXPECT_TRUE(p->Has(Role::kEditor));
  EXPECT_TRUE(p->Has(Role::kReader));
  EXPECT_FALSE(p->Has(Role::kAdmin));
  EXPECT_FALSE(store.Lookup("wrong"));
}

TEST(TokenStore, AdminHasEveryRole) {
  auto store = TokenStore::Parse(crypto::Sha256Hex("root") + " SGDĐT admin\n");
  EXPECT_TRUE(store.Lookup("root")->Has(Role::kAppraiser));
}

TEST(TokenStore, PortalIsARoleOfItsOwn) {
  auto store =
      TokenStore::Parse(crypto::Sha256Hex("portal") + " PORTAL portal\n" + crypto::Sha256Hex("ed") + " SNV editor\n");
  EXPECT_TRUE(store.Lookup("portal")->Has(Role::kPortal));
  EXPECT_TRUE(store.Lookup("portal")->Has(Role::kReader));
  EXPECT_FALSE(store.Lookup("portal")->Has(Role::kEditor));
  EXPECT_FALSE(store.Lookup("ed")->Has(Role::kPortal));
  EXPECT_EQ(RoleName(*ParseRole("portal")), "portal");
}

TEST(TokenStore, RejectsMalformedLinesNamingThem) {
  try {
    TokenStore::Parse("abc unit reader\n", "tokens.txt");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tokens.txt line 1"), std::string::npos);
  }
  EXPECT_THROW(TokenStore::Parse(crypto::Sha256Hex("x") + " unit wizard\n"), std::runtime_error);
}

}  // namespace
}  // namespace cchc::auth
