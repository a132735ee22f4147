// The outgoing register (sổ văn bản đi) over the real gRPC path against a real PostgreSQL cluster, with TWO replicas:
// two DocumentService instances, each on its own pool and its own gRPC server, on one database. "Now" is an injected
// clock both share, moved across a year boundary and past a reservation's expiry instead of waiting for them.
//   - 16 callers × 100 ReserveNumber spread over both replicas → numbers 01..1600, no gap, no duplicate;
//   - a year boundary: the 2026 register refuses once 2027 begins in Asia/Ho_Chi_Minh, the 2027 one starts at 01;
//   - an expired reservation: CANCELLED by both replicas' expiry at once (counted once), never handed out again,
//     refused to CreateDocument and colliding with a typed code;
//   - CreateDocument with a reservation; typed collisions; the access rules; bad input.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "migrations/migrations.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/outbox.h"
#include "service.h"
#include "store/attachments.h"
#include "store/audit.h"
#include "store/documents.h"
#include "store/lifecycle.h"
#include "store/registers.h"
#include "store/search.h"
#include "support/refusal_details.h"
#include "support/stack.h"

namespace cchc::document {
namespace {

using namespace std::chrono;
using grpc::StatusCode;
using testing::HasDetails;

constexpr const char* kAdmin = "register-admin";
constexpr const char* kEditor = "register-editor-tccb";  // SGDĐT-TCCB: numbers SGDĐT's documents
constexpr const char* kOtherEditor = "register-editor-snv";
constexpr const char* kReader = "register-reader";

// `iso` at hh:mm UTC (Asia/Ho_Chi_Minh is UTC+7).
system_clock::time_point At(const std::string& iso, int hh, int mm = 0) {
  int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
  return sys_days(std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d))) +
         hours(hh) + minutes(mm);
}

// The shared injected clock: 10:00 on 02/03/2026 in Asia/Ho_Chi_Minh unless a test moves it.
std::atomic<int64_t> g_now_us{Micros(At("2026-03-02", 3))};
system_clock::time_point Now() {
  return system_clock::time_point(microseconds(g_now_us.load()));
}
void SetNow(system_clock::time_point t) {
  g_now_us = Micros(t);
}

// One replica: its own pool, stores, service and gRPC server.
struct Replica {
  Replica(const std::string& url, const auth::TokenStore& tokens) {
    std::vector<db::Statement> statements = DocumentStatements();
    for (auto& s : AttachmentStatements()) statements.push_back(std::move(s));
    for (auto& s : RegisterStatements()) statements.push_back(std::move(s));
    for (auto& s : outbox::Statements()) statements.push_back(std::move(s));
    pool = std::make_unique<db::Pool>(url, "document", 8, std::move(statements));
    documents = std::make_unique<DocumentStore>(*pool);
    attachments = std::make_unique<AttachmentStore>(*pool);
    search = std::make_unique<SearchStore>(*pool);
    registers = std::make_unique<RegisterStore>(*pool);
    audit = std::make_unique<AuditStore>(*pool);
    service = std::make_unique<DocumentService>(*documents, *attachments, *search, *registers, *audit, tokens,
                                                ServiceLimits{}, nullptr, &Now);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    stub = v1::DocumentService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  ~Replica() {
    stub.reset();
    server->Shutdown(system_clock::now() + seconds(5));
  }

  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<DocumentStore> documents;
  std::unique_ptr<AttachmentStore> attachments;
  std::unique_ptr<SearchStore> search;
  std::unique_ptr<RegisterStore> registers;
  std::unique_ptr<AuditStore> audit;
  std::unique_ptr<DocumentService> service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<v1::DocumentService::Stub> stub;
};

class DocumentRegisterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg_ = new testing::PostgresCluster();
    const std::string url = pg_->Provision("document");
    {
      pqxx::connection c(url);
      db::ApplyMigrations(c, "document", db::WithPlatformMigrations(Migrations()));
    }
    tokens_ = new auth::TokenStore(auth::TokenStore::Parse(
        crypto::Sha256Hex(kAdmin) + " SGDĐT admin\n" + crypto::Sha256Hex(kEditor) + " SGDĐT-TCCB editor\n" +
        crypto::Sha256Hex(kOtherEditor) + " SNV editor\n" + crypto::Sha256Hex(kReader) + " PUBLIC reader\n"));
    a_ = new Replica(url, *tokens_);
    b_ = new Replica(url, *tokens_);
  }
  static void TearDownTestSuite() {
    delete a_;
    delete b_;
    delete tokens_;
    delete pg_;
  }
  void SetUp() override { SetNow(At("2026-03-02", 3)); }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) { return testing::CallContext(token, 20); }

  // A register created through replica A as admin; the test fails on an error.
  static v1::Register NewRegister(const std::string& issuer, int year, std::vector<std::string> types,
                                  bool official_letters = false) {
    v1::CreateRegisterRequest req;
    auto* r = req.mutable_register_();
    r->set_display_name("Sổ văn bản đi " + issuer + " " + std::to_string(year));
    r->set_issuer_code(issuer);
    r->set_year(year);
    for (auto& t : types) r->add_type_abbreviations(t);
    r->set_official_letters(official_letters);
    v1::Register out;
    auto s = a_->stub->CreateRegister(Ctx(kAdmin).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static grpc::Status Reserve(Replica& replica, const std::string& token, const std::string& reg,
                              v1::Reservation* out) {
    v1::ReserveNumberRequest req;
    req.set_register_(reg);
    return replica.stub->ReserveNumber(Ctx(token).get(), req, out);
  }
  static v1::Reservation MustReserve(const std::string& reg) {
    v1::Reservation out;
    auto s = Reserve(*a_, kEditor, reg, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static v1::Document Doc(const std::string& code, const std::string& issue_date = "2026-03-02") {
    v1::Document d;
    d.set_code(code);
    d.set_issue_date(issue_date);
    d.set_subject("Về việc cải cách hành chính");
    d.set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
    return d;
  }
  static grpc::Status Create(Replica& replica, const std::string& token, const v1::Document& d,
                             const std::string& reservation, v1::Document* out) {
    v1::CreateDocumentRequest req;
    *req.mutable_document() = d;
    req.set_reservation(reservation);
    return replica.stub->CreateDocument(Ctx(token).get(), req, out);
  }
  static std::string Value(const std::string& sql) { return pg_->Value(sql); }

  static inline testing::PostgresCluster* pg_ = nullptr;
  static inline auth::TokenStore* tokens_ = nullptr;
  static inline Replica* a_ = nullptr;
  static inline Replica* b_ = nullptr;
};

TEST_F(DocumentRegisterTest, SixteenCallersOnTwoReplicasGetEveryNumberOnce) {
  v1::Register reg = NewRegister("SGDĐT", 2026, {"KH"});
  constexpr int kCallers = 16, kEach = 100;
  std::mutex mu;
  std::vector<int64_t> numbers;
  std::set<std::string> names;
  std::atomic<int> failures{0};
  const auto started = steady_clock::now();
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      Replica& replica = i % 2 == 0 ? *a_ : *b_;  // half the callers on each replica
      std::vector<v1::Reservation> mine;
      for (int k = 0; k < kEach; ++k) {
        v1::Reservation out;
        if (auto s = Reserve(replica, i % 4 == 1 ? kAdmin : kEditor, reg.name(), &out); !s.ok()) {
          ++failures;
          ADD_FAILURE() << s.error_message();
          continue;
        }
        mine.push_back(std::move(out));
      }
      std::lock_guard lock(mu);
      for (const auto& r : mine) {
        numbers.push_back(std::stoll(r.number()));
        names.insert(r.name());
        EXPECT_EQ(r.state(), v1::RESERVED);
        EXPECT_GE(r.number().size(), 2u) << r.number();
        EXPECT_EQ(r.name(), reg.name() + "/reservations/" + std::to_string(std::stoll(r.number())));
      }
    });
  }
  for (auto& t : callers) t.join();
  const auto elapsed = duration_cast<milliseconds>(steady_clock::now() - started).count();
  std::cout << "1,600 ReserveNumber calls (16 callers, 2 replicas): " << elapsed << " ms\n";
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(numbers.size(), size_t{kCallers * kEach});
  std::sort(numbers.begin(), numbers.end());
  for (int n = 1; n <= kCallers * kEach; ++n) ASSERT_EQ(numbers[n - 1], n) << "a gap or a duplicate at " << n;
  EXPECT_EQ(names.size(), numbers.size());
  const std::string id = reg.name().substr(10);
  EXPECT_EQ(Value("SELECT count(*) || '/' || count(DISTINCT number) || '/' || max(number) FROM "
                  "document.register_reservations WHERE register_id = '" +
                  id + "'"),
            "1600/1600/1600");
  EXPECT_EQ(Value("SELECT last_number FROM document.registers WHERE id = '" + id + "'"), "1600");
  v1::Reservation first;
  ASSERT_TRUE(Reserve(*b_, kEditor, reg.name(), &first).ok());
  EXPECT_EQ(first.number(), "1601");
}

TEST_F(DocumentRegisterTest, ANewYearStartsFromZeroOneInItsOwnRegister) {
  SetNow(At("2026-12-31", 16, 30));  // 23:30 on 31/12/2026 in Asia/Ho_Chi_Minh
  v1::Register y2026 = NewRegister("SYT", 2026, {"QĐ", "TB"});
  v1::Register y2027 = NewRegister("SYT", 2027, {"QĐ", "TB"});  // the same types, another year: allowed
  std::string last;
  for (int i = 0; i < 40; ++i) {
    v1::Reservation r;
    ASSERT_TRUE(Reserve(i % 2 ? *a_ : *b_, kAdmin, y2026.name(), &r).ok());
    last = r.number();
  }
  EXPECT_EQ(last, "40");
  v1::Reservation r;
  auto early = Reserve(*a_, kAdmin, y2027.name(), &r);
  EXPECT_EQ(early.error_code(), StatusCode::FAILED_PRECONDITION) << early.error_message();
  EXPECT_NE(early.error_message().find("has not begun"), std::string::npos) << early.error_message();

  SetNow(At("2026-12-31", 17, 0));  // 00:00 on 01/01/2027
  auto late = Reserve(*b_, kAdmin, y2026.name(), &r);
  EXPECT_EQ(late.error_code(), StatusCode::FAILED_PRECONDITION) << late.error_message();
  EXPECT_TRUE(HasDetails(late, "WRONG_STATE", "register"));
  ASSERT_TRUE(Reserve(*a_, kAdmin, y2027.name(), &r).ok());
  EXPECT_EQ(r.number(), "01");
  ASSERT_TRUE(Reserve(*b_, kAdmin, y2027.name(), &r).ok());
  EXPECT_EQ(r.number(), "02");
  EXPECT_EQ(Value("SELECT last_number FROM document.registers WHERE id = '" + y2026.name().substr(10) + "'"), "40");
}

TEST_F(DocumentRegisterTest, AnExpiredReservationIsCancelledOnceAndNeverHandedOutAgain) {
  v1::Register reg = NewRegister("SGDĐT", 2026, {"TB", "CTr"});
  v1::Reservation kept = MustReserve(reg.name());     // 01: used before it expires
  v1::Reservation expired = MustReserve(reg.name());  // 02: left unused
  v1::Document used;
  ASSERT_TRUE(Create(*a_, kEditor, Doc("01/TB-SGDĐT"), kept.name(), &used).ok());

  // Six days later nothing expires; seven days and a second later, 02 does — both replicas' schedulers at once.
  SetNow(At("2026-03-08", 3));
  EXPECT_EQ(a_->registers->ExpireUnused(Now(), 7), 0);
  SetNow(At("2026-03-09", 3, 0) + seconds(1));
  int cancelled_a = 0, cancelled_b = 0;
  std::thread ta([&] { cancelled_a = a_->registers->ExpireUnused(Now(), 7); });
  std::thread tb([&] { cancelled_b = b_->registers->ExpireUnused(Now(), 7); });
  ta.join();
  tb.join();
  EXPECT_GE(cancelled_a + cancelled_b, 1);  // other tests' reservations may expire too, each once
  const std::string id = reg.name().substr(10);
  EXPECT_EQ(Value("SELECT string_agg(number || ':' || state || ':' || expired, ',' ORDER BY number) FROM "
                  "document.register_reservations WHERE register_id = '" +
                  id + "'"),
            "1:2:false,2:3:true");
  EXPECT_EQ(b_->registers->ExpireUnused(Now(), 7), 0);  // idempotent

  // Never handed out again: the next number is 03.
  EXPECT_EQ(MustReserve(reg.name()).number(), "03");
  // Refused to CreateDocument, and a typed code with its number collides.
  v1::Document out;
  auto s = Create(*b_, kEditor, Doc("02/TB-SGDĐT"), expired.name(), &out);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_NE(s.error_message().find("expired"), std::string::npos) << s.error_message();
  s = Create(*a_, kEditor, Doc("02/CTr-SGDĐT"), "", &out);
  EXPECT_EQ(s.error_code(), StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_NE(s.error_message().find(expired.name()), std::string::npos) << s.error_message();
  EXPECT_TRUE(HasDetails(s, "DUPLICATE_CODE", "document.code"));
  // Cancelling it again changes nothing.
  v1::CancelReservationRequest cancel;
  cancel.set_name(expired.name());
  v1::Reservation again;
  ASSERT_TRUE(a_->stub->CancelReservation(Ctx(kEditor).get(), cancel, &again).ok());
  EXPECT_EQ(again.state(), v1::CANCELLED);
  EXPECT_TRUE(again.expired());
  EXPECT_EQ(Value("SELECT count(*) FROM document.documents WHERE code LIKE '02/%'"), "0");
}

TEST_F(DocumentRegisterTest, AReservationPastItsDaysIsRefusedBeforeTheSchedulerRuns) {
  v1::Register reg = NewRegister("SGTVT", 2026, {"QĐ"});
  v1::Reservation r;
  ASSERT_TRUE(Reserve(*a_, kAdmin, reg.name(), &r).ok());
  SetNow(At("2026-03-09", 3) + seconds(1));
  v1::Document out;
  auto s = Create(*b_, kAdmin, Doc("01/QĐ-SGTVT"), r.name(), &out);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION) << s.error_message();
}

TEST_F(DocumentRegisterTest, CreateDocumentUsesItsReservationOnce) {
  v1::Register reg = NewRegister("SGDĐT", 2026, {"QĐ", "HD"}, true);
  v1::Reservation r = MustReserve(reg.name());
  ASSERT_EQ(r.number(), "01");
  const std::string before = Value("SELECT count(*) FROM document.documents");

  // Mismatches are INVALID_ARGUMENT naming the field, and write nothing (the reservation stays RESERVED).
  struct Bad {
    const char* code;
    const char* date;
    const char* field;
  } bad[] = {
      {"02/QĐ-SGDĐT", "2026-03-02", "document.code"},        // not the reserved number
      {"01/BB-SGDĐT", "2026-03-02", "document.code"},        // a type the register does not number
      {"01/QĐ-SNV", "2026-03-02", "document.code"},          // another issuer
      {"01/QĐ-SGDĐT", "2025-12-30", "document.issue_date"},  // another year
  };
  for (const auto& c : bad) {
    v1::Document out;
    auto s = Create(*a_, kEditor, Doc(c.code, c.date), r.name(), &out);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << c.code << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << s.error_message();
    EXPECT_TRUE(HasDetails(s, "INVALID_FIELD", c.field)) << c.code;
  }
  EXPECT_EQ(Value("SELECT count(*) FROM document.documents"), before);

  // Another unit's editor may not use SGDĐT's number.
  v1::Document out;
  auto denied = Create(*b_, kOtherEditor, Doc("01/QĐ-SGDĐT"), r.name(), &out);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED) << denied.error_message();

  // The code carries the reserved number ("1" is number 01 too); the reservation is USED by the document.
  ASSERT_TRUE(Create(*b_, kEditor, Doc("01/QĐ-SGDĐT"), r.name(), &out).ok());
  EXPECT_EQ(Value("SELECT state || ':' || document_id FROM document.register_reservations WHERE register_id = '" +
                  reg.name().substr(10) + "' AND number = 1"),
            "2:" + out.name().substr(10));
  // Used twice: FAILED_PRECONDITION, nothing written.
  v1::Document second;
  auto twice = Create(*a_, kEditor, Doc("01/HD-SGDĐT"), r.name(), &second);
  EXPECT_EQ(twice.error_code(), StatusCode::FAILED_PRECONDITION) << twice.error_message();
  EXPECT_TRUE(HasDetails(twice, "WRONG_STATE", "reservation"));
  EXPECT_EQ(Value("SELECT count(*) FROM document.documents WHERE code = '01/HD-SGDĐT'"), "0");
  // A used reservation cannot be cancelled.
  v1::CancelReservationRequest cancel;
  cancel.set_name(r.name());
  v1::Reservation c;
  EXPECT_EQ(a_->stub->CancelReservation(Ctx(kEditor).get(), cancel, &c).error_code(), StatusCode::FAILED_PRECONDITION);

  // Công văn numbered by the same register.
  v1::Reservation cv = MustReserve(reg.name());
  ASSERT_TRUE(Create(*a_, kEditor, Doc("02/SGDĐT-TCCB"), cv.name(), &out).ok()) << cv.name();
}

TEST_F(DocumentRegisterTest, ATypedNumberAllocatedInTheRegisterIsAlreadyExists) {
  v1::Register reg = NewRegister("SNV", 2026, {"KH"});
  v1::Reservation reserved, cancelled;
  ASSERT_TRUE(Reserve(*a_, kOtherEditor, reg.name(), &reserved).ok());
  ASSERT_TRUE(Reserve(*b_, kOtherEditor, reg.name(), &cancelled).ok());
  v1::CancelReservationRequest cancel;
  cancel.set_name(cancelled.name());
  v1::Reservation out_cancel;
  ASSERT_TRUE(b_->stub->CancelReservation(Ctx(kOtherEditor).get(), cancel, &out_cancel).ok());
  EXPECT_EQ(out_cancel.state(), v1::CANCELLED);
  EXPECT_FALSE(out_cancel.expired());
  for (const auto& r : {reserved, cancelled}) {
    v1::Document out;
    auto s = Create(*a_, kOtherEditor, Doc(r.number() + "/KH-SNV"), "", &out);
    EXPECT_EQ(s.error_code(), StatusCode::ALREADY_EXISTS) << s.error_message();
    EXPECT_NE(s.error_message().find(r.name()), std::string::npos) << s.error_message();
  }
  // A number the register has not handed out, another year, or a type it does not number: accepted.
  v1::Document out;
  EXPECT_TRUE(Create(*a_, kOtherEditor, Doc("99/KH-SNV"), "", &out).ok());
  EXPECT_TRUE(Create(*a_, kOtherEditor, Doc("01/KH-SNV", "2025-05-05"), "", &out).ok());
  EXPECT_TRUE(Create(*a_, kOtherEditor, Doc("01/TB-SNV"), "", &out).ok());
  // The existing duplicate-code rule still holds.
  auto dup = Create(*b_, kOtherEditor, Doc("99/KH-SNV"), "", &out);
  EXPECT_EQ(dup.error_code(), StatusCode::ALREADY_EXISTS);
}

TEST_F(DocumentRegisterTest, WhoMayDoWhat) {
  v1::Register reg = NewRegister("SGDĐT", 2026, {"BC"});
  struct Row {
    const char* what;
    const char* token;  // "" no token
    StatusCode create, get, list, reserve;
  } rows[] = {
      {"admin", kAdmin, StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::OK},
      {"editor of the issuer", kEditor, StatusCode::PERMISSION_DENIED, StatusCode::OK, StatusCode::OK, StatusCode::OK},
      {"editor of another issuer", kOtherEditor, StatusCode::PERMISSION_DENIED, StatusCode::OK, StatusCode::OK,
       StatusCode::PERMISSION_DENIED},
      {"reader", kReader, StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED,
       StatusCode::PERMISSION_DENIED},
      {"no token", "", StatusCode::UNAUTHENTICATED, StatusCode::UNAUTHENTICATED, StatusCode::UNAUTHENTICATED,
       StatusCode::UNAUTHENTICATED},
  };
  int year = 2030;
  for (const auto& row : rows) {
    v1::CreateRegisterRequest create;
    create.mutable_register_()->set_display_name("Sổ báo cáo");
    create.mutable_register_()->set_issuer_code("SGDĐT");
    create.mutable_register_()->set_year(year++);
    create.mutable_register_()->add_type_abbreviations("BC");
    v1::Register r;
    EXPECT_EQ(a_->stub->CreateRegister(Ctx(row.token).get(), create, &r).error_code(), row.create) << row.what;
    v1::GetRegisterRequest get;
    get.set_name(reg.name());
    EXPECT_EQ(b_->stub->GetRegister(Ctx(row.token).get(), get, &r).error_code(), row.get) << row.what;
    v1::ListRegistersResponse list;
    EXPECT_EQ(a_->stub->ListRegisters(Ctx(row.token).get(), v1::ListRegistersRequest(), &list).error_code(), row.list)
        << row.what;
    v1::Reservation v;
    EXPECT_EQ(Reserve(*b_, row.token, reg.name(), &v).error_code(), row.reserve) << row.what;
  }
  // Cancelling: the issuer's editors and admin only.
  v1::Reservation v = MustReserve(reg.name());
  v1::CancelReservationRequest cancel;
  cancel.set_name(v.name());
  v1::Reservation out;
  EXPECT_EQ(a_->stub->CancelReservation(Ctx(kOtherEditor).get(), cancel, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(a_->stub->CancelReservation(Ctx(kReader).get(), cancel, &out).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(a_->stub->CancelReservation(Ctx(kEditor).get(), cancel, &out).ok());
  EXPECT_EQ(out.state(), v1::CANCELLED);
}

TEST_F(DocumentRegisterTest, BadInputNamesTheFieldAndWritesNothing) {
  v1::Register reg = NewRegister("SCT", 2026, {"QĐ", "KH"});
  const std::string before = Value("SELECT count(*) || '/' || sum(last_number) FROM document.registers");
  struct Case {
    const char* name;
    std::function<void(v1::Register&)> spoil;
    const char* field;
    StatusCode code = StatusCode::INVALID_ARGUMENT;
    const char* reason = "INVALID_FIELD";
  } cases[] = {
      {"no display name", [](v1::Register& r) { r.clear_display_name(); }, "register.display_name"},
      {"year 1999", [](v1::Register& r) { r.set_year(1999); }, "register.year"},
      {"unknown type", [](v1::Register& r) { r.add_type_abbreviations("ZZ"); }, "register.type_abbreviations[1]"},
      {"VBQPPL with others", [](v1::Register& r) { r.set_legal_normative_type("QĐ"); },
       "register.legal_normative_type"},
      {"a type another register numbers", [](v1::Register& r) { r.add_type_abbreviations("TB"); },
       "register.type_abbreviations", StatusCode::ALREADY_EXISTS, "RESOURCE_EXISTS"},
  };
  for (const auto& c : cases) {
    v1::CreateRegisterRequest req;
    auto* r = req.mutable_register_();
    r->set_display_name("Sổ");
    r->set_issuer_code("SCT");
    r->set_year(2026);
    r->add_type_abbreviations("KH");
    c.spoil(*r);
    v1::Register out;
    auto s = a_->stub->CreateRegister(Ctx(kAdmin).get(), req, &out);
    EXPECT_EQ(s.error_code(), c.code) << c.name << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << c.name << ": " << s.error_message();
    EXPECT_TRUE(HasDetails(s, c.reason, c.field)) << c.name;
  }
  // Names.
  v1::Reservation v;
  auto s = Reserve(*a_, kAdmin, "registers/nope", &v);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasDetails(s, "INVALID_NAME", "register"));
  s = Reserve(*a_, kAdmin, "registers/00000000-0000-4000-8000-000000000000", &v);
  EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND) << s.error_message();
  v1::CancelReservationRequest cancel;
  cancel.set_name(reg.name() + "/reservations/0");
  EXPECT_EQ(a_->stub->CancelReservation(Ctx(kAdmin).get(), cancel, &v).error_code(), StatusCode::INVALID_ARGUMENT);
  cancel.set_name(reg.name() + "/reservations/5");
  EXPECT_EQ(a_->stub->CancelReservation(Ctx(kAdmin).get(), cancel, &v).error_code(), StatusCode::NOT_FOUND);
  v1::Document doc;
  s = Create(*a_, kAdmin, Doc("01/QĐ-SCT"), "registers/x/reservations/1", &doc);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasDetails(s, "INVALID_NAME", "reservation"));
  s = Create(*a_, kAdmin, Doc("01/QĐ-SCT"), reg.name() + "/reservations/1", &doc);
  EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND) << s.error_message();
  v1::ListRegistersRequest list;
  list.set_year(1800);
  v1::ListRegistersResponse listed;
  EXPECT_EQ(a_->stub->ListRegisters(Ctx(kAdmin).get(), list, &listed).error_code(), StatusCode::INVALID_ARGUMENT);
  list.set_year(0);
  list.set_page_token("forged");
  EXPECT_EQ(a_->stub->ListRegisters(Ctx(kAdmin).get(), list, &listed).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Value("SELECT count(*) || '/' || sum(last_number) FROM document.registers"), before);
  EXPECT_EQ(Value("SELECT count(*) FROM document.documents WHERE issuer_key = 'sct'"), "0");
}

TEST_F(DocumentRegisterTest, ListRegistersPagesByIssuerAndYear) {
  for (int year = 2040; year < 2045; ++year) NewRegister("SKHĐT", year, {"QĐ"});
  v1::ListRegistersRequest req;
  req.set_issuer_code("skhdt");
  req.set_page_size(2);
  std::vector<int> years;
  for (int page = 0; page < 5; ++page) {
    v1::ListRegistersResponse out;
    ASSERT_TRUE(b_->stub->ListRegisters(Ctx(kEditor).get(), req, &out).ok());
    for (const auto& r : out.registers()) years.push_back(r.year());
    if (out.next_page_token().empty()) break;
    req.set_page_token(out.next_page_token());
  }
  EXPECT_EQ(years, (std::vector<int>{2040, 2041, 2042, 2043, 2044}));
  v1::ListRegistersRequest one;
  one.set_issuer_code("SKHĐT");
  one.set_year(2042);
  v1::ListRegistersResponse out;
  ASSERT_TRUE(a_->stub->ListRegisters(Ctx(kEditor).get(), one, &out).ok());
  ASSERT_EQ(out.registers_size(), 1);
  EXPECT_EQ(out.registers(0).year(), 2042);
  EXPECT_EQ(out.registers(0).type_abbreviations(0), "QĐ");
}

}  // namespace
}  // namespace cchc::document
