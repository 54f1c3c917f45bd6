// TLS for real on loopback, with certificates the test makes with openssl:
// a client without the CA is refused, mutual TLS refuses a client without a
// certificate or with another device's, and plaintext must be asked for
// with --plaintext, on loopback only. A server asked for TLS without a
// certificate makes its own, which clients pin.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "client-sdk/admin_client.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/secret_file.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

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

  // A certificate `name`.pem signed by `ca`, whose subject CN is `cn`
  // (`name` unless given).
  void MakeCert(const std::string& name, const std::string& ca,
                const std::string& extension, const std::string& cn = "") {
    OpenSsl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", Path(name + ".key"), "-out",
             Path(name + ".csr"), "-subj", "/CN=" + (cn.empty() ? name : cn)});
    std::ofstream(Path(name + ".ext")) << extension << "\n";
    OpenSsl({"x509", "-req", "-in", Path(name + ".csr"), "-CA",
             Path(ca + ".pem"), "-CAkey", Path(ca + ".key"), "-CAcreateserial",
             "-out", Path(name + ".pem"), "-days", "2", "-extfile",
             Path(name + ".ext")});
  }

  std::string Path(const std::string& name) { return dir_.Sub(name); }

  std::string ReadText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The certificate's SHA-256 as openssl prints it, in lowercase hex
  // without colons: what a pin is.
  std::string OpenSslSha256(const std::string& pem) {
    t::RunResult r = t::Run({"/usr/bin/openssl", "x509", "-in", pem, "-noout",
                             "-fingerprint", "-sha256"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string hex;
    for (char c : r.out.substr(r.out.find('=') + 1)) {
      if (std::isxdigit(static_cast<unsigned char>(c))) {
        hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    return hex;
  }

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
  EXPECT_OK(ListAreas(server->address(), {.ca_file = Path("ca.pem")}));
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

// The device id in a secret "fs1.<device id>.<random>".
std::string DeviceOf(const std::string& secret) {
  const size_t first = secret.find('.');
  return secret.substr(first + 1, secret.find('.', first + 1) - first - 1);
}

TEST_F(TlsBinaryTest, MutualTlsRefusesAClientWithoutACertificate) {
  auto server = Start({"--tls-cert", Path("server.pem"), "--tls-key",
                       Path("server.key"), "--tls-client-ca", Path("ca.pem")});
  auto secret = client::ReadSecretFile(Path("data/admin-secret"));
  ASSERT_OK(secret);
  MakeCert("admin", "ca", "extendedKeyUsage=clientAuth", DeviceOf(*secret));
  EXPECT_EQ(ListAreas(server->address(), {.ca_file = Path("ca.pem")}).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(ListAreas(server->address(), {.ca_file = Path("ca.pem"),
                                            .cert_file = Path("admin.pem"),
                                            .key_file = Path("admin.key")})
                  .ok());
}

// Issue 17 item 10: with mutual TLS the certificate names the device (its
// subject CN or a subject alternative name is the device id), so a
// certificate issued for one tablet does not carry another's secret.
TEST_F(TlsBinaryTest, MutualTlsBindsTheCertificateToItsDevice) {
  auto server = Start({"--tls-cert", Path("server.pem"), "--tls-key",
                       Path("server.key"), "--tls-client-ca", Path("ca.pem")});
  auto admin_secret = client::ReadSecretFile(Path("data/admin-secret"));
  ASSERT_OK(admin_secret);
  MakeCert("admin", "ca", "extendedKeyUsage=clientAuth",
           DeviceOf(*admin_secret));
  client::AdminClient admin(server->address(), *admin_secret,
                            std::chrono::seconds(5),
                            {.ca_file = Path("ca.pem"),
                             .cert_file = Path("admin.pem"),
                             .key_file = Path("admin.key")});
  std::map<std::string, v1::EnrollDeviceResponse> tablets;
  for (const char* name : {"a", "b"}) {
    v1::EnrollDeviceRequest request;
    request.set_name(std::string("Tablet ") + name);
    request.set_role(v1::ROLE_COMMUNE_OFFICER);
    request.set_area_id("xa-tan-phu-dong");
    auto enrolled = admin.Enroll(request);
    ASSERT_OK(enrolled);
    tablets[name] = *enrolled;
  }
  // Tablet A's certificate names it in its CN, tablet B's in a SAN only.
  MakeCert("tablet-a", "ca", "extendedKeyUsage=clientAuth",
           tablets["a"].device().id());
  MakeCert("tablet-b", "ca",
           "extendedKeyUsage=clientAuth\nsubjectAltName=DNS:" +
               tablets["b"].device().id(),
           "Tablet B");
  auto call = [&](const std::string& secret, const std::string& cert) {
    client::CatalogueClient catalogue(server->address(), secret,
                                      std::chrono::seconds(5),
                                      {.ca_file = Path("ca.pem"),
                                       .cert_file = Path(cert + ".pem"),
                                       .key_file = Path(cert + ".key")});
    return catalogue.ListAreas(v1::ListAreasRequest()).status();
  };
  EXPECT_OK(call(tablets["a"].secret(), "tablet-a"));
  EXPECT_OK(call(tablets["b"].secret(), "tablet-b"));
  absl::Status swapped = call(tablets["b"].secret(), "tablet-a");
  EXPECT_EQ(swapped.code(), absl::StatusCode::kUnauthenticated) << swapped;
  EXPECT_THAT(swapped.message(), HasSubstr(tablets["b"].device().id()));
  EXPECT_EQ(call(tablets["a"].secret(), "tablet-b").code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(call(*admin_secret, "tablet-a").code(),
            absl::StatusCode::kUnauthenticated);
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

// Issue 17 item 1: device secrets travel in every call, so plaintext is
// for loopback only, even when asked for.
TEST_F(TlsBinaryTest, PlaintextOffLoopbackIsRefused) {
  t::RunResult r = t::Run({FS_SERVER_BINARY, "--plaintext", "--listen",
                           "0.0.0.0:0", "--data-dir", Path("data")},
                          {}, std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("--plaintext on 0.0.0.0:0"));
  EXPECT_THAT(r.err, HasSubstr("loopback only"));
  EXPECT_THAT(r.err, HasSubstr("--tls-self-signed"));
  EXPECT_FALSE(std::filesystem::exists(Path("data")));  // nothing written
}

// Issue 17 item 1: off loopback without a certificate the server makes one
// on first start, keeps it, and the admin secret file and every enrolment
// carry its SHA-256 so clients pin it.
TEST_F(TlsBinaryTest, SelfSignedCertificateIsMadeOnceAndPinned) {
  auto server = Start({"--listen", "0.0.0.0:0", "--tls-self-signed"});
  ASSERT_FALSE(server->address().empty());
  EXPECT_THAT(server->process().out(),
              HasSubstr("made a self-signed TLS certificate"));
  struct stat key;
  ASSERT_EQ(stat(Path("data/tls/server.key").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600);
  const std::string pin = OpenSslSha256(Path("data/tls/server.pem"));
  ASSERT_EQ(pin.size(), 64u);
  EXPECT_THAT(ReadText(Path("data/admin-secret")),
              HasSubstr("\nserver-certificate-sha256 " + pin + "\n"));

  // The SDK pins it; a wrong pin, plaintext or a CA that is not it fail.
  EXPECT_OK(ListAreas(server->address(), {.server_sha256 = pin}));
  std::string wrong = pin;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  EXPECT_EQ(ListAreas(server->address(), {.server_sha256 = wrong}).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ListAreas(server->address(), {}).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ListAreas(server->address(), {.ca_file = Path("ca.pem")}).code(),
            absl::StatusCode::kUnavailable);

  // The CLI needs nothing but the secret file; an enrolment shows the pin
  // with the secret (and in its QR code) for the tablet.
  const std::vector<std::string> env = {
      "FIELDSYNC_SECRET_FILE=" + Path("data/admin-secret"), "LANG=C.UTF-8"};
  t::RunResult areas =
      t::Run({FS_CLI_BINARY, "--server", server->address(), "areas"}, env);
  EXPECT_EQ(areas.exit_code, 0) << areas.err;
  EXPECT_THAT(areas.out, HasSubstr("xa-tan-phu-dong"));
  t::RunResult enrolled =
      t::Run({FS_CLI_BINARY, "--server", server->address(), "admin", "devices",
              "enroll", "--role", "commune_officer", "--area",
              "xa-tan-phu-dong", "--name", "Tablet"},
             env);
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  std::smatch secret;
  ASSERT_TRUE(
      std::regex_search(enrolled.out, secret, std::regex(R"(fs1\.[^\s]+)")))
      << enrolled.out;
  EXPECT_THAT(enrolled.out, HasSubstr("server-certificate-sha256 " + pin));
  // The tablet saves what it is given as its file and logs in with it.
  std::ofstream(Path("tablet-secret"))
      << client::SecretFileText(secret[0].str(), pin);
  t::RunResult login =
      t::Run({FS_CLI_BINARY, "--server", server->address(), "--data-dir",
              Path("tablet"), "--secret-file", Path("tablet-secret"), "login"},
             {"LANG=C.UTF-8"});
  EXPECT_EQ(login.exit_code, 0) << login.err;
  t::RunResult synced = t::Run(
      {FS_CLI_BINARY, "--data-dir", Path("tablet"), "areas"}, {"LANG=C.UTF-8"});
  EXPECT_EQ(synced.exit_code, 0) << synced.err;

  // A restart serves the same certificate: the pins handed out hold.
  ASSERT_EQ(server->Stop(), 0);
  server = Start({"--listen", "0.0.0.0:0", "--tls-self-signed"});
  EXPECT_THAT(server->process().out(),
              HasSubstr("serving a self-signed TLS certificate"));
  EXPECT_EQ(OpenSslSha256(Path("data/tls/server.pem")), pin);
  EXPECT_OK(ListAreas(server->address(), {.server_sha256 = pin}));
}

// Issue 17 item 1: scripts/serve.sh on a LAN address without a certificate
// serves TLS with the server's own certificate, not plaintext. The script
// runs from a copy whose install and build steps do nothing.
TEST_F(TlsBinaryTest, ServeScriptOffLoopbackServesItsOwnCertificate) {
  std::filesystem::create_directories(Path("repo/scripts"));
  std::filesystem::copy_file(std::string(FS_DATA_DIR) + "/../scripts/serve.sh",
                             Path("repo/scripts/serve.sh"));
  for (const char* step : {"install-deps.sh", "build.sh"}) {
    const std::string path = Path(std::string("repo/scripts/") + step);
    std::ofstream(path) << "#!/bin/sh\nexit 0\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  }
  const std::string build_dir =
      std::filesystem::path(FS_SERVER_BINARY).parent_path().parent_path();
  t::Subprocess serve({"/bin/bash", Path("repo/scripts/serve.sh"), "--listen",
                       "0.0.0.0:0", "--data-dir", Path("data")},
                      {"BUILD_DIR=" + build_dir});
  std::optional<std::string> line =
      serve.WaitForLine("listening on", std::chrono::seconds(60));
  ASSERT_TRUE(line.has_value()) << serve.err();
  std::smatch port;
  ASSERT_TRUE(std::regex_search(*line, port, std::regex(R"(:(\d+) )")));
  const std::string address = "127.0.0.1:" + port[1].str();
  const std::string pin = OpenSslSha256(Path("data/tls/server.pem"));
  EXPECT_THAT(ReadText(Path("data/admin-secret")), HasSubstr(pin));
  EXPECT_OK(ListAreas(address, {.server_sha256 = pin}));
  EXPECT_EQ(ListAreas(address, {}).code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(serve.err(), ::testing::Not(HasSubstr("serving plaintext")));
}

}  // namespace
}  // namespace fieldsync
