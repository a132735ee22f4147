#include "delivery/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cchc::notification {
namespace {

v1::Notification Sample(int64_t cursor) {
  v1::Notification n;
  n.set_cursor(cursor);
  n.set_event_type("cchc.document.v1.DocumentPublished");
  n.set_event_id("7b0e8a0c-0000-4000-8000-000000000001");
  n.set_event_source("/cchc/document");
  n.mutable_event_time()->set_seconds(1764200000);
  n.set_subject("documents/abc");
  n.set_title("Văn bản mới: 998/QĐ-SGDĐT — Về việc ban hành Kế hoạch cải cách hành chính năm 2026");
  n.set_link("https://sgddt.soctrang.gov.vn/documents/abc");
  n.set_data_json(R"({"document":{"code":"998/QĐ-SGDĐT"}})");
  return n;
}

TEST(Render, WebhookBodyOfOneNotification) {
  auto j = nlohmann::json::parse(WebhookBody("deliveries/d1", "TCCB", {Sample(17)}, ""));
  EXPECT_EQ(j["subscriber"], "subscribers/TCCB");
  EXPECT_EQ(j["notification"]["cursor"], 17);
  EXPECT_EQ(j["notification"]["event"]["type"], "cchc.document.v1.DocumentPublished");
  EXPECT_EQ(j["notification"]["event"]["time"], "2025-11-26T23:33:20.000Z");
  EXPECT_EQ(j["notification"]["data"]["document"]["code"], "998/QĐ-SGDĐT");
}

TEST(Render, DigestGroupsNotifications) {
  auto j = nlohmann::json::parse(WebhookBody("deliveries/d1", "TCCB", {Sample(1), Sample(2)}, "2026-11-27"));
  EXPECT_EQ(j["digest_day"], "2026-11-27");
  EXPECT_EQ(j["notifications"].size(), 2u);
  EXPECT_EQ(EmailSubject({Sample(1), Sample(2)}, "2026-11-27"), "[CCHC] Tổng hợp thông báo ngày 27/11/2026 (2)");
}

TEST(Render, SubjectIsAnEncodedWordOnCodePointBoundaries) {
  std::string subject = EncodedWordSubject("[CCHC] Văn bản mới: Kế hoạch cải cách hành chính năm 2026");
  EXPECT_EQ(subject.rfind("=?UTF-8?B?", 0), 0u);
  for (size_t pos = 0; (pos = subject.find("=?UTF-8?B?", pos)) != std::string::npos; ++pos) {
    size_t end = subject.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u);
  }
  EXPECT_EQ(Base64("Văn"), "VsSDbg==");
}

TEST(Render, EmailIsUtf8Base64WithCrlf) {
  std::string m = EmailMessage("thongbao@sgddt.soctrang.gov.vn", "tccb@example.vn", "Phòng Tổ chức cán bộ", {Sample(3)},
                               "", "id@x", "Fri, 27 Nov 2026 02:00:00 +0000");
  EXPECT_NE(m.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Transfer-Encoding: base64\r\n"), std::string::npos);
  EXPECT_NE(m.find("To: tccb@example.vn\r\n"), std::string::npos);
  EXPECT_NE(EmailText("Phòng Tổ chức cán bộ", {Sample(3)}, "").find("Kính gửi Phòng Tổ chức cán bộ"),
            std::string::npos);
}

}  // namespace
}  // namespace cchc::notification
