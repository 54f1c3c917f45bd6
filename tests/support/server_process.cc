#include "tests/support/server_process.h"

#include <signal.h>

#include <algorithm>
#include <regex>

namespace fieldsync::testing {

ServerProcess::ServerProcess(const std::string& data_dir,
                             const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {FS_SERVER_BINARY, "--data-dir", data_dir};
  // A free port unless the caller names one (a restart on the same port).
  if (std::find(extra_args.begin(), extra_args.end(), "--listen") ==
      extra_args.end()) {
    argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
  }
  // A free port for metrics too: the default one would be shared by the
  // servers of tests that run at once.
  if (std::find(extra_args.begin(), extra_args.end(), "--metrics-listen") ==
      extra_args.end()) {
    argv.insert(argv.end(), {"--metrics-listen", "127.0.0.1:0"});
  }
  // Loopback tests speak plaintext unless they bring certificates or ask
  // the server to make one.
  auto has = [&](const char* arg) {
    return std::find(extra_args.begin(), extra_args.end(), arg) !=
           extra_args.end();
  };
  if (!has("--tls-cert") && !has("--tls-self-signed")) {
    argv.push_back("--plaintext");
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Subprocess>(argv);
  std::optional<std::string> line =
      process_->WaitForLine("listening on", std::chrono::seconds(60));
  if (!line.has_value()) return;
  std::smatch match;
  // A server on every address (0.0.0.0) is reached on loopback too.
  static const std::regex kAddress(R"(listening on (\S+):(\d+))");
  if (std::regex_search(*line, match, kAddress)) {
    port_ = std::stoi(match[2]);
    address_ = "127.0.0.1:" + match[2].str();
  }
  // Printed before the gRPC address, so it is in out() by now.
  static const std::regex kMetrics(R"(metrics at http://\S+:(\d+)/metrics)");
  if (std::regex_search(process_->out(), match, kMetrics)) {
    metrics_port_ = std::stoi(match[1]);
  }
}

int ServerProcess::Stop() {
  process_->Signal(SIGTERM);
  return process_->Wait();
}

}  // namespace fieldsync::testing
