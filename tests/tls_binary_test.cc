// TLS for real on loopback, with certificates the test makes with openssl:
// a client without the CA is refused, mutual TLS refuses a client without a
// certificate, and plaintext must be asked for with --plaintext.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "client-sdk/admin_client.h"
#include "client-sdk/catalogue_client.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

class TlsBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MakeCa("ca");
    MakeCa("other-ca");
    MakeCert("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    MakeCert("tablet", "ca", "extendedKeyUsage=clientAuth");
  }

  void OpenSsl(std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/openssl");
    t::RunResult r = t::Run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  void MakeCa(const std::string& name) {
    OpenSsl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
             Path(name + ".key"), "-out", Path(name + ".pem"), "-days", "2",
             "-subj", "/CN=FieldSync test " + name});
  }

  void MakeCert(const std::string& name, const std::string& ca,
                const std::string& extension) {
    OpenSsl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", Path(name + ".key"), "-out",
             Path(name + ".csr"), "-subj", "/CN=" + name});
    std::ofstream(Path(name + ".ext")) << extension << "\n";
    OpenSsl({"x509", "-req", "-in", Path(name + ".csr"), "-CA",
             Path(ca + ".pem"), "-CAkey", Path(ca + ".key"), "-CAcreateserial",
             "-out", Path(name + ".pem"), "-days", "2", "-extfile",
             Path(name + ".ext")});
  }

  std::string Path(const std::string& name) { return dir_.Sub(name); }

  std::unique_ptr<t::ServerProcess> Start(std::vector<std::string> args) {
    auto server = std::make_unique<t::ServerProcess>(Path("data"), args);
    EXPECT_FALSE(server->address().empty()) << server->process().err();
    return server;
  }

  // Lists areas with the admin secret over `tls`.
  absl::Status ListAreas(const std::string& address,
                         const client::TlsFiles& tls) {
    auto secret = client::ReadSecretFile(Path("data/admin-secret"));
    if (!secret.ok()) return secret.status();
    client::CatalogueClient catalogue(address, *secret, std::chrono::seconds(5),
                                      tls);
    return catalogue.ListAreas(v1::ListAreasRequest()).status();
  }

  t::TempDir dir_;
};

TEST_F(TlsBinaryTest, ClientsNeedTheRightCa) {
  auto server = Start(
      {"--tls-cert", Path("server.pem"), "--tls-key", Path("server.key")});
  EXPECT_TRUE(ListAreas(server->address(), {.ca_file = Path("ca.pem")}).ok());
  EXPECT_EQ(ListAreas(server->address(), {}).code(),
            absl::StatusCode::kUnavailable);  // plaintext to a TLS server
  EXPECT_EQ(
      ListAreas(server->address(), {.ca_file = Path("other-ca.pem")}).code(),
      absl::StatusCode::kUnavailable);
  EXPECT_THAT(server->process().err(),
              ::testing::Not(HasSubstr("serving plaintext")));

  // The CLI speaks TLS too.
  t::RunResult cli = t::Run(
      {FS_CLI_BINARY, "--server", server->address(), "--tls-ca", Path("ca.pem"),
       "areas", "--root", "tp-sa-dec"},
      {"FIELDSYNC_SECRET_FILE=" + Path("data/admin-secret"), "LANG=C.UTF-8"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_THAT(cli.out, HasSubstr("xa-tan-phu-dong"));
}

TEST_F(TlsBinaryTest, MutualTlsRefusesAClientWithoutACertificate) {
  auto server = Start({"--tls-cert", Path("server.pem"), "--tls-key",
                       Path("server.key"), "--tls-client-ca", Path("ca.pem")});
  EXPECT_EQ(ListAreas(server->address(), {.ca_file = Path("ca.pem")}).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(ListAreas(server->address(), {.ca_file = Path("ca.pem"),
                                            .cert_file = Path("tablet.pem"),
                                            .key_file = Path("tablet.key")})
                  .ok());
}

TEST_F(TlsBinaryTest, PlaintextOnlyWhenAskedFor) {
  for (const char* address : {"0.0.0.0:0", "127.0.0.1:0"}) {
    t::RunResult plain = t::Run(
        {FS_SERVER_BINARY, "--listen", address, "--data-dir", Path("data")});
    EXPECT_EQ(plain.exit_code, 1);
    EXPECT_THAT(
        plain.err,
        HasSubstr(std::string("refusing to serve plaintext on ") + address));
  }
  EXPECT_FALSE(std::filesystem::exists(Path("data")));  // nothing written
  t::RunResult half =
      t::Run({FS_SERVER_BINARY, "--listen", "127.0.0.1:0", "--data-dir",
              Path("data"), "--tls-cert", Path("server.pem")});
  EXPECT_EQ(half.exit_code, 1);
  EXPECT_THAT(half.err, HasSubstr("--tls-key"));
  t::RunResult missing = t::Run(
      {FS_SERVER_BINARY, "--listen", "127.0.0.1:0", "--data-dir", Path("data"),
       "--tls-cert", Path("nope.pem"), "--tls-key", Path("server.key")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr(Path("nope.pem")));

  auto asked = Start({});  // ServerProcess passes --plaintext
  EXPECT_THAT(asked->process().err(), HasSubstr("WARNING: serving plaintext"));
}

}  // namespace
}  // namespace fieldsync
