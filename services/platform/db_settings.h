#pragma once
// The libpq settings every connection of ours carries unless its URL sets them itself: a bounded connect, TCP
// keepalives and a TCP user time-out, so that a database behind a dead route is noticed in seconds rather than
// after the kernel's minutes. (Statement and lock time-outs are the database role's: provision.sql.)
#include <string>

namespace cchc::db {

// `url` (a postgresql:// URL or a key=value connection string) with connect_timeout=5, keepalives=1,
// keepalives_idle=10, keepalives_interval=5, keepalives_count=3 and tcp_user_timeout=20000 added where it
// does not set them.
std::string WithConnectionDefaults(const std::string& url);

}  // namespace cchc::db
