#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace fieldsync::testing {
namespace {

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Subprocess::Subprocess(const std::vector<std::string>& argv,
                       const std::vector<std::string>& env,
                       ChildStderr child_stderr) {
  if (absl::Status s = Start(argv, env, child_stderr); !s.ok()) {
    throw std::runtime_error(std::string(s.message()));
  }
}

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Spawn(
    const std::vector<std::string>& argv, const std::vector<std::string>& env,
    ChildStderr child_stderr) {
  std::unique_ptr<Subprocess> process(new Subprocess());
  if (absl::Status s = process->Start(argv, env, child_stderr); !s.ok()) {
    return s;
  }
  return process;
}

absl::Status Subprocess::Start(const std::vector<std::string>& argv,
                               const std::vector<std::string>& env,
                               ChildStderr child_stderr) {
  const bool capture_stderr = child_stderr == ChildStderr::kCaptured;
  int out_pipe[2], err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0 ||
      (capture_stderr && pipe2(err_pipe, O_CLOEXEC) != 0)) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  if (capture_stderr) {
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  }

  std::vector<std::string> args = argv;
  // `env` entries replace inherited ones of the same name.
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('=') + 1);
    bool overridden = false;
    for (const std::string& o : env) overridden |= o.starts_with(name);
    if (!overridden) environment.push_back(std::move(entry));
  }
  for (const std::string& e : env) environment.push_back(e);
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(environment);

  // Children must not inherit a blocked-signal mask (the server waits for
  // SIGTERM with sigwait).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

  int rc = posix_spawn(&pid_, c_args[0], &actions, &attr, c_args.data(),
                       c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  if (capture_stderr) close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  if (rc != 0) {
    pid_ = -1;
    exit_code_ = -1;
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start ", argv[0], ": ", std::strerror(rc)));
  }
  return absl::OkStatus();
}

Subprocess::~Subprocess() {
  if (!exit_code_.has_value() && pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

void Subprocess::Pump(std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  if (poll(fds, 2, static_cast<int>(timeout.count())) <= 0) return;
  char buffer[65536];
  for (int i = 0; i < 2; ++i) {
    if ((fds[i].revents & (POLLIN | POLLHUP)) == 0 || fds[i].fd < 0) continue;
    ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
    if (n > 0) {
      (i == 0 ? out_ : err_).append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      close(fds[i].fd);
      (i == 0 ? out_fd_ : err_fd_) = -1;
    }
  }
}

std::optional<std::string> Subprocess::WaitForLine(
    const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    size_t newline;
    while ((newline = out_.find('\n', out_scanned_)) != std::string::npos) {
      std::string line = out_.substr(out_scanned_, newline - out_scanned_);
      out_scanned_ = newline + 1;
      if (line.find(needle) != std::string::npos) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || out_fd_ < 0) return std::nullopt;
    Pump(left);
  }
}

double Subprocess::CpuSeconds() const {
  if (pid_ <= 0 || exit_code_.has_value()) return -1;
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

void Subprocess::Signal(int signal_number) {
  if (!exit_code_.has_value()) kill(pid_, signal_number);
}

int Subprocess::Wait() {
  if (exit_code_.has_value()) return *exit_code_;
  while (out_fd_ >= 0 || err_fd_ >= 0) Pump(std::chrono::milliseconds(1000));
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return *exit_code_;
}

bool Subprocess::TryReap() {
  if (exit_code_.has_value()) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  // The pipes close once the child is gone; collect what is left.
  while (out_fd_ >= 0 || err_fd_ >= 0) Pump(std::chrono::milliseconds(1000));
  return true;
}

RunResult Run(const std::vector<std::string>& argv,
              const std::vector<std::string>& env,
              std::chrono::milliseconds timeout) {
  Subprocess process(argv, env);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  RunResult result;
  // Drain output while waiting so a chatty child never blocks on a full pipe.
  while (!process.TryReap()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      process.Signal(SIGKILL);
      result.err = "[killed: timed out]\n";
      break;
    }
    process.Pump(std::chrono::milliseconds(50));
  }
  result.exit_code = process.Wait();
  result.out = process.out();
  result.err = process.err() + result.err;
  return result;
}

}  // namespace fieldsync::testing
