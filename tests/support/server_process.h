// A real fieldsync-server process on a free loopback port, with its own data
// directory, for integration tests.
#ifndef FIELDSYNC_TESTS_SUPPORT_SERVER_PROCESS_H_
#define FIELDSYNC_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace fieldsync::testing {

class ServerProcess {
 public:
  // Starts the server with --data-dir `data_dir`, --listen 127.0.0.1:0
  // (unless `extra_args` has a --listen), --metrics-listen 127.0.0.1:0
  // (unless it has a --metrics-listen) and --plaintext (unless it has a
  // --tls-cert or --tls-self-signed), and waits for it to print the address
  // it bound.
  explicit ServerProcess(const std::string& data_dir,
                         const std::vector<std::string>& extra_args = {});

  // "127.0.0.1:PORT" (also for a server listening on 0.0.0.0), or "" if
  // the server did not come up.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  // The port of /metrics, /healthz and /readyz; 0 if it serves none.
  int metrics_port() const { return metrics_port_; }
  Subprocess& process() { return *process_; }

  // SIGTERM, then the exit code.
  int Stop();

 private:
  std::unique_ptr<Subprocess> process_;
  std::string address_;
  int port_ = 0;
  int metrics_port_ = 0;
};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_SERVER_PROCESS_H_
