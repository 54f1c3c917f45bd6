#include "tests/server_process.h"

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
  // Loopback tests speak plaintext unless they bring certificates.
  if (std::find(extra_args.begin(), extra_args.end(), "--tls-cert") ==
      extra_args.end()) {
    argv.push_back("--plaintext");
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Subprocess>(argv);
  std::optional<std::string> line =
      process_->WaitForLine("listening on", std::chrono::seconds(60));
  if (!line.has_value()) return;
  std::smatch match;
  static const std::regex kAddress(R"(listening on (127\.0\.0\.1:(\d+)))");
  if (std::regex_search(*line, match, kAddress)) {
    address_ = match[1];
    port_ = std::stoi(match[2]);
  }
}

int ServerProcess::Stop() {
  process_->Signal(SIGTERM);
  return process_->Wait();
}

}  // namespace fieldsync::testing
