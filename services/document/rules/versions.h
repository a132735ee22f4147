#pragma once
// Versions (phiên bản) of documents and attachments, issue 29: what a kept version holds, its resource name, and
// which old versions the bound on how many are kept drops. Pure functions; the store is store/versions.h.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "cchc/document/v1/document.pb.h"

namespace cchc::document {

// The default of --max-document-versions: versions kept per document, and per file name of its attachments.
inline constexpr int kDefaultMaxVersions = 200;

// What a version keeps of `doc`: its content and status as they were, numbered `version` — not its attachments
// (they have versions of their own), its counters, its etag, nor what is computed as of today (validity,
// replaced_by).
v1::Document VersionSnapshot(v1::Document doc, int64_t version);

// documents/{uuid}/versions/{n} → (uuid, n) with n ≥ 1 written without a sign or leading zero; nullopt otherwise.
std::optional<std::pair<std::string, int64_t>> ParseVersionName(const std::string& name);
std::string VersionName(const std::string& document_id, int64_t version);

// With versions 1..`newest` made and at most `max_kept` (≥ 2) kept: every version numbered from 2 up to, not
// including, the result is dropped. The first version (as created) and the newest max_kept - 1 stay. 2 when
// nothing is dropped.
int64_t FirstKeptAfterTheFirst(int64_t newest, int max_kept);

}  // namespace cchc::document
