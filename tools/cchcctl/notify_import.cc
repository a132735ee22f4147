// `cchcctl notify import FILE`: loads subscribers and their subscriptions (tools/demo/notification.json)
// idempotently — an existing subscriber is kept, a subscription identical to an existing one (same event
// type, same folded filter, same channels) is not created again. Webhook secrets come from the environment
// variable the file names ("webhook_secret_env"), never from the file.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "conventions.h"
#include "notify_client.h"
#include "platform/errors.h"
#include "platform/text.h"

namespace cchc::cchcctl {
namespace {

struct ImportArgs {
  std::string file;
  bool continue_on_error = false;
};

template <typename M>
M FromJson(const nlohmann::json& j, const std::string& what) {
  M m;
  auto status = google::protobuf::util::JsonStringToMessage(j.dump(), &m);
  if (!status.ok()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, what + ": " + std::string(status.message()));
  return m;
}

// The service stores filter values folded, sorted and unique; compare the wanted ones the same way.
std::vector<std::string> Folded(const google::protobuf::RepeatedPtrField<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(text::Fold(v));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Equivalent(const notify_v1::Subscription& stored, const notify_v1::Subscription& wanted) {
  if (stored.event_type() != wanted.event_type() || stored.channels_size() != wanted.channels_size()) return false;
  for (int i = 0; i < stored.channels_size(); ++i) {
    const auto &a = stored.channels(i), &b = wanted.channels(i);
    auto mode = b.mode() == notify_v1::DELIVERY_MODE_UNSPECIFIED ? notify_v1::IMMEDIATE : b.mode();
    if (a.channel() != b.channel() || a.mode() != mode || a.digest_time() != b.digest_time()) return false;
  }
  const auto &f = stored.filter(), &g = wanted.filter();
  return Folded(f.fields()) == Folded(g.fields()) && Folded(f.type_codes()) == Folded(g.type_codes()) &&
         Folded(f.issuers()) == Folded(g.issuers()) && Folded(f.categories()) == Folded(g.categories()) &&
         Folded(f.articles()) == Folded(g.articles()) && Folded(f.unit_codes()) == Folded(g.unit_codes());
}

// "subscriber TCCB", or "subscriber 3" when the entry has no id.
std::string ItemLabel(const nlohmann::json& entry, size_t i) {
  auto id = entry.is_object() ? entry.find("id") : entry.end();
  return "subscriber " + (id != entry.end() && id->is_string() ? id->get<std::string>() : std::to_string(i + 1));
}

void RunImport(Client& client, const ImportArgs& a) {
  std::ifstream in(a.file);
  if (!in) throw StatusError(grpc::StatusCode::NOT_FOUND, a.file + ": cannot read");
  nlohmann::json root = nlohmann::json::parse(in, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("subscribers") || !root["subscribers"].is_array())
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, a.file + ": not a {\"subscribers\": [...]} file");
  int created = 0, present = 0, subscribed = 0, kept = 0;
  auto& stub = Notifications().Stub();
  const nlohmann::json& all = root["subscribers"];
  ImportRun run(all.size(), a.continue_on_error);
  for (size_t i = 0; i < all.size(); ++i)
    run.Run(ItemLabel(all[i], i), [&] {
      nlohmann::json s = all[i];
      nlohmann::json subs = s.value("subscriptions", nlohmann::json::array());
      s.erase("subscriptions");
      if (s.contains("webhook_secret_env")) {
        std::string env = s["webhook_secret_env"];
        const char* secret = std::getenv(env.c_str());
        if (!secret || !*secret)
          throw StatusError(grpc::StatusCode::FAILED_PRECONDITION, "set " + env + " to its webhook secret");
        s["webhook_secret"] = secret;
        s.erase("webhook_secret_env");
      }
      notify_v1::CreateSubscriberRequest req;
      *req.mutable_subscriber() = FromJson<notify_v1::Subscriber>(s, "subscriber");
      notify_v1::Subscriber out;
      grpc::Status status = stub.CreateSubscriber(client.NewContext().get(), req, &out);
      if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
        ++present;
      else
        Notifications().Check(status), ++created;
      std::string parent = "subscribers/" + req.subscriber().id();
      notify_v1::ListSubscriptionsRequest list;
      list.set_parent(parent);
      notify_v1::ListSubscriptionsResponse existing;
      Notifications().Check(stub.ListSubscriptions(client.NewContext().get(), list, &existing));
      for (const auto& j : subs) {
        notify_v1::CreateSubscriptionRequest sreq;
        sreq.set_parent(parent);
        *sreq.mutable_subscription() = FromJson<notify_v1::Subscription>(j, "subscription");
        bool twin = false;
        for (const auto& e : existing.subscriptions()) twin |= Equivalent(e, sreq.subscription());
        if (twin) {
          ++kept;
          continue;
        }
        notify_v1::Subscription sout;
        Notifications().Check(stub.CreateSubscription(client.NewContext().get(), sreq, &sout));
        ++subscribed;
      }
    });
  run.Finish();
  if (client.options().json)
    std::cout << nlohmann::json{{"subscribers_created", created},
                                {"subscribers_present", present},
                                {"subscriptions_created", subscribed},
                                {"subscriptions_present", kept}}
                     .dump()
              << '\n';
  else
    std::cout << "subscribers: created " << created << ", already present " << present << "; subscriptions: created "
              << subscribed << ", already present " << kept << '\n';
}

}  // namespace

void AddNotifyImportCommand(CLI::App* notify, Action* slot) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* import = NotifySub(notify, "import", "Load subscribers and subscriptions from a JSON file, idempotently");
  import->add_option("file", args->file, "e.g. tools/demo/notification.json")->required();
  AddContinueOnError(import, &args->continue_on_error);
  OnRun(import, slot, args, &RunImport);
}

}  // namespace cchc::cchcctl
