// A test against the real server through the real CLI: fieldsync-server on
// a fresh data folder, and `fieldsync` run as its first province admin or
// as a device enrolled for an area, in English or in Vietnamese.
#ifndef FIELDSYNC_TESTS_SUPPORT_CLI_SERVER_TEST_H_
#define FIELDSYNC_TESTS_SUPPORT_CLI_SERVER_TEST_H_

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "client-sdk/admin_client.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync::testing {

inline const std::vector<std::string> kEnglish = {"LANG=C.UTF-8",
                                                  "LC_ALL=", "LC_MESSAGES="};
inline const std::vector<std::string> kVietnamese = {"LANG=vi_VN.UTF-8",
                                                     "LC_ALL=", "LC_MESSAGES="};

// The JSON of the file at `path`; discarded if it does not parse.
inline nlohmann::json ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

class CliServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
  }

  // `fieldsync ARGS` in `env`, as the device whose secret is in
  // `secret_file` (empty: the first province admin), on a wide terminal so
  // that no name is cut in the tables printed.
  RunResult Cli(std::vector<std::string> args,
                const std::vector<std::string>& env = kEnglish,
                const std::string& secret_file = "") {
    args.insert(args.begin(), {FS_CLI_BINARY, "--server", server_->address()});
    std::vector<std::string> full = env;
    full.push_back("FIELDSYNC_SECRET_FILE=" +
                   (secret_file.empty() ? AdminSecretFile() : secret_file));
    full.push_back("COLUMNS=160");
    return testing::Run(args, full);
  }

  std::string AdminSecretFile() { return dir_.Sub("data/admin-secret"); }

  client::AdminClient Admin() {
    return client::AdminClient(server_->address(),
                               *client::ReadSecretFile(AdminSecretFile()));
  }

  // Enrols "Cán bộ <area>" as `role` at `area`; the enrolment, or why not.
  absl::StatusOr<v1::EnrollDeviceResponse> EnrolDevice(
      v1::Role role, const std::string& area) {
    v1::EnrollDeviceRequest request;
    request.set_name("Cán bộ " + area);
    request.set_role(role);
    request.set_area_id(area);
    return Admin().Enroll(request);
  }

  // Enrols a device and leaves its secret in a file; the file's path.
  std::string Enrol(v1::Role role, const std::string& area) {
    absl::StatusOr<v1::EnrollDeviceResponse> enrolled = EnrolDevice(role, area);
    EXPECT_TRUE(enrolled.ok()) << enrolled.status();
    const std::string path = dir_.Sub("secret-" + area);
    std::ofstream(path) << (enrolled.ok() ? enrolled->secret() : "");
    return path;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_CLI_SERVER_TEST_H_
