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

TEST(Render, WebhookBodyOfOneNotificationHasTheStandardShape) {
  auto j = nlohmann::json::parse(WebhookBody("d1", "TCCB", {Sample(17)}, ""));
  EXPECT_EQ(j.size(), 3u);  // type, timestamp, data
  EXPECT_EQ(j["type"], "cchc.document.v1.DocumentPublished");
  EXPECT_EQ(j["timestamp"], "2025-11-26T23:33:20.000Z");
  const auto& data = j["data"];
  EXPECT_EQ(data["id"], "7b0e8a0c-0000-4000-8000-000000000001");
  EXPECT_EQ(data["source"], "/cchc/document");
  EXPECT_EQ(data["subject"], "documents/abc");
  EXPECT_EQ(data["title"], Sample(17).title());
  EXPECT_EQ(data["link"], "https://sgddt.soctrang.gov.vn/documents/abc");
  EXPECT_EQ(data["delivery"], "deliveries/d1");
  EXPECT_EQ(data["subscriber"], "subscribers/TCCB");
  EXPECT_EQ(data["notification"], "subscribers/TCCB/notifications/17");
  EXPECT_EQ(data["details"]["document"]["code"], "998/QĐ-SGDĐT");
  EXPECT_FALSE(data.contains("details_omitted"));
}

TEST(Render, DigestGroupsNotifications) {
  auto second = Sample(2);
  second.mutable_event_time()->set_seconds(1764200100);
  auto j = nlohmann::json::parse(WebhookBody("d1", "TCCB", {Sample(1), second}, "2026-11-27"));
  EXPECT_EQ(j["type"], kDigestType);
  EXPECT_EQ(j["timestamp"], "2025-11-26T23:35:00.000Z");  // the newest item's
  EXPECT_EQ(j["data"]["digest_day"], "2026-11-27");
  ASSERT_EQ(j["data"]["items"].size(), 2u);
  EXPECT_EQ(j["data"]["items"][1]["type"], "cchc.document.v1.DocumentPublished");
  EXPECT_EQ(j["data"]["items"][1]["notification"], "subscribers/TCCB/notifications/2");
  EXPECT_EQ(j["data"]["items"][1]["details"]["document"]["code"], "998/QĐ-SGDĐT");
  EXPECT_EQ(EmailSubject({Sample(1), Sample(2)}, "2026-11-27"), "[CCHC] Tổng hợp thông báo ngày 27/11/2026 (2)");
}

TEST(Render, BodiesOverTwentyKilobytesCarryLinksInsteadOfData) {
  auto big = Sample(5);
  big.set_data_json(R"({"document":{"body":")" + std::string(30000, 'x') + R"("}})");
  std::string body = WebhookBody("d1", "TCCB", {big}, "");
  EXPECT_LE(body.size(), kMaxWebhookBodyBytes);
  auto j = nlohmann::json::parse(body);
  EXPECT_FALSE(j["data"].contains("details"));
  EXPECT_EQ(j["data"]["details_omitted"], true);
  EXPECT_EQ(j["data"]["link"], "https://sgddt.soctrang.gov.vn/documents/abc");
  EXPECT_EQ(j["data"]["id"], "7b0e8a0c-0000-4000-8000-000000000001");

  // A digest of many: items without details, then event ids only, then only as many as fit, the rest counted.
  std::vector<v1::Notification> many;
  for (int i = 1; i <= 30; ++i) many.push_back(Sample(i));
  many[0].set_data_json(big.data_json());
  j = nlohmann::json::parse(WebhookBody("d2", "TCCB", many, "2026-11-27"));
  ASSERT_EQ(j["data"]["items"].size(), 30u);
  EXPECT_FALSE(j["data"]["items"][0].contains("details"));
  EXPECT_EQ(j["data"]["items"][0]["link"], "https://sgddt.soctrang.gov.vn/documents/abc");
  for (int i = 31; i <= 300; ++i) many.push_back(Sample(i));
  body = WebhookBody("d2", "TCCB", many, "2026-11-27");
  EXPECT_LE(body.size(), kMaxWebhookBodyBytes);
  j = nlohmann::json::parse(body);
  EXPECT_FALSE(j["data"].contains("items"));
  EXPECT_EQ(j["data"]["event_ids"].size(), 300u);
  EXPECT_EQ(j["data"]["event_ids"][0], "7b0e8a0c-0000-4000-8000-000000000001");
  EXPECT_FALSE(j["data"].contains("items_omitted"));
  for (int i = 301; i <= 1000; ++i) many.push_back(Sample(i));
  body = WebhookBody("d2", "TCCB", many, "2026-11-27");
  EXPECT_LE(body.size(), kMaxWebhookBodyBytes);
  j = nlohmann::json::parse(body);
  size_t kept = j["data"]["event_ids"].size();
  EXPECT_GT(kept, 400u);
  EXPECT_EQ(kept + j["data"]["items_omitted"].get<size_t>(), 1000u);
  // Small digests keep everything.
  EXPECT_FALSE(
      nlohmann::json::parse(WebhookBody("d3", "TCCB", {Sample(1)}, "2026-11-27"))["data"].contains("items_omitted"));
}

TEST(Render, SubjectIsAnEncodedWordOnCodePointBoundaries) {
  std::string subject = EncodedWordSubject("[CCHC] Văn bản mới: Kế hoạch cải cách hành chính năm 2026");
  EXPECT_EQ(subject.rfind("=?UTF-8?B?", 0), 0u);
  for (size_t pos = 0; (pos = subject.find("=?UTF-8?B?", pos)) != std::string::npos; ++pos) {
    size_t end = subject.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u);
  }
  EXPECT_EQ(EncodedWordSubject("Văn"), "=?UTF-8?B?VsSDbg==?=");
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
