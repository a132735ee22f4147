#pragma once
// The whole system for the examples' tests (examples/python/cchc_client.py, the README's kcat recipes): one
// SystemStack with the demo's documents imported (26 published, all "Cải cách hành chính") and the TCCB
// office subscribed by inbox to published documents of "Tổ chức cán bộ" only, so its inbox stays empty until a
// test publishes one.
#include <string>

#include "system/system_stack.h"

namespace cchc::testing {

// What a command printed and how it ended.
struct CommandResult {
  int exit_code = -1;  // the exit status, or -1 when it did not exit normally
  std::string out, err;
};

class ExamplesTest : public WholeSystemTest {
 protected:
  static void SetUpTestSuite();

  // Runs `command` through /bin/sh with stdout and stderr captured apart; never throws on a failed command.
  static CommandResult Run(const std::string& command);
  // The command line of examples/python/cchc_client.py under /usr/bin/python3, with the stack's addresses, the
  // stubs the build generated and `token`, followed by `args` (already quoted for the shell).
  static std::string Client(const std::string& args, const std::string& token = "");
  // Publishes a document of `field` issued on 2018-06-20 as the TCCB editor; returns it as published.
  static dv1::Document Publish(const std::string& code, const std::string& subject, const std::string& field);
};

// `text` quoted for /bin/sh (single quotes).
std::string ShellQuote(const std::string& text);

}  // namespace cchc::testing
