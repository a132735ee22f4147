#pragma once
// How commits in this process wake its outbox relays (outbox_write.cc, outbox.cc): each relay registers the
// eventfd it sleeps on; a commit that enqueued events writes to every registered one.
namespace cchc::outbox {

void AddLocalRelay(int wake_fd);
void RemoveLocalRelay(int wake_fd);
// Wakes the relay sleeping on `wake_fd` (a full counter means a wake-up is pending anyway).
void WakeRelay(int wake_fd);
// Wakes every relay of this process.
void WakeLocalRelays();

}  // namespace cchc::outbox
