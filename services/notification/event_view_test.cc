#include "event_view.h"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "cchc/document/v1/events.pb.h"
#include "cchc/scoring/v1/events.pb.h"

namespace cchc::notification {
namespace {

TEST(EventView, DocumentPublishedOffersItsAttributes) {
  document::v1::DocumentPublished m;
  auto* d = m.mutable_document();
  d->set_name("documents/abc");
  d->set_code("998/QĐ-SGDĐT");
  d->set_type_abbreviation("QĐ");
  d->set_issuer_code("SGDĐT");
  d->set_subject("Về việc ban hành Kế hoạch cải cách hành chính năm 2026");
  d->add_fields("Cải cách hành chính");
  events::CloudEvent e;
  e.type = "cchc.document.v1.DocumentPublished";
  e.data = m.SerializeAsString();
  auto v = ViewOf(e, "https://sgddt.soctrang.gov.vn");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->attributes.fields, std::vector<std::string>{"Cải cách hành chính"});
  EXPECT_EQ(v->attributes.type_codes, std::vector<std::string>{"QĐ"});
  EXPECT_EQ(v->link, "https://sgddt.soctrang.gov.vn/documents/abc");
  EXPECT_EQ(v->title, "Văn bản mới: 998/QĐ-SGDĐT — Về việc ban hành Kế hoạch cải cách hành chính năm 2026");
  EXPECT_NE(v->data_json.find("\"code\":\"998/QĐ-SGDĐT\""), std::string::npos);
}

TEST(EventView, LifecycleEventsOfferTheDocumentsAttributesAndSayWhatHappened) {
  document::v1::Document d;
  d.set_name("documents/abc");
  d.set_code("998/QĐ-SGDĐT");
  d.set_type_abbreviation("QĐ");
  d.set_issuer_code("SGDĐT");
  d.set_subject("Về việc ban hành Kế hoạch cải cách hành chính năm 2026");
  d.add_fields("Cải cách hành chính");
  document::v1::DocumentBecameEffective effective;
  *effective.mutable_document() = d;
  effective.set_effective_date("2026-07-01");
  document::v1::DocumentExpired expired;
  *expired.mutable_document() = d;
  expired.set_expiry_date("2026-12-31");
  document::v1::DocumentReplaced replaced;
  *replaced.mutable_document() = d;
  replaced.set_replaced_by("documents/def");
  replaced.set_replaced_by_code("1015/QĐ-SGDĐT");
  document::v1::DocumentDeleted deleted;  // no snapshot: the identity the event carries
  deleted.set_name(d.name());
  deleted.set_code(d.code());
  deleted.set_issuer_code("SGDĐT");
  deleted.set_subject(d.subject());
  deleted.add_fields("Cải cách hành chính");
  deleted.set_type_abbreviation("QĐ");
  deleted.set_deleted_by("SGDĐT-VP");
  const std::string subject = "998/QĐ-SGDĐT — Về việc ban hành Kế hoạch cải cách hành chính năm 2026";
  for (const auto& [type, payload, title] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"cchc.document.v1.DocumentBecameEffective", effective.SerializeAsString(),
            "Văn bản có hiệu lực: " + subject},
           {"cchc.document.v1.DocumentExpired", expired.SerializeAsString(), "Văn bản hết hiệu lực: " + subject},
           {"cchc.document.v1.DocumentReplaced", replaced.SerializeAsString(),
            "Văn bản bị thay thế bởi 1015/QĐ-SGDĐT: " + subject},
           {"cchc.document.v1.DocumentDeleted", deleted.SerializeAsString(), "Văn bản đã bị xóa: " + subject}}) {
    events::CloudEvent e;
    e.type = type;
    e.data = payload;
    auto v = ViewOf(e, "https://sgddt.soctrang.gov.vn");
    ASSERT_TRUE(v) << type;
    EXPECT_EQ(v->title, title);
    EXPECT_EQ(v->attributes.fields, std::vector<std::string>{"Cải cách hành chính"});
    EXPECT_EQ(v->attributes.type_codes, std::vector<std::string>{"QĐ"});
    EXPECT_EQ(v->link, "https://sgddt.soctrang.gov.vn/documents/abc");
  }
}

TEST(EventView, ResultsPublishedOffersEveryUnit) {
  scoring::v1::ResultsPublished m;
  m.set_year(2025);
  m.add_results()->set_unit_code("SGDĐT-TCCB");
  m.add_results()->set_unit_code("SGDĐT-KHTC");
  events::CloudEvent e;
  e.type = "cchc.scoring.v1.ResultsPublished";
  e.data = m.SerializeAsString();
  auto v = ViewOf(e, "");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->attributes.unit_codes.size(), 2u);
}

TEST(EventView, UnknownTypeIsNotUnderstoodAndBadPayloadThrows) {
  events::CloudEvent e;
  e.type = "cchc.future.v9.Thing";
  EXPECT_FALSE(ViewOf(e, ""));
  e.type = "cchc.document.v1.DocumentPublished";
  e.data = "\xff\xff\xff";
  EXPECT_THROW(ViewOf(e, ""), std::runtime_error);
}

}  // namespace
}  // namespace cchc::notification
