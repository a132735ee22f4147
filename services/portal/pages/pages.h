#pragma once
// The portal's document and PAR INDEX pages (văn bản, chỉ số cải cách hành chính). Each reads the services
// through `clients` (its token, a deadline and the request's trace on every call) and answers the page's
// content, or 400/404/503 with a Vietnamese message for bad parameters, unknown ids and a service down. The
// answers are cacheable: etag_source (and last_modified where the data has a time) are set.
#include "page.h"

namespace cchc::portal {

// GET /van-ban: filters ?field= (lĩnh vực), ?type= (loại, "QĐ"), ?issuer= (cơ quan ban hành, "SGDĐT"), ?year=,
// ?validity= (con-hieu-luc, chua-hieu-luc, het-hieu-luc), a search box ?q= (SearchDocuments), ?page_token=.
PageContent DocumentListPage(const Clients& clients, const PageRequest& request);
// GET /van-ban/<id> (path "id", the document's uuid): metadata, validity, related and replaced documents,
// attachments as links to /van-ban/<id>/tep/<attachment id>.
PageContent DocumentPage(const Clients& clients, const PageRequest& request);
// GET /chi-so-cai-cach-hanh-chinh/<year>/<kind> (path "year", "kind": tinh, so-nganh, huyen, don-vi): the
// ranking as a table and an SVG bar chart, rank changes ▲/▼, "x/y improved".
PageContent RankingPage(const Clients& clients, const PageRequest& request);
// GET /chi-so-cai-cach-hanh-chinh/don-vi/<code> (path "code"): the unit's points and rank across years, with
// SVG line charts.
PageContent UnitPage(const Clients& clients, const PageRequest& request);

}  // namespace cchc::portal
