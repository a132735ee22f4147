#include "rules/update.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

SubscriberSpec Stored() {
  SubscriberSpec s;
  s.id = "TCCB";
  s.display_name = "Phòng Tổ chức cán bộ";
  s.unit = "SGDĐT-TCCB";
  s.email = "tccb@sgddt.soctrang.gov.vn";
  s.webhook_url = "http://127.0.0.1:8099/hook";
  s.webhook_secret = "stored-secret-0123456789";
  s.windows = WindowsOfQuietHours(QuietWindow{22 * 60, 6 * 60});
  return s;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask m;
  for (const char* p : paths) m.add_paths(p);
  return m;
}

TEST(Update, MaskPathsAreNamedByIndex) {
  std::vector<std::string> paths;
  auto e = ResolveMask(Mask({"email", "colour"}), UpdatableSubscriberFields(), {"id"}, &paths);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "update_mask.paths[1]");
  e = ResolveMask(Mask({"id"}), UpdatableSubscriberFields(), {"id"}, &paths);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "update_mask.paths[0]");
  EXPECT_NE(e->description.find("cannot be updated"), std::string::npos);
  EXPECT_FALSE(ResolveMask(Mask({"email", "email"}), UpdatableSubscriberFields(), {}, &paths));
  EXPECT_EQ(paths, std::vector<std::string>{"email"});
  EXPECT_FALSE(ResolveMask(Mask({}), UpdatableSubscriberFields(), {}, &paths));
  EXPECT_EQ(paths, UpdatableSubscriberFields());
  EXPECT_FALSE(ResolveMask(Mask({"*"}), UpdatableSubscriptionFields(), {}, &paths));
  EXPECT_EQ(paths, UpdatableSubscriptionFields());
  google::protobuf::FieldMask many;
  for (int i = 0; i <= kMaxMaskPaths; ++i) many.add_paths("email");
  e = ResolveMask(many, UpdatableSubscriberFields(), {}, &paths);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "update_mask.paths");
}

TEST(Update, SubscriberMergeKeepsWhatTheMaskDoesNotName) {
  v1::Subscriber in;
  in.set_display_name("Văn phòng Sở");
  in.set_email("ignored@example.vn");
  SubscriberSpec out;
  ASSERT_FALSE(MergeSubscriber(Stored(), in, Mask({"display_name"}), &out));
  EXPECT_EQ(out.display_name, "Văn phòng Sở");
  EXPECT_EQ(out.email, "tccb@sgddt.soctrang.gov.vn");
  EXPECT_EQ(out.webhook_secret, "stored-secret-0123456789");
  EXPECT_EQ(out.windows, WindowsOfQuietHours(QuietWindow{22 * 60, 6 * 60}));
}

TEST(Update, WebhookSecretIsReplacedKeptOrDropped) {
  SubscriberSpec out;
  v1::Subscriber in;
  in.set_webhook_url("https://hooks.example.vn/cchc");
  ASSERT_FALSE(MergeSubscriber(Stored(), in, Mask({"webhook_url", "webhook_secret"}), &out));
  EXPECT_EQ(out.webhook_url, "https://hooks.example.vn/cchc");
  EXPECT_EQ(out.webhook_secret, "stored-secret-0123456789");  // empty: kept, a legacy one as it is
  in.set_webhook_secret("whsec_YS1icmFuZC1uZXctc2VjcmV0LTAxMjM0NTY3ODlhYg==");
  ASSERT_FALSE(MergeSubscriber(Stored(), in, Mask({"webhook_secret"}), &out));
  EXPECT_EQ(out.webhook_secret, "whsec_YS1icmFuZC1uZXctc2VjcmV0LTAxMjM0NTY3ODlhYg==");
  EXPECT_EQ(out.webhook_url, "http://127.0.0.1:8099/hook");
  for (const char* bad : {"short", "a-legacy-looking-secret-0123456789"}) {
    in.set_webhook_secret(bad);  // a new secret must be whsec_
    auto e = MergeSubscriber(Stored(), in, Mask({"webhook_secret"}), &out);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->field, "subscriber.webhook_secret");
  }
  std::optional<FieldError> e;
  // Clearing the URL drops the secret; a secret without a URL is refused.
  in.Clear();
  ASSERT_FALSE(MergeSubscriber(Stored(), in, Mask({"webhook_url"}), &out));
  EXPECT_EQ(out.webhook_url, "");
  EXPECT_EQ(out.webhook_secret, "");
  in.set_webhook_secret("whsec_YS1icmFuZC1uZXctc2VjcmV0LTAxMjM0NTY3ODlhYg==");
  e = MergeSubscriber(Stored(), in, Mask({"webhook_url", "webhook_secret"}), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscriber.webhook_secret");
  // A new webhook needs a secret.
  SubscriberSpec plain = Stored();
  plain.webhook_url.clear();
  plain.webhook_secret.clear();
  in.Clear();
  in.set_webhook_url("https://hooks.example.vn/cchc");
  e = MergeSubscriber(plain, in, Mask({"webhook_url"}), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscriber.webhook_secret");
}

TEST(Update, EmptySubscriberMaskReplacesEveryUpdatableField) {
  v1::Subscriber in;
  in.set_display_name("Văn phòng Sở");
  in.set_kind(v1::SYSTEM);
  in.set_unit("SGDĐT-VP");
  SubscriberSpec out;
  ASSERT_FALSE(MergeSubscriber(Stored(), in, Mask({}), &out));
  EXPECT_EQ(out.id, "TCCB");
  EXPECT_EQ(out.kind, v1::SYSTEM);
  EXPECT_EQ(out.email, "");
  EXPECT_EQ(out.webhook_url, "");
  EXPECT_EQ(out.webhook_secret, "");
  EXPECT_TRUE(out.windows.empty());
  in.set_unit(std::string(65, 'x'));
  auto e = MergeSubscriber(Stored(), in, Mask({}), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscriber.unit");
  in.set_unit("SGDĐT-VP");
  in.set_id("OTHER");
  e = MergeSubscriber(Stored(), in, Mask({}), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscriber.id");
}

TEST(Update, SubscriptionMergeKeepsTheEventType) {
  v1::Subscription stored;
  stored.set_name("subscribers/TCCB/subscriptions/x");
  stored.set_event_type("cchc.document.v1.DocumentPublished");
  stored.mutable_filter()->add_fields("cai cach hanh chinh");
  stored.add_channels()->set_channel(v1::INBOX);
  v1::Subscription in;
  auto* hook = in.add_channels();
  hook->set_channel(v1::WEBHOOK);
  hook->set_mode(v1::DAILY_DIGEST);
  hook->set_digest_time("17:30");
  SubscriptionSpec out;
  ASSERT_FALSE(MergeSubscription(stored, in, Mask({"channels"}), Stored(), &out));
  ASSERT_EQ(out.channels.size(), 1u);
  EXPECT_EQ(out.channels[0].channel, v1::WEBHOOK);
  EXPECT_EQ(out.channels[0].digest_minute, 17 * 60 + 30);
  EXPECT_EQ(out.filter.fields, std::vector<std::string>{"cai cach hanh chinh"});
  // The filter is checked against the stored event type.
  in.mutable_filter()->add_categories("Cải cách hành chính");
  auto e = MergeSubscription(stored, in, Mask({"filter"}), Stored(), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.filter.categories");
  e = MergeSubscription(stored, in, Mask({"event_type"}), Stored(), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "update_mask.paths[0]");
  in.Clear();
  in.set_event_type("cchc.news.v1.ArticlePublished");
  in.add_channels()->set_channel(v1::INBOX);
  e = MergeSubscription(stored, in, Mask({}), Stored(), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.event_type");
  // An empty mask replaces filter and channels: no channel left is refused as on create.
  in.Clear();
  e = MergeSubscription(stored, in, Mask({}), Stored(), &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.channels");
  // A channel the subscriber lacks.
  SubscriberSpec no_mail = Stored();
  no_mail.email.clear();
  in.add_channels()->set_channel(v1::EMAIL);
  e = MergeSubscription(stored, in, Mask({"channels"}), no_mail, &out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscription.channels[0].channel");
}

TEST(Update, ChannelsInUseKeepTheirAddress) {
  std::vector<SubscriptionChannels> subs = {{"subscribers/TCCB/subscriptions/a", {ChannelSpec{v1::INBOX}}},
                                            {"subscribers/TCCB/subscriptions/b", {ChannelSpec{v1::EMAIL}}}};
  SubscriberSpec s = Stored();
  EXPECT_FALSE(ChannelsStillReachable(s, subs));
  s.webhook_url.clear();
  EXPECT_FALSE(ChannelsStillReachable(s, subs));
  s.email.clear();
  auto e = ChannelsStillReachable(s, subs);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "subscriber.email");
  EXPECT_NE(e->description.find("subscriptions/b"), std::string::npos);
}

TEST(MergeSubscriber, SendWindowsReplaceTheQuietHoursAndTheOtherWayRound) {
  v1::Subscriber in;
  auto* w = in.add_send_windows();
  w->set_day(v1::MONDAY);
  w->set_start("07:30");
  w->set_end("17:00");
  SubscriberSpec out;
  ASSERT_FALSE(MergeSubscriber(Stored(), in, Mask({"send_windows"}), &out));
  EXPECT_EQ(out.windows, (SendWindows{{1, 7 * 60 + 30, 17 * 60}}));
  EXPECT_FALSE(ToProto(out).has_quiet_hours());
  v1::Subscriber quiet;
  quiet.mutable_quiet_hours()->set_start("12:00");
  quiet.mutable_quiet_hours()->set_end("13:00");
  ASSERT_FALSE(MergeSubscriber(out, quiet, Mask({"quiet_hours"}), &out));
  EXPECT_EQ(out.windows, WindowsOfQuietHours(QuietWindow{12 * 60, 13 * 60}));
  // A read-modify-write carries both, alike: accepted.
  v1::Subscriber read = ToProto(out);
  ASSERT_FALSE(MergeSubscriber(out, read, Mask({"quiet_hours", "send_windows"}), &out));
  EXPECT_EQ(out.windows, WindowsOfQuietHours(QuietWindow{12 * 60, 13 * 60}));
  // Clearing either clears the windows: always open.
  ASSERT_FALSE(MergeSubscriber(out, v1::Subscriber{}, Mask({"send_windows"}), &out));
  EXPECT_TRUE(out.windows.empty());
}

}  // namespace
}  // namespace cchc::notification
