// The C API end to end: tests/c_api_test.c, compiled as C, runs as its own
// process against the real server with two enrolled tablets. This side only
// starts the server, enrols, and reports what the C program printed.
#include <gtest/gtest.h>

#include "client-sdk/admin_client.h"
#include "client-sdk/secret_file.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;

TEST(CApiBinaryTest, CProgramEditsQueriesAndSyncsThroughTheRealServer) {
  t::TempDir dir;
  t::ServerProcess server(dir.Sub("data"));
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  auto admin_secret = client::ReadSecretFile(dir.Sub("data/admin-secret"));
  ASSERT_OK(admin_secret);
  client::AdminClient admin(server.address(), *admin_secret);
  std::vector<std::string> argv = {FS_C_API_TEST_BINARY, server.address()};
  for (const char* name : {"Máy A", "Máy B"}) {
    v1::EnrollDeviceRequest request;
    request.set_name(name);
    request.set_role(v1::ROLE_COMMUNE_OFFICER);
    request.set_area_id("xa-tan-phu-dong");
    auto enrolled = admin.Enroll(request);
    ASSERT_OK(enrolled);
    argv.push_back(enrolled->device().id());
    argv.push_back(enrolled->secret());
  }
  argv.push_back(dir.Sub("tablets"));

  t::RunResult result = t::Run(argv);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(", 0 failed"), std::string::npos) << result.out;
}

// A tablet on the C API reaches a server that made its own certificate by
// pinning it, as the secret file's second line gives it.
TEST(CApiBinaryTest, CProgramSyncsWithAPinnedSelfSignedServer) {
  t::TempDir dir;
  t::ServerProcess server(dir.Sub("data"), {"--tls-self-signed"});
  ASSERT_FALSE(server.address().empty()) << server.process().err();
  auto admin_secret = client::ReadSecretFile(dir.Sub("data/admin-secret"));
  ASSERT_OK(admin_secret);
  auto pin = client::ReadServerPin(dir.Sub("data/admin-secret"));
  ASSERT_OK(pin);
  ASSERT_EQ(pin->size(), 64u);
  client::AdminClient admin(server.address(), *admin_secret,
                            std::chrono::seconds(10), {.server_sha256 = *pin});
  v1::EnrollDeviceRequest request;
  request.set_name("Máy A");
  request.set_role(v1::ROLE_COMMUNE_OFFICER);
  request.set_area_id("xa-tan-phu-dong");
  auto enrolled = admin.Enroll(request);
  ASSERT_OK(enrolled);

  t::RunResult result = t::Run({FS_C_API_TEST_BINARY, "pinned",
                                server.address(), enrolled->device().id(),
                                enrolled->secret(), *pin, dir.Sub("tablet")});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(", 0 failed"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace fieldsync
