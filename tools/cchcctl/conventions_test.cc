#include "conventions.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "cchc/document/v1/document.pb.h"

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
