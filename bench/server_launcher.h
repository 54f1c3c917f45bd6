// The real fieldsync-server as a child process of the benchmark: started on
// a free loopback port with its own data folder, its "listening on" line
// read for the port, and stopped with SIGTERM. The process itself is the
// tests' Subprocess (tests/support/subprocess.h): one way to spawn.
#ifndef FIELDSYNC_BENCH_SERVER_LAUNCHER_H_
#define FIELDSYNC_BENCH_SERVER_LAUNCHER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/support/subprocess.h"

namespace fieldsync::bench {

class ServerLauncher {
 public:
  // Starts `binary --listen 127.0.0.1:0 --data-dir data_dir
  // --dev-device-header` plus `extra_args`, and waits (up to a minute) for
  // the address it bound. The child's stderr goes to ours; its stdout is
  // read through a pipe.
  static absl::StatusOr<ServerLauncher> Start(
      const std::string& binary, const std::string& data_dir,
      const std::vector<std::string>& extra_args = {});

  ServerLauncher(ServerLauncher&& other) noexcept = default;
  ServerLauncher& operator=(ServerLauncher&&) = delete;
  ServerLauncher(const ServerLauncher&) = delete;
  ~ServerLauncher();  // Stop() if still running

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }

  // The CPU time the server has used so far, user and system, in seconds
  // (from /proc/<pid>/stat); -1 if it cannot be read.
  double CpuSeconds() const;

  // SIGTERM, then waits; returns the exit code (-1 if a signal ended it).
  int Stop();

 private:
  explicit ServerLauncher(std::unique_ptr<testing::Subprocess> process)
      : process_(std::move(process)) {}

  std::unique_ptr<testing::Subprocess> process_;  // null once stopped
  std::string address_;
};

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_SERVER_LAUNCHER_H_
