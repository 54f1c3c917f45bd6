// Issue 17 item 5: development mode (--dev-device-header, where any caller
// may claim any device) is loud and local, against the real server binary:
// it refuses TLS, addresses off loopback and a data folder with devices
// enrolled for real; the secrets it mints are refused by a server without
// the flag; and no pull, in any mode, sends a device document.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "client-sdk/admin_client.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/sync_client.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class DevModeBinaryTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) { return dir_.Sub(name); }

  // Runs the server to its exit; a server that starts instead is stopped
  // after a while, and its exit code is then -1.
  t::RunResult RunServer(std::vector<std::string> args) {
    args.insert(args.begin(), {FS_SERVER_BINARY, "--data-dir", Path("data")});
    return t::Run(args, {}, std::chrono::seconds(20));
  }

  std::unique_ptr<t::ServerProcess> Start(std::vector<std::string> args) {
    auto server = std::make_unique<t::ServerProcess>(Path("data"), args);
    EXPECT_FALSE(server->address().empty()) << server->process().err();
    return server;
  }

  absl::Status ListAreas(const std::string& address,
                         const std::string& secret) {
    client::CatalogueClient catalogue(address, secret, std::chrono::seconds(5));
    return catalogue.ListAreas(v1::ListAreasRequest()).status();
  }

  // The keys of the device documents a pull by `options` brings.
  std::vector<std::string> PulledDevices(client::SyncClientOptions options) {
    client::SyncClient reader(std::move(options));
    std::vector<std::string> devices;
    std::string cursor;
    size_t documents = 0;
    absl::Status s = reader.Pull(cursor, [&](const v1::PullResponse& page) {
      for (const v1::Document& d : page.documents()) {
        ++documents;
        if (d.has_device() || d.key().starts_with("device/")) {
          devices.push_back(d.key());
        }
      }
    });
    EXPECT_OK(s);
    EXPECT_GT(documents, 0u);  // the pull did bring the rest
    return devices;
  }

  t::TempDir dir_;
};

TEST_F(DevModeBinaryTest, RefusesTlsAndAddressesOffLoopback) {
  t::RunResult made = t::Run(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", Path("server.key"),
       "-out", Path("server.pem"), "-days", "2", "-subj", "/CN=localhost"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  t::RunResult tls =
      RunServer({"--dev-device-header", "--listen", "127.0.0.1:0", "--tls-cert",
                 Path("server.pem"), "--tls-key", Path("server.key")});
  EXPECT_EQ(tls.exit_code, 1) << tls.out << tls.err;
  EXPECT_THAT(tls.err, HasSubstr("--dev-device-header refuses TLS"));
  t::RunResult self_signed = RunServer(
      {"--dev-device-header", "--listen", "127.0.0.1:0", "--tls-self-signed"});
  EXPECT_EQ(self_signed.exit_code, 1) << self_signed.out << self_signed.err;
  EXPECT_THAT(self_signed.err, HasSubstr("--dev-device-header refuses TLS"));

  t::RunResult lan = RunServer(
      {"--dev-device-header", "--plaintext", "--listen", "0.0.0.0:0"});
  EXPECT_EQ(lan.exit_code, 1) << lan.out << lan.err;
  EXPECT_THAT(lan.err, HasSubstr("loopback only"));
  EXPECT_FALSE(std::filesystem::exists(Path("data")));  // nothing written
}

TEST_F(DevModeBinaryTest, RefusesADataFolderWithDevicesEnrolledForReal) {
  ASSERT_EQ(Start({})->Stop(), 0);  // enrols the first admin for real
  t::RunResult dev = RunServer(
      {"--dev-device-header", "--plaintext", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(dev.exit_code, 1) << dev.out << dev.err;
  EXPECT_THAT(dev.err, HasSubstr("--dev-device-header"));
  EXPECT_THAT(dev.err, HasSubstr("1 device(s) enrolled"));
  EXPECT_THAT(dev.err, HasSubstr("another --data-dir"));
}

TEST_F(DevModeBinaryTest, ItsSecretsAreRefusedWithoutTheFlag) {
  auto dev = Start({"--dev-device-header"});
  EXPECT_THAT(dev->process().err(), HasSubstr("WARNING: development mode"));
  auto dev_secret = client::ReadSecretFile(Path("data/admin-secret"));
  ASSERT_OK(dev_secret);
  EXPECT_TRUE(dev_secret->starts_with("fs1dev.")) << *dev_secret;
  EXPECT_OK(ListAreas(dev->address(), *dev_secret));
  ASSERT_EQ(dev->Stop(), 0);

  auto real = Start({});
  absl::Status refused = ListAreas(real->address(), *dev_secret);
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnauthenticated) << refused;
  EXPECT_THAT(refused.message(), HasSubstr("development mode"));
  // The real server enrolled a real first admin in its place.
  auto real_secret = client::ReadSecretFile(Path("data/admin-secret"));
  ASSERT_OK(real_secret);
  EXPECT_TRUE(real_secret->starts_with("fs1.")) << *real_secret;
  EXPECT_OK(ListAreas(real->address(), *real_secret));
}

TEST_F(DevModeBinaryTest, DevicesNeverLeaveTheServerInAPull) {
  {
    // A development caller may name any scope, the devices' own included.
    auto dev = Start({"--dev-device-header"});
    EXPECT_THAT(PulledDevices({.target = dev->address(),
                               .device_id = "curious",
                               .scopes = {"admin", "province"}}),
                IsEmpty());
    ASSERT_EQ(dev->Stop(), 0);
  }
  // Nor does a province admin's pull, with a secret, on another folder.
  std::filesystem::remove_all(Path("data"));
  auto real = Start({});
  auto secret = client::ReadSecretFile(Path("data/admin-secret"));
  ASSERT_OK(secret);
  EXPECT_THAT(
      PulledDevices(
          {.target = real->address(), .device_id = "admin", .secret = *secret}),
      IsEmpty());
}

}  // namespace
}  // namespace fieldsync
