#include "rules/validation.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

v1::Subscriber Tccb() {
  v1::Subscriber s;
  s.set_id("TCCB");
  s.set_display_name("Phòng Tổ chức cán bộ, Sở GD&ĐT");
  s.set_kind(v1::UNIT);
  s.set_unit("SGDĐT-TCCB");
  s.set_webhook_url("http://127.0.0.1:8099/hook");
  s.set_webhook_secret("tccb-webhook-secret-0123");
  s.mutable_quiet_hours()->set_start("22:00");
  s.mutable_quiet_hours()->set_end("06:00");
  return s;
}

std::string FieldOf(const v1::Subscriber& s) {
  SubscriberSpec spec;
  auto e = ValidateSubscriber(s, &spec);
  return e ? e->field : "";
}

TEST(Validation, SubscriberFieldsAreNamed) {
  EXPECT_EQ(FieldOf(Tccb()), "");
  auto s = Tccb();
  s.set_id("TC CB");
  EXPECT_EQ(FieldOf(s), "subscriber.id");
  s = Tccb();
  s.set_display_name("");
  EXPECT_EQ(FieldOf(s), "subscriber.display_name");
  s = Tccb();
  s.set_webhook_secret("short");
  EXPECT_EQ(FieldOf(s), "subscriber.webhook_secret");
  s = Tccb();
  s.set_webhook_url("ftp://x");
  EXPECT_EQ(FieldOf(s), "subscriber.webhook_url");
  s = Tccb();
  s.set_email("not-an-address");
  EXPECT_EQ(FieldOf(s), "subscriber.email");
  s = Tccb();
  s.mutable_quiet_hours()->set_end("25:00");
  EXPECT_EQ(FieldOf(s), "subscriber.quiet_hours.end");
  s = Tccb();
  s.set_kind(v1::SUBSCRIBER_KIND_UNSPECIFIED);
  EXPECT_EQ(FieldOf(s), "subscriber.kind");
}

TEST(Validation, SubscriptionChannels) {
  SubscriberSpec tccb;
  ASSERT_FALSE(ValidateSubscriber(Tccb(), &tccb));
  v1::Subscription sub;
  sub.set_event_type("cchc.document.v1.DocumentPublished");
  sub.mutable_filter()->add_fields("Cải cách hành chính");
  sub.add_channels()->set_channel(v1::INBOX);
  auto* hook = sub.add_channels();
  hook->set_channel(v1::WEBHOOK);
  SubscriptionSpec spec;
  EXPECT_FALSE(ValidateSubscription(sub, tccb, &spec));
  EXPECT_EQ(spec.channels.size(), 2u);
  EXPECT_EQ(spec.channels[1].mode, v1::IMMEDIATE);

  auto mail = sub;
  mail.add_channels()->set_channel(v1::EMAIL);
  auto e = ValidateSubscription(mail, tccb, &spec);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.channels[2].channel");

  auto digest = sub;
  digest.mutable_channels(1)->set_mode(v1::DAILY_DIGEST);
  e = ValidateSubscription(digest, tccb, &spec);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.channels[1].digest_time");
  digest.mutable_channels(1)->set_digest_time("17:30");
  EXPECT_FALSE(ValidateSubscription(digest, tccb, &spec));
  EXPECT_EQ(spec.channels[1].digest_minute, 17 * 60 + 30);

  auto twice = sub;
  twice.add_channels()->set_channel(v1::INBOX);
  e = ValidateSubscription(twice, tccb, &spec);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.channels[2].channel");

  auto none = sub;
  none.clear_channels();
  e = ValidateSubscription(none, tccb, &spec);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.channels");
}

TEST(Validation, SubscriberNames) {
  EXPECT_EQ(SubscriberIdOf("subscribers/TCCB"), "TCCB");
  EXPECT_FALSE(SubscriberIdOf("subscribers/"));
  EXPECT_FALSE(SubscriberIdOf("subscribers/TCCB/x"));
  EXPECT_FALSE(SubscriberIdOf("units/TCCB"));
}

v1::Subscriber WithWindow(v1::Weekday day, const char* start, const char* end) {
  v1::Subscriber s = Tccb();
  auto* w = s.add_send_windows();
  w->set_day(day);
  w->set_start(start);
  w->set_end(end);
  return s;
}

TEST(ValidateSubscriber, SendWindowsAreCheckedWithTheFieldNamed) {
  v1::Subscriber s = Tccb();
  s.clear_quiet_hours();
  SubscriberSpec out;
  s = WithWindow(v1::FRIDAY, "13:30", "24:00");
  s.clear_quiet_hours();
  ASSERT_FALSE(ValidateSubscriber(s, &out));
  EXPECT_EQ(out.windows, (SendWindows{{5, 13 * 60 + 30, kMinutesPerDay}}));
  EXPECT_EQ(ToProto(out).send_windows(0).end(), "24:00");
  auto bad = WithWindow(v1::WEEKDAY_UNSPECIFIED, "07:30", "17:00");
  bad.clear_quiet_hours();
  EXPECT_EQ(FieldOf(bad), "subscriber.send_windows[0].day");
  bad = WithWindow(v1::MONDAY, "7:30", "17:00");
  bad.clear_quiet_hours();
  EXPECT_EQ(FieldOf(bad), "subscriber.send_windows[0].start");
  bad = WithWindow(v1::MONDAY, "22:00", "02:00");
  bad.clear_quiet_hours();
  EXPECT_EQ(FieldOf(bad), "subscriber.send_windows[0].end") << "crosses midnight";
  bad = WithWindow(v1::MONDAY, "07:30", "11:30");
  bad.clear_quiet_hours();
  auto* w = bad.add_send_windows();
  w->set_day(v1::MONDAY);
  w->set_start("11:00");
  w->set_end("17:00");
  EXPECT_EQ(FieldOf(bad), "subscriber.send_windows[1]") << "overlaps";
  w->set_start("11:30");
  EXPECT_EQ(FieldOf(bad), "") << "touching is fine";
  bad.clear_send_windows();
  for (int i = 0; i < 36; ++i) {
    auto* x = bad.add_send_windows();
    x->set_day(static_cast<v1::Weekday>(1 + i % 7));
    x->set_start(FormatTimeOfDay(i / 7 * 60));
    x->set_end(FormatTimeOfDay(i / 7 * 60 + 30));
  }
  EXPECT_EQ(FieldOf(bad), "subscriber.send_windows") << "bounded";
}

TEST(ValidateSubscriber, QuietHoursAndSendWindowsMustAgree) {
  v1::Subscriber s = Tccb();  // quiet 22:00–06:00
  SubscriberSpec out;
  ASSERT_FALSE(ValidateSubscriber(s, &out));
  v1::Subscriber read = ToProto(out);
  EXPECT_EQ(read.send_windows_size(), 7);
  EXPECT_EQ(read.quiet_hours().start(), "22:00");
  read.set_webhook_secret(s.webhook_secret());
  EXPECT_FALSE(ValidateSubscriber(read, &out)) << "what was read is written back unchanged";
  read.mutable_send_windows(3)->set_end("21:00");
  EXPECT_EQ(FieldOf(read), "subscriber.send_windows");
}

}  // namespace
}  // namespace cchc::notification
