#pragma once
// Plain TCP helpers for the small servers of the platform (metrics endpoint, broker bootstrap forwarder).
#include <string>
#include <string_view>

namespace cchc::net {

// Splits "host:port"; throws std::invalid_argument naming `address` when malformed.
std::pair<std::string, int> SplitHostPort(const std::string& address);

// Binds and listens on `address` (host:port, port 0 = any free port); stores the bound port in *port.
// Throws std::runtime_error with the address and the reason ("address already in use") on failure.
int ListenTcp(const std::string& address, int* port);

// Connects to host:port; returns the socket or -1.
int ConnectTcp(const std::string& host, int port);

// Writes all of `data`; false on error.
bool SendAll(int fd, std::string_view data);

}  // namespace cchc::net
