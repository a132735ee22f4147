#pragma once
// ListAuditEvents' filter (nhật ký): the request's typed fields checked and turned into what the audit store
// queries. No gRPC or SQL here.
#include <cstdint>
#include <optional>
#include <string>

#include "cchc/document/v1/document.pb.h"
#include "platform/field_error.h"

namespace cchc::document {

struct AuditFilter {
  std::string document_id;  // from `resource` (documents/{uuid}); empty: every document
  std::string principal;    // a unit code, NFC; empty: everybody
  v1::AuditAction action = v1::AUDIT_ACTION_UNSPECIFIED;
  int64_t start_us = 0;  // inclusive; 0: open
  int64_t end_us = 0;    // exclusive; 0: open
};

// Checks `req`'s filter fields (not the page's) and fills *filter, or names the first wrong field: resource not
// documents/{uuid} (INVALID_NAME), principal too long or not text, an unknown action, a time that is not
// RFC 3339, an end_time not after start_time.
std::optional<FieldError> ParseAuditFilter(const v1::ListAuditEventsRequest& req, AuditFilter* filter);

// A stable text of the filter, for binding page tokens to it.
std::string AuditFilterKey(const AuditFilter& filter);

}  // namespace cchc::document
