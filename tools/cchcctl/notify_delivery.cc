// `cchcctl notify delivery status|resend|recover`: a delivery with its attempt log, and recovery (admin, or an
// editor of the subscriber's unit). `status` prints text unless --json.
#include <google/protobuf/util/time_util.h>

#include <iostream>

#include "document_format.h"
#include "notify_client.h"
#include "platform/dates.h"
#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

struct DeliveryArgs {
  std::string name, subscriber, since;
};

std::string DeliveryName(const std::string& id_or_name) {
  return id_or_name.rfind("deliveries/", 0) == 0 ? id_or_name : "deliveries/" + id_or_name;
}

std::string When(const google::protobuf::Timestamp& t) {
  return dates::VietnamDisplayTime(std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds())));
}

void RunStatus(Client& client, const DeliveryArgs& a) {
  notify_v1::GetDeliveryStatusRequest req;
  req.set_name(DeliveryName(a.name));
  notify_v1::Delivery out;
  Notifications().Check(Notifications().Stub().GetDeliveryStatus(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  PrintDeliveryStatus(std::cout, out);
}

void RunResend(Client& client, const DeliveryArgs& a) {
  notify_v1::ResendDeliveryRequest req;
  req.set_name(DeliveryName(a.name));
  notify_v1::Delivery out;
  Notifications().Check(Notifications().Stub().ResendDelivery(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::cout << out.name() << " queued again (" << notify_v1::DeliveryState_Name(out.state()) << ")\n";
}

void RunRecover(Client& client, const DeliveryArgs& a) {
  notify_v1::RecoverFailedDeliveriesRequest req;
  req.set_subscriber(SubscriberName(a.subscriber));
  if (!google::protobuf::util::TimeUtil::FromString(a.since, req.mutable_since()))
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "--since: RFC 3339, e.g. 2026-12-07T08:00:00+07:00");
  // Each call queues at most a bounded number; go on while the service says more remain.
  int64_t total = 0;
  notify_v1::RecoverFailedDeliveriesResponse out;
  for (int calls = 0; calls < 100; ++calls) {
    Notifications().Check(Notifications().Stub().RecoverFailedDeliveries(client.NewContext().get(), req, &out));
    total += out.recovered();
    if (!out.more()) break;
  }
  out.set_recovered(total);
  if (client.options().json) return PrintJson(std::cout, out);
  std::cout << total << " deliveries of " << req.subscriber() << " queued again" << (out.more() ? "; more remain" : "")
            << '\n';
}

}  // namespace

std::string PrintableBody(const std::string& bytes) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void PrintDeliveryStatus(std::ostream& out, const notify_v1::Delivery& d) {
  out << d.name() << "  " << notify_v1::Channel_Name(d.channel()) << "  " << notify_v1::DeliveryState_Name(d.state())
      << "  " << d.subscriber() << "  attempts " << d.attempt_count() << '\n';
  if (d.has_next_attempt_time()) out << "  next attempt " << When(d.next_attempt_time()) << '\n';
  for (const auto& a : d.attempts()) {
    out << "  #" << a.attempt_number() << "  " << When(a.time()) << "  " << a.outcome() << "  status "
        << a.status_code() << "  " << a.duration_ms() << " ms" << (a.error().empty() ? "" : "  " + a.error()) << '\n';
    if (!a.response_body().empty())
      out << "     body (" << a.response_body().size() << " bytes" << (a.response_body_truncated() ? ", cut" : "")
          << "): " << PrintableBody(a.response_body()) << '\n';
  }
}

void AddNotifyDeliveryCommands(CLI::App* delivery, Action* slot) {
  auto args = std::make_shared<DeliveryArgs>();
  CLI::App* status = NotifySub(delivery, "status", "A delivery and its attempts (status, body's first 4 KB, time)");
  status->add_option("delivery", args->name, "deliveries/{id} or {id}")->required();
  OnRun(status, slot, args, &RunStatus);
  CLI::App* resend =
      NotifySub(delivery, "resend", "Queue a delivery again, whatever its state (admin, or an editor of its unit)");
  resend->add_option("delivery", args->name, "deliveries/{id} or {id}")->required();
  OnRun(resend, slot, args, &RunResend);
  CLI::App* recover = NotifySub(delivery, "recover",
                                "Queue again a subscriber's deliveries that failed since a time (admin, or an editor "
                                "of its unit)");
  recover->add_option("--subscriber", args->subscriber, "TCCB or subscribers/TCCB")->required();
  recover->add_option("--since", args->since, "RFC 3339, e.g. 2026-12-07T08:00:00+07:00")->required();
  OnRun(recover, slot, args, &RunRecover);
}

}  // namespace cchc::cchcctl
