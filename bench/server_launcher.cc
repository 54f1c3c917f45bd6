#include "bench/server_launcher.h"

#include <signal.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"

namespace fieldsync::bench {
namespace {

constexpr const char kListening[] = "listening on ";
constexpr auto kStartTimeout = std::chrono::seconds(60);

}  // namespace

absl::StatusOr<ServerLauncher> ServerLauncher::Start(
    const std::string& binary, const std::string& data_dir,
    const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {binary,        "--listen",
                                   "127.0.0.1:0", "--data-dir",
                                   data_dir,      "--dev-device-header",
                                   "--plaintext"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // The server's log goes to ours: a run of minutes must not fill a pipe.
  absl::StatusOr<std::unique_ptr<testing::Subprocess>> process =
      testing::Subprocess::Spawn(args, {}, testing::ChildStderr::kOurs);
  if (!process.ok()) return process.status();
  ServerLauncher server(*std::move(process));
  std::optional<std::string> line =
      server.process_->WaitForLine(kListening, kStartTimeout);
  if (!line.has_value()) {
    return absl::UnavailableError(absl::StrCat(
        binary, " printed no \"listening on\" line (see its stderr above)"));
  }
  std::string rest =
      line->substr(line->find(kListening) + sizeof(kListening) - 1);
  server.address_ = rest.substr(0, rest.find(' '));
  return server;
}

ServerLauncher::~ServerLauncher() { Stop(); }

double ServerLauncher::CpuSeconds() const {
  return process_ == nullptr ? -1 : process_->CpuSeconds();
}

int ServerLauncher::Stop() {
  if (process_ == nullptr) return -1;
  process_->Signal(SIGTERM);
  // Wait drains stdout, so the server never blocks on a full pipe while
  // stopping.
  const int exit_code = process_->Wait();
  process_.reset();
  return exit_code;
}

}  // namespace fieldsync::bench
