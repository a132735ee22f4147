#pragma once
// Which content codings the portal offers. Debian's cpp-httplib 0.11 answers brotli at quality 11 whenever a
// client accepts it: about 14 ms of CPU for the 17 KB article page against about 0.3 ms for gzip (curl against
// `tools/dev up`, three requests each), 45 times the work for a fifth fewer bytes, and a way for any client to burn
// the portal's CPU. So the portal offers gzip only: "br" is taken out of a request's Accept-Encoding before
// httplib chooses.
#include <string>
#include <string_view>

namespace cchc::portal {

// `accept_encoding` without its "br" codings (with or without a q-value); the others as they were, in order.
std::string WithoutBrotli(std::string_view accept_encoding);

}  // namespace cchc::portal
