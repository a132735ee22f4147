// Bad input across the four services, one table: malformed and hostile inputs (overlong strings, invalid
// UTF-8, NUL bytes, SQL-looking strings, negative and huge page sizes, bad page tokens, dates out of range,
// messages over the size limit, wrong enum values), each with its exact status and the field named first in
// the message, and — AIP-193 — the reason and the field violation in the status details (google.rpc.ErrorInfo,
// google.rpc.BadRequest) — and nothing written anywhere: every table of every service's schema has the same rows
// after each case as before it.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>

#include "support/refusal_details.h"
#include "system/system_stack.h"

namespace cchc::testing {
namespace {

class WholeSystemBadInputTest : public WholeSystemTest {
 protected:
  static void SetUpTestSuite() {
    WholeSystemTest::SetUpTestSuite();
    // One query that counts the rows of every table of the four schemas.
    std::string tables = stack_->Pg().Sql(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN "
        "('document', 'news', 'scoring', 'notification') AND table_type = 'BASE TABLE' ORDER BY 1");
    std::istringstream in(tables);
    for (std::string t; std::getline(in, t);) {
      if (t.empty()) continue;
      census_ +=
          std::string(census_.empty() ? "SELECT " : " || ' ' || ") + "'" + t + "=' || (SELECT count(*) FROM " + t + ")";
    }
  }
  static std::string Census() { return stack_->Pg().Sql(census_); }
  static std::string census_;
};
std::string WholeSystemBadInputTest::census_;

// A unary call with raw request bytes (what a hostile client can send that our own stubs would not).
grpc::Status RawCall(const std::string& address, const std::string& method, const std::string& bytes,
                     const std::string& token) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  auto ctx = SystemStack::Context(token);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(ctx.get(), method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

struct Case {
  const char* what;
  std::function<grpc::Status(SystemStack&)> call;
  grpc::StatusCode expected;
  const char* field;  // the message starts with "<field>:"; empty for none
  // ErrorInfo.reason in the details (error_reason.proto) of the AIP-193 codes; empty: INVALID_FIELD
  const char* reason = "";
};

dv1::Document ValidDocument(int n) {
  dv1::Document d;
  d.set_code(std::to_string(7000 + n) + "/KH-SGDĐT");
  d.set_issue_date("2018-02-05");
  d.set_subject("Kế hoạch cải cách hành chính năm 2018");
  d.set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d.add_fields("Cải cách hành chính");
  return d;
}

grpc::Status CreateDocument(SystemStack& s, const std::function<void(dv1::Document&)>& spoil) {
  static int n = 0;
  dv1::CreateDocumentRequest req;
  *req.mutable_document() = ValidDocument(n++);
  spoil(*req.mutable_document());
  dv1::Document out;
  return s.Documents().CreateDocument(s.Context(Tokens::kEditor).get(), req, &out);
}

grpc::Status ListDocuments(SystemStack& s, const std::function<void(dv1::ListDocumentsRequest&)>& spoil) {
  dv1::ListDocumentsRequest req;
  spoil(req);
  dv1::ListDocumentsResponse out;
  return s.Documents().ListDocuments(s.Context(Tokens::kReader).get(), req, &out);
}

// The outgoing register (sổ văn bản đi).
grpc::Status CreateRegister(SystemStack& s, const std::function<void(dv1::Register&)>& spoil) {
  dv1::CreateRegisterRequest req;
  req.mutable_register_()->set_display_name("Sổ văn bản đi 2026");
  req.mutable_register_()->set_issuer_code("SGDĐT");
  req.mutable_register_()->set_year(2026);
  req.mutable_register_()->add_type_abbreviations("KH");
  spoil(*req.mutable_register_());
  dv1::Register out;
  return s.Documents().CreateRegister(s.Context(Tokens::kAdmin).get(), req, &out);
}

grpc::Status CreateArticle(SystemStack& s, const std::function<void(nv1::Article&)>& spoil) {
  nv1::CreateArticleRequest req;
  req.mutable_article()->set_title("Tin cải cách hành chính");
  req.mutable_article()->set_category("Cải cách hành chính");
  spoil(*req.mutable_article());
  nv1::Article out;
  return s.News().CreateArticle(s.Context(Tokens::kEditor).get(), req, &out);
}

grpc::Status CreateUnit(SystemStack& s, const std::function<void(sv1::Unit&)>& spoil) {
  sv1::CreateUnitRequest req;
  req.mutable_unit()->set_code("TRUONG_THPT_PHU_TAM");
  req.mutable_unit()->set_display_name("Trường THPT Phú Tâm");
  req.mutable_unit()->set_kind(sv1::SUBORDINATE_UNIT);
  spoil(*req.mutable_unit());
  sv1::Unit out;
  return s.Scoring().CreateUnit(s.Context(Tokens::kAdmin).get(), req, &out);
}

grpc::Status CreateSubscriber(SystemStack& s, const std::function<void(tv1::Subscriber&)>& spoil) {
  tv1::CreateSubscriberRequest req;
  auto* sub = req.mutable_subscriber();
  sub->set_id("VP");
  sub->set_display_name("Văn phòng Sở");
  sub->set_kind(tv1::UNIT);
  sub->set_unit("SGDĐT-VP");
  spoil(*sub);
  tv1::Subscriber out;
  return s.Notifications().CreateSubscriber(s.Context(Tokens::kAdmin).get(), req, &out);
}

grpc::Status UpdateSubscriber(SystemStack& s, const std::vector<std::string>& paths,
                              const std::function<void(tv1::Subscriber&)>& spoil) {
  tv1::UpdateSubscriberRequest req;
  req.mutable_subscriber()->set_name("subscribers/TCCB");
  spoil(*req.mutable_subscriber());
  for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
  tv1::Subscriber out;
  return s.Notifications().UpdateSubscriber(s.Context(Tokens::kAdmin).get(), req, &out);
}

grpc::Status UpdateSubscription(SystemStack& s, const std::string& name, const std::vector<std::string>& paths,
                                const std::function<void(tv1::Subscription&)>& spoil) {
  tv1::UpdateSubscriptionRequest req;
  req.mutable_subscription()->set_name(name);
  req.mutable_subscription()->add_channels()->set_channel(tv1::INBOX);
  spoil(*req.mutable_subscription());
  for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
  tv1::Subscription out;
  return s.Notifications().UpdateSubscription(s.Context(Tokens::kAdmin).get(), req, &out);
}

grpc::Status DeleteSubscriber(SystemStack& s, const std::string& name) {
  tv1::DeleteSubscriberRequest req;
  req.set_name(name);
  google::protobuf::Empty out;
  return s.Notifications().DeleteSubscriber(s.Context(Tokens::kAdmin).get(), req, &out);
}

grpc::Status RotateWebhookSecret(SystemStack& s, const std::string& name) {
  tv1::RotateWebhookSecretRequest req;
  req.set_name(name);
  tv1::RotateWebhookSecretResponse out;
  return s.Notifications().RotateWebhookSecret(s.Context(Tokens::kAdmin).get(), req, &out);
}

// The subscription of TCCB the test creates first.
std::string& TccbSubscription() {
  static std::string name;
  return name;
}

// A field-1 string of the request, as raw protobuf bytes, holding `value` as is (no UTF-8 check).
std::string RawStringField1(const std::string& value) {
  return std::string("\x0a", 1) + static_cast<char>(value.size()) + value;
}

const std::string kInvalidUtf8 =
    "Tr\xC3\x28"
    "ch y\xE1\xBA";

std::vector<Case> Cases() {
  using C = grpc::StatusCode;
  const std::string sql = "x'); DROP TABLE documents; --";
  return {
      {"overlong trích yếu",
       [](auto& s) { return CreateDocument(s, [](auto& d) { d.set_subject(std::string(501, 'a')); }); },
       C::INVALID_ARGUMENT, "document.subject"},
      {"NUL byte in trích yếu",
       [](auto& s) {
         return CreateDocument(s, [](auto& d) { d.set_subject(std::string("Kế hoạch") + std::string(1, '\0') + "x"); });
       },
       C::INVALID_ARGUMENT, "document.subject"},
      {"SQL-looking số/ký hiệu", [sql](auto& s) { return CreateDocument(s, [sql](auto& d) { d.set_code(sql); }); },
       C::INVALID_ARGUMENT, "document.code", "INVALID_DOCUMENT_CODE"},
      {"issue date out of range",
       [](auto& s) { return CreateDocument(s, [](auto& d) { d.set_issue_date("1899-12-31"); }); }, C::INVALID_ARGUMENT,
       "document.issue_date"},
      {"issue date that is no day",
       [](auto& s) { return CreateDocument(s, [](auto& d) { d.set_issue_date("2018-02-30"); }); }, C::INVALID_ARGUMENT,
       "document.issue_date"},
      {"invalid UTF-8 (raw bytes)",
       [](auto& s) {
         return RawCall(s.Address(Service::kDocument), "/cchc.document.v1.DocumentService/GetDocumentByCode",
                        RawStringField1(kInvalidUtf8), Tokens::kReader);
       },
       C::INVALID_ARGUMENT, "request", "INVALID_REQUEST"},
      {"message over the size limit",
       [](auto& s) { return CreateDocument(s, [](auto& d) { d.set_body(std::string(5 * 1024 * 1024, 'a')); }); },
       C::RESOURCE_EXHAUSTED, ""},
      {"negative page size", [](auto& s) { return ListDocuments(s, [](auto& r) { r.set_page_size(-1); }); },
       C::INVALID_ARGUMENT, "page_size"},
      {"bad page token", [](auto& s) { return ListDocuments(s, [](auto& r) { r.set_page_token("bm90LWEtdG9rZW4"); }); },
       C::INVALID_ARGUMENT, "page_token", "INVALID_PAGE_TOKEN"},
      {"wrong enum value",
       [](auto& s) {
         return ListDocuments(s, [](auto& r) { r.mutable_filter()->set_validity(static_cast<dv1::Validity>(77)); });
       },
       C::INVALID_ARGUMENT, "filter.validity"},
      {"overlong register name",
       [](auto& s) { return CreateRegister(s, [](auto& r) { r.set_display_name(std::string(201, 'x')); }); },
       C::INVALID_ARGUMENT, "register.display_name"},
      {"SQL-looking register issuer",
       [sql](auto& s) { return CreateRegister(s, [sql](auto& r) { r.set_issuer_code(sql); }); }, C::INVALID_ARGUMENT,
       "register.issuer_code"},
      {"register mixing a VBQPPL type with others",
       [](auto& s) { return CreateRegister(s, [](auto& r) { r.set_legal_normative_type("TT"); }); },
       C::INVALID_ARGUMENT, "register.legal_normative_type"},
      {"reservation that is no name",
       [sql](auto& s) {
         dv1::ReserveNumberRequest req;
         req.set_register_(sql);
         dv1::Reservation out;
         return s.Documents().ReserveNumber(s.Context(Tokens::kEditor).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "register", "INVALID_NAME"},
      {"document naming a malformed reservation",
       [](auto& s) {
         dv1::CreateDocumentRequest req;
         *req.mutable_document() = ValidDocument(900);
         req.set_reservation("registers/x/reservations/-1");
         dv1::Document out;
         return s.Documents().CreateDocument(s.Context(Tokens::kEditor).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "reservation", "INVALID_NAME"},
      {"overlong article title",
       [](auto& s) { return CreateArticle(s, [](auto& a) { a.set_title(std::string(251, 'x')); }); },
       C::INVALID_ARGUMENT, "article.title"},
      {"SQL-looking slug", [sql](auto& s) { return CreateArticle(s, [sql](auto& a) { a.set_slug(sql); }); },
       C::INVALID_ARGUMENT, "article.slug"},
      {"invalid UTF-8 in an article (raw bytes)",
       [](auto& s) {
         return RawCall(s.Address(Service::kNews), "/cchc.news.v1.NewsService/GetArticleBySlug",
                        RawStringField1(kInvalidUtf8), Tokens::kReader);
       },
       C::INVALID_ARGUMENT, "request", "INVALID_REQUEST"},
      {"article list date out of range",
       [](auto& s) {
         nv1::ListArticlesRequest req;
         req.mutable_filter()->set_publish_date_from("2018-13-01");
         nv1::ListArticlesResponse out;
         return s.News().ListArticles(s.Context(Tokens::kReader).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "filter.publish_date_from"},
      {"comment with a wrong moderation decision",
       [](auto& s) {
         nv1::ModerateCommentRequest req;
         req.set_name("articles/00000000-0000-0000-0000-000000000000/comments/00000000-0000-0000-0000-000000000000");
         req.set_decision(static_cast<nv1::CommentStatus>(42));
         nv1::Comment out;
         return s.News().ModerateComment(s.Context(Tokens::kModerator).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "decision"},
      {"huge comment page size is clamped, not refused",
       [](auto& s) {
         nv1::ListArticlesRequest req;
         req.set_page_size(1 << 30);
         nv1::ListArticlesResponse out;
         auto st = s.News().ListArticles(s.Context(Tokens::kReader).get(), req, &out);
         if (st.ok() && out.articles_size() > 100) return grpc::Status(grpc::StatusCode::INTERNAL, "not clamped");
         return st;
       },
       C::OK, ""},
      {"SQL-looking unit code", [sql](auto& s) { return CreateUnit(s, [sql](auto& u) { u.set_code(sql); }); },
       C::INVALID_ARGUMENT, "unit.code"},
      {"wrong unit kind",
       [](auto& s) { return CreateUnit(s, [](auto& u) { u.set_kind(static_cast<sv1::UnitKind>(9)); }); },
       C::INVALID_ARGUMENT, "unit.kind"},
      {"overlong unit name",
       [](auto& s) { return CreateUnit(s, [](auto& u) { u.set_display_name(std::string(2000, 'x')); }); },
       C::INVALID_ARGUMENT, "unit.display_name"},
      {"ranking of a year out of range",
       [](auto& s) {
         sv1::GetRankingRequest req;
         req.set_year(99999);
         req.set_unit_kind(sv1::DEPARTMENT);
         sv1::Ranking out;
         return s.Scoring().GetRanking(s.Context(Tokens::kReader).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "year"},
      {"subscriber id with a NUL byte",
       [](auto& s) { return CreateSubscriber(s, [](auto& sub) { sub.set_id(std::string("VP\0X", 4)); }); },
       C::INVALID_ARGUMENT, "subscriber.id"},
      {"webhook URL that is not http(s)",
       [](auto& s) {
         return CreateSubscriber(s, [](auto& sub) {
           sub.set_webhook_url("ftp://127.0.0.1/x");
           sub.set_webhook_secret(SystemStack::kWebhookSecret);
         });
       },
       C::INVALID_ARGUMENT, "subscriber.webhook_url"},
      {"webhook URL at the cloud metadata address (SSRF policy; never connected to)",
       [](auto& s) {
         return CreateSubscriber(s, [](auto& sub) {
           sub.set_webhook_url("http://169.254.169.254/latest/meta-data/");
           sub.set_webhook_secret(SystemStack::kWebhookSecret);
         });
       },
       C::INVALID_ARGUMENT, "subscriber.webhook_url"},
      {"webhook URL with a user name and password",
       [](auto& s) {
         return CreateSubscriber(s, [](auto& sub) {
           sub.set_webhook_url("http://admin:secret@127.0.0.1/x");
           sub.set_webhook_secret(SystemStack::kWebhookSecret);
         });
       },
       C::INVALID_ARGUMENT, "subscriber.webhook_url"},
      {"quiet hours out of range",
       [](auto& s) {
         return CreateSubscriber(s, [](auto& sub) {
           sub.mutable_quiet_hours()->set_start("25:00");
           sub.mutable_quiet_hours()->set_end("06:00");
         });
       },
       C::INVALID_ARGUMENT, "subscriber.quiet_hours.start"},
      {"send window across midnight",
       [](auto& s) {
         return CreateSubscriber(s, [](auto& sub) {
           auto* w = sub.add_send_windows();
           w->set_day(tv1::FRIDAY);
           w->set_start("22:00");
           w->set_end("02:00");
         });
       },
       C::INVALID_ARGUMENT, "subscriber.send_windows[0].end"},
      {"send windows disagreeing with the quiet hours",
       [](auto& s) {
         return CreateSubscriber(s, [](auto& sub) {
           sub.mutable_quiet_hours()->set_start("22:00");
           sub.mutable_quiet_hours()->set_end("06:00");
           auto* w = sub.add_send_windows();
           w->set_day(tv1::MONDAY);
           w->set_start("07:30");
           w->set_end("17:00");
         });
       },
       C::INVALID_ARGUMENT, "subscriber.send_windows"},
      {"holiday outside the year imported",
       [](auto& s) {
         tv1::ImportHolidaysRequest req;
         req.set_year(2027);
         auto* h = req.add_holidays();
         h->set_date("2027-02-06");
         h->set_display_name("Tết Nguyên đán");
         h = req.add_holidays();
         h->set_date("2028-01-01");
         h->set_display_name("Tết Dương lịch");
         tv1::ImportHolidaysResponse out;
         return s.Notifications().ImportHolidays(s.Context(Tokens::kAdmin).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "holidays[1].date"},
      {"inbox with a negative page size",
       [](auto& s) {
         tv1::ListNotificationsRequest req;
         req.set_parent("subscribers/TCCB");
         req.set_page_size(-5);
         tv1::ListNotificationsResponse out;
         return s.Notifications().ListNotifications(s.Context(Tokens::kAdmin).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "page_size"},
      {"inbox with a bad page token",
       [](auto& s) {
         tv1::ListNotificationsRequest req;
         req.set_parent("subscribers/TCCB");
         req.set_page_token("%%%");
         tv1::ListNotificationsResponse out;
         return s.Notifications().ListNotifications(s.Context(Tokens::kAdmin).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "page_token", "INVALID_PAGE_TOKEN"},
      {"resend of a delivery named with SQL",
       [](auto& s) {
         tv1::ResendDeliveryRequest req;
         req.set_name("deliveries/1' OR '1'='1");
         tv1::Delivery out;
         return s.Notifications().ResendDelivery(s.Context(Tokens::kAdmin).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "name", "INVALID_NAME"},
      {"recover without since",
       [](auto& s) {
         tv1::RecoverFailedDeliveriesRequest req;
         req.set_subscriber("subscribers/TCCB");
         tv1::RecoverFailedDeliveriesResponse out;
         return s.Notifications().RecoverFailedDeliveries(s.Context(Tokens::kAdmin).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "since"},
      {"recover since a time out of range",
       [](auto& s) {
         tv1::RecoverFailedDeliveriesRequest req;
         req.set_subscriber("subscribers/TCCB");
         req.mutable_since()->set_seconds(int64_t{1} << 60);
         tv1::RecoverFailedDeliveriesResponse out;
         return s.Notifications().RecoverFailedDeliveries(s.Context(Tokens::kAdmin).get(), req, &out);
       },
       C::INVALID_ARGUMENT, "since"},
      {"subscriber update with an unknown mask path",
       [](auto& s) {
         return UpdateSubscriber(s, {"display_name", "colour"}, [](auto&) {});
       },
       C::INVALID_ARGUMENT, "update_mask.paths[1]", "INVALID_UPDATE_MASK"},
      {"subscriber update of an output-only field",
       [](auto& s) { return UpdateSubscriber(s, {"create_time"}, [](auto&) {}); }, C::INVALID_ARGUMENT,
       "update_mask.paths[0]", "INVALID_UPDATE_MASK"},
      {"subscriber update with a NUL byte in the name",
       [](auto& s) {
         return UpdateSubscriber(s, {"display_name"}, [](auto& sub) {
           sub.set_display_name(std::string("Văn") + std::string(1, '\0') + "phòng");
         });
       },
       C::INVALID_ARGUMENT, "subscriber.display_name"},
      {"subscriber create with a webhook secret not in the whsec_ form",
       [](auto& s) {
         return CreateSubscriber(s, [](auto& sub) {
           sub.set_webhook_url("https://hooks.example.vn/x");
           sub.set_webhook_secret("0123456789abcdef0123456789");
         });
       },
       C::INVALID_ARGUMENT, "subscriber.webhook_secret"},
      {"subscriber update with a short webhook secret",
       [](auto& s) {
         return UpdateSubscriber(s, {"webhook_url", "webhook_secret"}, [](auto& sub) {
           sub.set_webhook_url("https://hooks.example.vn/x");
           sub.set_webhook_secret("short");
         });
       },
       C::INVALID_ARGUMENT, "subscriber.webhook_secret"},
      {"subscriber id already used", [](auto& s) { return CreateSubscriber(s, [](auto& sub) { sub.set_id("TCCB"); }); },
       C::ALREADY_EXISTS, "subscriber.id", "DUPLICATE_ID"},
      {"subscriber update that drops the e-mail a subscription uses",
       [](auto& s) { return UpdateSubscriber(s, {"email"}, [](auto& sub) { sub.set_name("subscribers/KHTC"); }); },
       C::FAILED_PRECONDITION, "subscriber.email", "CHANNEL_IN_USE"},
      {"subscriber update of one that does not exist",
       [](auto& s) {
         return UpdateSubscriber(s, {"display_name"}, [](auto& sub) {
           sub.set_name("subscribers/NOBODY");
           sub.set_display_name("x");
         });
       },
       C::NOT_FOUND, "subscriber.name"},
      {"SQL-looking subscriber name to delete", [sql](auto& s) { return DeleteSubscriber(s, "subscribers/" + sql); },
       C::INVALID_ARGUMENT, "name", "INVALID_NAME"},
      {"delete of a subscriber that does not exist", [](auto& s) { return DeleteSubscriber(s, "subscribers/NOBODY"); },
       C::NOT_FOUND, "name"},
      {"webhook secret rotation of a malformed name", [](auto& s) { return RotateWebhookSecret(s, "subscriber/TCCB"); },
       C::INVALID_ARGUMENT, "name", "INVALID_NAME"},
      {"webhook secret rotation of a subscriber that does not exist",
       [](auto& s) { return RotateWebhookSecret(s, "subscribers/NOBODY"); }, C::NOT_FOUND, "name"},
      {"subscription update of the event type",
       [](auto& s) { return UpdateSubscription(s, TccbSubscription(), {"event_type"}, [](auto&) {}); },
       C::INVALID_ARGUMENT, "update_mask.paths[0]", "INVALID_UPDATE_MASK"},
      {"subscription update with a wrong channel",
       [](auto& s) {
         return UpdateSubscription(s, TccbSubscription(), {"channels"}, [](auto& sub) {
           sub.mutable_channels(0)->set_channel(static_cast<tv1::Channel>(9));
         });
       },
       C::INVALID_ARGUMENT, "subscription.channels[0].channel"},
      {"subscription update with an overlong filter value",
       [](auto& s) {
         return UpdateSubscription(s, TccbSubscription(), {"filter"},
                                   [](auto& sub) { sub.mutable_filter()->add_fields(std::string(201, 'x')); });
       },
       C::INVALID_ARGUMENT, "subscription.filter.fields[0]"},
      {"subscription update of one that does not exist",
       [](auto& s) {
         return UpdateSubscription(s, "subscribers/TCCB/subscriptions/00000000-0000-4000-8000-000000000000",
                                   {"channels"}, [](auto&) {});
       },
       C::NOT_FOUND, "subscription.name"},
  };
}

TEST_F(WholeSystemBadInputTest, EachCaseHasItsStatusNamesItsFieldAndWritesNothing) {
  // The subscriber the inbox cases list.
  ASSERT_TRUE(CreateSubscriber(*stack_, [](auto& sub) {
                sub.set_id("TCCB");
                sub.set_unit("SGDĐT-TCCB");
              }).ok());
  // The subscription the update cases spoil.
  tv1::CreateSubscriptionRequest sub;
  sub.set_parent("subscribers/TCCB");
  sub.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
  sub.mutable_subscription()->add_channels()->set_channel(tv1::INBOX);
  tv1::Subscription created;
  ASSERT_TRUE(stack_->Notifications().CreateSubscription(stack_->Context(Tokens::kAdmin).get(), sub, &created).ok());
  TccbSubscription() = created.name();
  // A subscriber whose e-mail a subscription uses (the FAILED_PRECONDITION case).
  ASSERT_TRUE(CreateSubscriber(*stack_, [](auto& sub) {
                sub.set_id("KHTC");
                sub.set_unit("SGDĐT-KHTC");
                sub.set_email("khtc@example.vn");
              }).ok());
  tv1::CreateSubscriptionRequest by_email;
  by_email.set_parent("subscribers/KHTC");
  by_email.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
  by_email.mutable_subscription()->add_channels()->set_channel(tv1::EMAIL);
  ASSERT_TRUE(
      stack_->Notifications().CreateSubscription(stack_->Context(Tokens::kAdmin).get(), by_email, &created).ok());
  int checked = 0;
  for (const auto& c : Cases()) {
    std::string before = Census();
    grpc::Status status = c.call(*stack_);
    EXPECT_EQ(status.error_code(), c.expected) << c.what << ": " << status.error_message();
    if (*c.field) {
      EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ":", 0), 0u)
          << c.what << ": the message should name " << c.field << ": " << status.error_message();
    }
    if (error_details::CarriesDetails(c.expected)) {
      std::string reason = *c.reason ? c.reason : "INVALID_FIELD";
      // An unparsable request names no field of it: INVALID_REQUEST, no BadRequest.
      std::string field = reason == "INVALID_REQUEST" ? "" : c.field;
      EXPECT_TRUE(HasDetails(status, reason, field)) << c.what;
    } else {
      EXPECT_TRUE(status.error_details().empty()) << c.what << ": only refusals of the AIP-193 codes carry details";
    }
    EXPECT_EQ(Census(), before) << c.what << " wrote something";
    ++checked;
  }
  std::cout << "bad input: " << checked << " cases checked, nothing written\n";
}

}  // namespace
}  // namespace cchc::testing
