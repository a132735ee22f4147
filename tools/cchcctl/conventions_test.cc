#include "conventions.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "cchc/document/v1/document.pb.h"
#include "platform/error_details.h"

namespace cchc::cchcctl {
namespace {

using grpc::StatusCode;

TEST(ExitCodeTest, AFailedCallExitsWith64PlusItsStatusCodeAsGrpcurlDoes) {
  EXPECT_EQ(ExitCodeForStatus(StatusCode::OK), 0);
  EXPECT_EQ(ExitCodeForStatus(StatusCode::CANCELLED), 65);
  EXPECT_EQ(ExitCodeForStatus(StatusCode::INVALID_ARGUMENT), 67);
  EXPECT_EQ(ExitCodeForStatus(StatusCode::NOT_FOUND), 69);
  EXPECT_EQ(ExitCodeForStatus(StatusCode::PERMISSION_DENIED), 71);
  EXPECT_EQ(ExitCodeForStatus(StatusCode::UNAVAILABLE), 78);
  EXPECT_EQ(ExitCodeForStatus(StatusCode::UNAUTHENTICATED), 80);
}

TEST(ExitCodeTest, OnlyACallTheServiceRefusedMapsItsCodeALocalFailureExits1) {
  EXPECT_EQ(ExitCodeFor(RpcError(StatusCode::NOT_FOUND, "documents/9")), 69);
  EXPECT_EQ(ExitCodeFor(RpcError(StatusCode::UNAUTHENTICATED, "no token")), 80);
  // "cannot read x.json" is reported as NOT_FOUND, but no service said so.
  EXPECT_EQ(ExitCodeFor(StatusError(StatusCode::NOT_FOUND, "cannot read x.json")), kExitLocalError);
  EXPECT_EQ(ExitCodeFor(std::runtime_error("anything else")), kExitLocalError);
  EXPECT_EQ(kExitLocalError, 1);
  EXPECT_EQ(kExitUsageError, 2);
}

TEST(ErrorLineTest, ARefusalPrintsItsReasonAndFieldsAfterTheMessageAndKeepsItsExitCode) {
  namespace pv1 = cchc::platform::v1;
  // What a service sends (services/platform/error_details.h), as the client receives it.
  grpc::Status refused = error_details::ErrorStatus(
      StatusCode::INVALID_ARGUMENT, "document.code: must be số/KÝ HIỆU, e.g. 998/QĐ-SGDĐT", pv1::INVALID_DOCUMENT_CODE);
  RpcError invalid(refused, refused.error_message());
  EXPECT_EQ(ErrorLine(invalid.Code(), invalid),
            "error: INVALID_ARGUMENT: document.code: must be số/KÝ HIỆU, e.g. 998/QĐ-SGDĐT "
            "[reason INVALID_DOCUMENT_CODE, field document.code]");
  EXPECT_EQ(ExitCodeFor(invalid), 67);

  grpc::Status state = error_details::ErrorStatus(StatusCode::FAILED_PRECONDITION,
                                                  "period: periods/3 is OPEN; submitting needs it SELF_ASSESSMENT",
                                                  pv1::WRONG_PERIOD_STATE);
  RpcError precondition(state, state.error_message());
  EXPECT_EQ(ErrorLine(precondition.Code(), precondition),
            "error: FAILED_PRECONDITION: period: periods/3 is OPEN; submitting needs it SELF_ASSESSMENT "
            "[reason WRONG_PERIOD_STATE, field period]");
  EXPECT_EQ(ExitCodeFor(precondition), 73);

  grpc::Status conflict = error_details::ErrorStatus(StatusCode::ABORTED, "a concurrent change held this one up");
  EXPECT_EQ(DetailsSuffix(conflict), " [reason CONCURRENT_CHANGE]");

  // No details: the line is as before.
  RpcError missing(grpc::Status(StatusCode::NOT_FOUND, "name: documents/9 does not exist"),
                   "name: documents/9 does not exist");
  EXPECT_EQ(ErrorLine(missing.Code(), missing), "error: NOT_FOUND: name: documents/9 does not exist");
  EXPECT_EQ(ExitCodeFor(missing), 69);
  EXPECT_EQ(ErrorLine(StatusCode::INVALID_ARGUMENT, StatusError(StatusCode::INVALID_ARGUMENT, "--at: RFC 3339")),
            "error: INVALID_ARGUMENT: --at: RFC 3339");
}

TEST(ErrorLineTest, AnImportKeepsEachRefusalsDetails) {
  grpc::Status refused = error_details::ErrorStatus(StatusCode::ALREADY_EXISTS, "unit.code: X already exists",
                                                    cchc::platform::v1::DUPLICATE_CODE);
  std::ostringstream err;
  ImportRun run(2, true, err, false);
  run.Run("a", [&] { throw RpcError(refused, refused.error_message()); });
  run.Run("b", [] {});
  try {
    run.Finish();
    ADD_FAILURE() << "no throw";
  } catch (const RpcError& e) {
    EXPECT_EQ(ExitCodeFor(e), 70);
    EXPECT_EQ(ErrorLine(e.Code(), e),
              "error: ALREADY_EXISTS: 1 of 2 failed; first: a: unit.code: X already exists "
              "[reason DUPLICATE_CODE, field unit.code]");
  }
  EXPECT_EQ(err.str(),
            "error: ALREADY_EXISTS: a: unit.code: X already exists [reason DUPLICATE_CODE, field unit.code]\n"
            "done 1, failed 1\n");
}

TEST(JsonLineTest, OneCompactObjectWithProtoFieldNamesAndNoNewline) {
  cchc::document::v1::Document doc;
  doc.set_name("documents/1");
  doc.set_code("998/QĐ-SGDĐT");
  doc.set_subject("dòng một\ndòng hai");
  doc.set_issue_date("2016-05-03");
  std::string line = JsonLine(doc);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(line.find(": "), std::string::npos) << line;
  EXPECT_EQ(line.find(", "), std::string::npos) << line;
  EXPECT_EQ(line.rfind(R"({"name":"documents/1","code":"998/QĐ-SGDĐT",)", 0), 0u) << line;
  EXPECT_NE(line.find(R"("issue_date":"2016-05-03")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("subject":"dòng một\ndòng hai")"), std::string::npos) << line;  // escaped, not a break
}

TEST(JsonLineTest, AStreamIsOneObjectPerLine) {
  std::ostringstream out;
  cchc::document::v1::Document a, b;
  a.set_name("documents/1");
  b.set_name("documents/2");
  PrintJsonLine(out, a);
  PrintJsonLine(out, b);
  EXPECT_EQ(out.str(), "{\"name\":\"documents/1\"}\n{\"name\":\"documents/2\"}\n");
}

TEST(ImportRunTest, ProgressAndSummaryLines) {
  EXPECT_EQ(ProgressLine(3, 10), "\r3/10");
  EXPECT_EQ(ImportSummary(8, 2), "done 8, failed 2");
}

TEST(ImportRunTest, StopsAtTheFirstFailureByDefaultKeepingItsKindAndCode) {
  std::ostringstream err;
  ImportRun run(3, false, err, false);
  int ran = 0;
  EXPECT_TRUE(run.Run("a", [&] { ++ran; }));
  try {
    run.Run("b", [] { throw RpcError(StatusCode::PERMISSION_DENIED, "not yours"); });
    ADD_FAILURE() << "no throw";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.Code(), StatusCode::PERMISSION_DENIED);
    EXPECT_STREQ(e.what(), "b: not yours");
  }
  try {
    run.Run("c", [] { throw StatusError(StatusCode::INVALID_ARGUMENT, "not JSON"); });
    ADD_FAILURE() << "no throw";
  } catch (const RpcError&) {
    ADD_FAILURE() << "a local failure became a failed call";
  } catch (const StatusError& e) {
    EXPECT_EQ(ExitCodeFor(e), kExitLocalError);
    EXPECT_STREQ(e.what(), "c: not JSON");
  }
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(err.str(), "");  // no progress when stderr is not a terminal, no summary without the flag
}

TEST(ImportRunTest, ContinueOnErrorGoesOnAndEndsWithTheSummaryAndTheFirstFailuresCode) {
  std::ostringstream err;
  ImportRun run(4, true, err, false);
  int ran = 0;
  EXPECT_TRUE(run.Run("a", [&] { ++ran; }));
  EXPECT_FALSE(run.Run("b", [] { throw RpcError(StatusCode::NOT_FOUND, "gone"); }));
  EXPECT_FALSE(run.Run("c", [] { throw RpcError(StatusCode::PERMISSION_DENIED, "not yours"); }));
  EXPECT_TRUE(run.Run("d", [&] { ++ran; }));
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(run.done(), 2u);
  EXPECT_EQ(run.failed(), 2u);
  try {
    run.Finish();
    ADD_FAILURE() << "no throw";
  } catch (const RpcError& e) {
    EXPECT_EQ(ExitCodeFor(e), 69);
    EXPECT_STREQ(e.what(), "2 of 4 failed; first: b: gone");
  }
  EXPECT_EQ(err.str(), "error: NOT_FOUND: b: gone\nerror: PERMISSION_DENIED: c: not yours\ndone 2, failed 2\n");
}

TEST(ImportRunTest, ContinueOnErrorWithNoFailureSucceedsWithItsSummary) {
  std::ostringstream err;
  ImportRun run(2, true, err, false);
  run.Run("a", [] {});
  run.Run("b", [] {});
  EXPECT_NO_THROW(run.Finish());
  EXPECT_EQ(err.str(), "done 2, failed 0\n");
}

TEST(ImportRunTest, ALocalFailureFirstEndsAsALocalError) {
  std::ostringstream err;
  ImportRun run(2, true, err, false);
  run.Run("a", [] { throw std::runtime_error("[json.exception.type_error.302] type must be string"); });
  run.Run("b", [] { throw RpcError(StatusCode::NOT_FOUND, "gone"); });
  try {
    run.Finish();
    ADD_FAILURE() << "no throw";
  } catch (const std::exception& e) {
    EXPECT_EQ(ExitCodeFor(e), kExitLocalError);
  }
}

TEST(ImportRunTest, ProgressOnATerminalRewritesOneLine) {
  std::ostringstream err;
  ImportRun run(3, true, err, true);
  run.Run("a", [] {});
  run.Run("b", [] { throw RpcError(StatusCode::ALREADY_EXISTS, "twice"); });
  run.Run("c", [] {});
  EXPECT_THROW(run.Finish(), RpcError);
  EXPECT_EQ(err.str(), "\r1/3\nerror: ALREADY_EXISTS: b: twice\n\r2/3\r3/3\ndone 2, failed 1\n");
}

}  // namespace
}  // namespace cchc::cchcctl
