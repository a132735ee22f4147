// `cchcctl outbox list|retry|discard --service document|news|scoring|notification`: the events a service's
// broker refused for good (cchc.platform.v1.OutboxAdmin), for admins.
#include <cstdlib>
#include <iostream>
#include <map>

#include "cchc/platform/v1/outbox_admin.grpc.pb.h"
#include "command.h"
#include "conventions.h"
#include "document_format.h"
#include "platform/dates.h"
#include "platform/errors.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

namespace platform_v1 = cchc::platform::v1;

struct OutboxArgs {
  std::string service = "document";
  std::string address;  // empty: CCHC_<SERVICE>_ADDRESS or the service's local default
  std::string event_id;
  int page_size = 0;
};

std::string ServiceAddress(const OutboxArgs& a) {
  if (!a.address.empty()) return a.address;
  static const std::map<std::string, std::pair<const char*, const char*>> kDefaults = {
      {"document", {"CCHC_DOCUMENT_ADDRESS", "127.0.0.1:50061"}},
      {"news", {"CCHC_NEWS_ADDRESS", "127.0.0.1:50062"}},
      {"scoring", {"CCHC_SCORING_ADDRESS", "127.0.0.1:50063"}},
      {"notification", {"CCHC_NOTIFICATION_ADDRESS", "127.0.0.1:50064"}},
  };
  const auto& [env, fallback] = kDefaults.at(a.service);
  const char* set = std::getenv(env);
  return set && *set ? set : fallback;
}

std::unique_ptr<platform_v1::OutboxAdmin::Stub> Stub(const OutboxArgs& a) {
  return platform_v1::OutboxAdmin::NewStub(OpenChannel(ServiceAddress(a)));
}

void Check(const OutboxArgs& a, const grpc::Status& status) {
  if (status.ok()) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE)
    throw RpcError(
        status, "the " + a.service + " service at " + ServiceAddress(a) + " is unavailable: " + status.error_message());
  throw RpcError(status, status.error_message());
}

std::string Time(const google::protobuf::Timestamp& t) {
  return dates::VietnamDisplayTime(std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds())));
}

void Show(const Client& client, const platform_v1::ParkedEvent& e) {
  if (client.options().json) return PrintJson(std::cout, e);
  PrintKeyValues(std::cout, {{"event_id", e.event_id()},
                             {"state", platform_v1::ParkedEvent::State_Name(e.state())},
                             {"type", e.event_type()},
                             {"aggregate", e.aggregate_id()},
                             {"topic", e.topic()},
                             {"bytes", std::to_string(e.payload_bytes())},
                             {"error", e.error()},
                             {"attempts", std::to_string(e.attempts())},
                             {"held behind it", std::to_string(e.held_events())}});
}

void RunList(Client& client, const OutboxArgs& a) {
  auto stub = Stub(a);
  std::vector<std::vector<std::string>> rows;
  std::string token;
  do {
    platform_v1::ListParkedEventsRequest request;
    request.set_page_size(a.page_size);
    request.set_page_token(token);
    platform_v1::ListParkedEventsResponse response;
    Check(a, stub->ListParkedEvents(client.NewContext().get(), request, &response));
    for (const auto& e : response.parked_events()) {
      if (client.options().json) {
        PrintJsonLine(std::cout, e);  // one object per line, page after page
        continue;
      }
      rows.push_back({e.event_id(), Time(e.park_time()), e.event_type(), e.aggregate_id(),
                      std::to_string(e.payload_bytes()), std::to_string(e.held_events()), e.error()});
    }
    token = response.next_page_token();
  } while (!token.empty() && a.page_size == 0);
  if (!client.options().json)
    PrintTable(std::cout, {"event_id", "parked", "type", "aggregate", "bytes", "held", "error"}, rows);
}

void RunRetry(Client& client, const OutboxArgs& a) {
  platform_v1::RetryParkedEventRequest request;
  request.set_event_id(a.event_id);
  platform_v1::ParkedEvent e;
  Check(a, Stub(a)->RetryParkedEvent(client.NewContext().get(), request, &e));
  Show(client, e);
}

void RunDiscard(Client& client, const OutboxArgs& a) {
  platform_v1::DiscardParkedEventRequest request;
  request.set_event_id(a.event_id);
  platform_v1::ParkedEvent e;
  Check(a, Stub(a)->DiscardParkedEvent(client.NewContext().get(), request, &e));
  Show(client, e);
}

CLI::App* OutboxSub(CLI::App* parent, const char* name, const char* help, OutboxArgs& a) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--service", a.service, "document, news, scoring or notification")
      ->check(CLI::IsMember({"document", "news", "scoring", "notification"}))
      ->required();
  cmd->add_option("--service-address", a.address,
                  "host:port of that service (default: CCHC_<SERVICE>_ADDRESS, or its local port)");
  return cmd;
}

}  // namespace

void AddOutboxCommands(CLI::App& app, Action* slot) {
  CLI::App* outbox = app.add_subcommand("outbox", "Events a service's broker refused for good (admin)");
  outbox->require_subcommand(1);
  auto args = std::make_shared<OutboxArgs>();
  CLI::App* list = OutboxSub(outbox, "list", "Parked events, oldest first", *args);
  list->add_option("--page-size", args->page_size, "One page of at most this many (default: all)");
  OnRun(list, slot, args, &RunList);
  CLI::App* retry = OutboxSub(outbox, "retry", "Send a parked event again, first of its aggregate", *args);
  retry->add_option("event_id", args->event_id, "The event's id (ce_id)")->required();
  OnRun(retry, slot, args, &RunRetry);
  CLI::App* discard =
      OutboxSub(outbox, "discard", "Never send a parked event; its aggregate's later ones go on", *args);
  discard->add_option("event_id", args->event_id, "The event's id (ce_id)")->required();
  OnRun(discard, slot, args, &RunDiscard);
}

}  // namespace cchc::cchcctl
