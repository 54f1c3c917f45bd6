#include "bench/server_launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace fieldsync::bench {
namespace {

constexpr const char kListening[] = "listening on ";
constexpr auto kStartTimeout = std::chrono::seconds(60);

// Reads the child's stdout until a line holds "listening on ADDRESS";
// returns ADDRESS, or "" if stdout closes or the time runs out.
std::string ReadAddress(int fd) {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::string out;
  size_t scanned = 0;
  char buffer[4096];
  while (true) {
    size_t newline;
    while ((newline = out.find('\n', scanned)) != std::string::npos) {
      std::string line = out.substr(scanned, newline - scanned);
      scanned = newline + 1;
      size_t at = line.find(kListening);
      if (at == std::string::npos) continue;
      std::string rest = line.substr(at + sizeof(kListening) - 1);
      return rest.substr(0, rest.find(' '));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return "";
    pollfd pfd = {fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) return "";
    out.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

absl::StatusOr<ServerLauncher> ServerLauncher::Start(
    const std::string& binary, const std::string& data_dir,
    const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {binary,        "--listen",
                                   "127.0.0.1:0", "--data-dir",
                                   data_dir,      "--dev-device-header",
                                   "--plaintext"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  // The server waits for SIGTERM with sigwait; start it with no signal
  // blocked whatever our own mask is.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start ", binary, ": ", std::strerror(rc)));
  }
  ServerLauncher server(pid, out_pipe[0]);
  server.address_ = ReadAddress(server.out_fd_);
  if (server.address_.empty()) {
    return absl::UnavailableError(absl::StrCat(
        binary, " printed no \"listening on\" line (see its stderr above)"));
  }
  return server;
}

ServerLauncher::ServerLauncher(ServerLauncher&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      out_fd_(std::exchange(other.out_fd_, -1)),
      address_(std::move(other.address_)) {}

ServerLauncher::~ServerLauncher() { Stop(); }

double ServerLauncher::CpuSeconds() const {
  if (pid_ <= 0) return -1;
  std::ifstream in(absl::StrCat("/proc/", pid_, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // "pid (comm) state ppid ...": utime and stime are the 14th and 15th
  // fields, the 12th and 13th after the command's closing parenthesis.
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::vector<std::string> fields =
      absl::StrSplit(stat.substr(paren + 2), ' ', absl::SkipEmpty());
  uint64_t user = 0, system = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &user) ||
      !absl::SimpleAtoi(fields[12], &system)) {
    return -1;
  }
  return static_cast<double>(user + system) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

int ServerLauncher::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  // Drain stdout so the server never blocks on a full pipe while stopping.
  if (out_fd_ >= 0) {
    char buffer[4096];
    while (read(out_fd_, buffer, sizeof(buffer)) > 0) {
    }
    close(out_fd_);
    out_fd_ = -1;
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace fieldsync::bench
