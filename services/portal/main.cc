// portal-service: wiring only. Settings: --help.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "clients.h"
#include "http_server.h"
#include "options.h"
#include "platform/log.h"
#include "platform/metrics.h"
#include "platform/server.h"

int main(int argc, char** argv) {
  cchc::BlockTerminationSignals();
  cchc::portal::PortalOptions options;
  CLI::App app("cchc portal (cổng thông tin): the administrative-reform pages as HTML, from the four services");
  cchc::portal::AddPortalOptions(app, options);
  try {
    app.parse(argc, argv);
    cchc::portal::ValidatePortalOptions(options);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  cchc::log::Init("portal", cchc::log::ParseLevel(options.log_level));
  try {
    const std::string token = cchc::portal::ReadSecretLine(options.token_file, "--token-file");
    const std::string secret = cchc::portal::ReadSecretLine(options.csrf_secret_file, "--csrf-secret-file");
    cchc::metrics::Registry registry;
    cchc::metrics::MetricsServer metrics_server(options.metrics_address, registry);
    cchc::portal::Channels channels = cchc::portal::Connect(options);
    cchc::portal::PortalServer server(
        options, cchc::portal::MakeClients(channels, token, std::chrono::milliseconds(options.call_timeout_ms)),
        channels, secret, registry);
    server.Bind();
    std::atomic<bool> served{false};
    std::thread serving([&] {
      server.Serve();
      served = true;
    });
    cchc::log::Info("serving", {{"http_port", std::to_string(server.Port())},
                                {"metrics_port", std::to_string(metrics_server.Port())}});

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    cchc::log::Info("stopping: unready, then draining", {{"signal", std::to_string(signal_number)}});
    server.SetUnready();
    std::this_thread::sleep_for(std::chrono::duration<double>(options.unready_seconds));
    server.Stop();  // no new connections; the requests in flight are answered
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(options.drain_seconds);
    while (!served && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!served) {
      cchc::log::Warn("drain deadline passed with requests in flight; exiting");
      std::_Exit(0);
    }
    serving.join();
    cchc::log::Info("stopped");
    return 0;
  } catch (const std::exception& e) {
    cchc::log::Error("cannot start", {{"error", e.what()}});
    return 1;
  }
}
