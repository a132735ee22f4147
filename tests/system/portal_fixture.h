#pragma once
// The portal over the whole system: one SystemStack with the demo data loaded as `tools/dev up` loads it
// (documents, the seed article, school years, the scoring demo), and portal-service started on a free port
// with its own token (roles reader and portal) and a CSRF secret file.
#include <httplib.h>

#include <memory>
#include <string>

#include "system/system_stack.h"

namespace cchc::testing {

inline constexpr const char* kSeedSlug = "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016";

class PortalTest : public WholeSystemTest {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // (Re)starts the portal and waits for /readyz.
  static void StartPortal();
  static std::string Base() { return "http://127.0.0.1:" + std::to_string(port_); }
  static httplib::Client Http();
  // The portal's /metrics.
  static std::string PortalMetrics();
  // cchcctl's command line with every service's address and `token`, for a script to run.
  static std::string CchcctlCommand(const std::string& token);

  static inline std::unique_ptr<Process> portal_;
  static inline int port_ = 0, metrics_port_ = 0;
};

}  // namespace cchc::testing
