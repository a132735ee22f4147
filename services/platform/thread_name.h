#pragma once
// Names the calling thread, so that top -H, perf and /proc/PID/task/TID/comm tell a service's own threads
// apart (otherwise each shows the program's name). Linux keeps the first 15 bytes.
#include <string>

namespace cchc {

void NameThisThread(const std::string& name);

// The name the calling thread has now.
std::string ThisThreadName();

}  // namespace cchc
