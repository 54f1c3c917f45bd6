// Runs a real binary as a child process, for integration tests and for the
// load benchmarks (bench/server_launcher.h) alike: its stdout is captured
// and its stderr too (or passed through), lines can be awaited with a
// deadline (never a sleep), and it can be signalled and reaped.
#ifndef FIELDSYNC_TESTS_SUPPORT_SUBPROCESS_H_
#define FIELDSYNC_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace fieldsync::testing {

struct RunResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out;
  std::string err;
};

// Where the child's stderr goes.
enum class ChildStderr {
  kCaptured,  // read into err()
  kOurs,      // our own stderr: a long-running child never fills a pipe
};

class Subprocess {
 public:
  // Starts `argv[0]` with `argv`; `env` entries ("NAME=value") are added to
  // the current environment. Throws if the child cannot start: a test
  // fails at once, naming the binary.
  Subprocess(const std::vector<std::string>& argv,
             const std::vector<std::string>& env = {},
             ChildStderr child_stderr = ChildStderr::kCaptured);
  // The same without exceptions, for code that is not a test.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Spawn(
      const std::vector<std::string>& argv,
      const std::vector<std::string>& env = {},
      ChildStderr child_stderr = ChildStderr::kCaptured);
  ~Subprocess();  // kills the child if it still runs
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Reads stdout until a line containing `needle` arrives; returns that line,
  // or nullopt if stdout closes or `timeout` passes first.
  std::optional<std::string> WaitForLine(const std::string& needle,
                                         std::chrono::milliseconds timeout);

  void Signal(int signal_number);

  // Waits for the child to exit (collecting the rest of its output) and
  // returns its exit code, or -1 if a signal ended it.
  int Wait();

  // Reaps the child if it has exited, collecting the rest of its output;
  // true once it has.
  bool TryReap();

  // Reads whatever is ready on the pipes, waiting at most `timeout`.
  void Pump(std::chrono::milliseconds timeout);

  // The CPU time the child has used so far, user and system, in seconds
  // (from /proc/<pid>/stat); -1 if it cannot be read.
  double CpuSeconds() const;

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }
  pid_t pid() const { return pid_; }

 private:
  Subprocess() = default;
  absl::Status Start(const std::vector<std::string>& argv,
                     const std::vector<std::string>& env,
                     ChildStderr child_stderr);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  size_t out_scanned_ = 0;  // bytes of out_ already searched for lines
  std::string out_;
  std::string err_;
  std::optional<int> exit_code_;
};

// Runs a command to completion with a time limit and returns its output.
RunResult Run(const std::vector<std::string>& argv,
              const std::vector<std::string>& env = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_SUBPROCESS_H_
