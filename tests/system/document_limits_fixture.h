#pragma once
// The document service with the limits of issue 22's targets: the read caches at their default byte budget with
// a TTL long enough that only the byte bound evicts, attachments up to 21 MiB, 20 concurrent downloads and a short
// idle deadline; page tokens signed with the key in dir_/page-token-keys.
#include <string>

#include "document_fixture.h"

namespace cchc::testing {

class DocumentLimitsTest : public DocumentServiceTest {
 public:
  static void SetUpTestSuite();

  static constexpr double kReadCacheBytes = 64.0 * 1024 * 1024;  // the default
  static constexpr int64_t kMaxAttachmentBytes = int64_t{21} << 20;
  static constexpr int kDownloadConcurrency = 20;
  static constexpr int kDownloadIdleSeconds = 3;

  // Creates and publishes `count` documents issued in 2018 with long subjects (as the editor).
  static void PublishDocuments(int count);
};

}  // namespace cchc::testing
