// fieldsync-server --config FILE and --check-config FILE against the real
// binary: a file's listen address and data folder take effect, a flag
// overrides the file, the effective config printed at start hides the key,
// and every kind of bad file is refused with exit 2 naming its key and line
// while nothing is created on disk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class ConfigBinaryTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) { return dir_.Sub(name); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(Path(name)) << text;
    return Path(name);
  }

  t::RunResult Server(std::vector<std::string> args,
                      std::vector<std::string> env = {"LANG=C.UTF-8"}) {
    args.insert(args.begin(), FS_SERVER_BINARY);
    return t::Run(args, env, std::chrono::seconds(30));
  }

  // Starts the server with `args`, waits for its "listening on" line and
  // stops it; the line (empty if it never came) and the whole stderr.
  std::pair<std::string, std::string> StartAndStop(
      std::vector<std::string> args) {
    args.insert(args.begin(), FS_SERVER_BINARY);
    t::Subprocess server(args, {"LANG=C.UTF-8"});
    std::optional<std::string> line =
        server.WaitForLine("listening on", std::chrono::seconds(60));
    server.Signal(SIGTERM);
    EXPECT_EQ(server.Wait(), 0) << server.err();
    return {line.value_or(""), server.err()};
  }

  t::TempDir dir_;
};

TEST_F(ConfigBinaryTest, FileSetsListenAddressAndDataDir) {
  const std::string config = Write("fs.yaml",
                                   "# from the test\n"
                                   "listen: 127.0.0.1:0\n"
                                   "data_dir: " +
                                       Path("from-file") +
                                       "\n"
                                       "plaintext: true\n");
  auto [line, err] = StartAndStop({"--config", config});
  EXPECT_THAT(line, HasSubstr("listening on 127.0.0.1:"));
  EXPECT_THAT(line, HasSubstr("(data in " + Path("from-file") + ")"));
  EXPECT_TRUE(std::filesystem::exists(Path("from-file") + "/db"));
  EXPECT_THAT(err, HasSubstr("effective config (flags over " + config));
  EXPECT_THAT(
      err, HasSubstr("  listen: \"127.0.0.1:0\"  # " + config + " line 2\n"));
  EXPECT_THAT(err, HasSubstr("  data_dir: \"" + Path("from-file") + "\"  # " +
                             config + " line 3\n"));
  EXPECT_THAT(err, HasSubstr("  durability: \"sync\"  # default\n"));
}

TEST_F(ConfigBinaryTest, FlagOverridesTheFile) {
  const std::string config = Write("fs.yaml",
                                   "listen: 127.0.0.1:0\n"
                                   "data_dir: " +
                                       Path("from-file") +
                                       "\n"
                                       "plaintext: true\n");
  auto [line, err] =
      StartAndStop({"--config", config, "--data-dir", Path("from-flag")});
  EXPECT_THAT(line, HasSubstr("(data in " + Path("from-flag") + ")"));
  EXPECT_TRUE(std::filesystem::exists(Path("from-flag") + "/db"));
  EXPECT_FALSE(std::filesystem::exists(Path("from-file")));
  EXPECT_THAT(err, HasSubstr("  data_dir: \"" + Path("from-flag") +
                             "\"  # flag --data-dir\n"));
}

TEST_F(ConfigBinaryTest, EffectiveConfigHidesThePrivateKey) {
  t::RunResult openssl = t::Run(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
       Path("very-private.key"), "-out", Path("server.pem"), "-days", "2",
       "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(openssl.exit_code, 0) << openssl.err;
  const std::string config = Write("fs.yaml",
                                   "listen: 127.0.0.1:0\n"
                                   "data_dir: " +
                                       Path("data") +
                                       "\n"
                                       "tls_cert: " +
                                       Path("server.pem") +
                                       "\n"
                                       "tls_key: " +
                                       Path("very-private.key") + "\n");
  auto [line, err] = StartAndStop({"--config", config});
  EXPECT_THAT(line, HasSubstr("listening on 127.0.0.1:"));
  EXPECT_THAT(err,
              HasSubstr("  tls_key: (set, hidden)  # " + config + " line 4\n"));
  EXPECT_THAT(err, HasSubstr("  tls_cert: \"" + Path("server.pem") + "\""));
  EXPECT_THAT(err, Not(HasSubstr("very-private")));
  EXPECT_THAT(err, Not(HasSubstr("PRIVATE KEY")));
}

TEST_F(ConfigBinaryTest, CheckConfigAcceptsAGoodFileAndTouchesNothing) {
  const std::string config = Write("fs.yaml",
                                   "listen: 127.0.0.1:0\n"
                                   "data_dir: " +
                                       Path("data") +
                                       "\n"
                                       "tls_self_signed: true\n");
  t::RunResult r = Server({"--check-config", config});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "fieldsync-server: " + config + ": ok (3 key(s) set)\n");
  EXPECT_THAT(r.err, IsEmpty());
  // Not even the self-signed certificate's folder.
  EXPECT_FALSE(std::filesystem::exists(Path("data")));

  t::RunResult vi = Server({"--check-config", config}, {"LANG=vi_VN.UTF-8"});
  EXPECT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_THAT(vi.out, HasSubstr(": hợp lệ (đặt 3 khóa)"));
}

// The repository's example file is good as shipped.
TEST_F(ConfigBinaryTest, CheckConfigAcceptsTheExampleFile) {
  t::RunResult r = Server(
      {"--check-config", FS_SOURCE_DIR "/deploy/fieldsync.example.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(": ok ("));
}

TEST_F(ConfigBinaryTest, CheckConfigNamesKeyAndLineOfEachBadFile) {
  struct Case {
    const char* name;
    std::string yaml;
    std::vector<std::string> expected;  // in stderr
  };
  const std::vector<Case> cases = {
      {"unknown key",
       "listen: 127.0.0.1:0\ndata-dir: " + Path("x") + "\n",
       {":2:1: unknown key \"data-dir\"; did you mean \"data_dir\"?"}},
      {"wrong type",
       "data_dir: " + Path("data") + "\nblock_cache_mb: lots\n",
       {":2:17: key \"block_cache_mb\": expected a whole number from 8 to "
        "1048576, found \"lots\""}},
      {"list for text",
       "\n\nlisten: [a, b]\n",
       {":3:9: key \"listen\": expected text, found a list"}},
      {"not a choice",
       "durability: fast\n",
       {":1:13: key \"durability\": expected one of sync, relaxed, found "
        "\"fast\""}},
      {"bad address", "listen: 7443\n", {":1:9: key \"listen\": "}},
      {"malformed",
       "listen: 127.0.0.1:0\n  data_dir: /srv/data\n",
       {":2:11: not valid YAML: illegal map value"}},
      {"two problems",
       "plaintext: yes\ncolour: blue\n",
       {":1:12: key \"plaintext\": expected true or false, found \"yes\"",
        ":2:1: unknown key \"colour\"; known keys: listen, data_dir",
        "2 problem(s); nothing was started and nothing changed"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string config = Write("bad.yaml", c.yaml);
    t::RunResult r = Server({"--check-config", config});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.out, IsEmpty());
    for (const std::string& text : c.expected) {
      EXPECT_THAT(r.err, HasSubstr(text));
    }
    EXPECT_THAT(r.err, HasSubstr(config + ":"));
    // Starting the server with it is refused the same way, before
    // anything is created.
    t::RunResult start = Server({"--config", config});
    EXPECT_EQ(start.exit_code, 2);
    EXPECT_EQ(start.err, r.err);
    EXPECT_FALSE(std::filesystem::exists(Path("data")));
    EXPECT_FALSE(std::filesystem::exists(Path("x")));
  }
}

TEST_F(ConfigBinaryTest, CheckConfigNamesAMissingFile) {
  t::RunResult r = Server({"--check-config", Path("missing.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("cannot read the config file " + Path("missing.yaml") +
                        ": No such file or directory"));
  EXPECT_FALSE(std::filesystem::exists(Path("missing.yaml")));
  t::RunResult vi =
      Server({"--config", Path("missing.yaml")}, {"LANG=vi_VN.UTF-8"});
  EXPECT_EQ(vi.exit_code, 2);
  EXPECT_THAT(vi.err, HasSubstr("không đọc được tệp cấu hình"));
}

TEST_F(ConfigBinaryTest, CheckConfigChecksTheOptionsTogether) {
  // Each key is fine; a certificate without its key is not.
  const std::string config =
      Write("fs.yaml", "tls_cert: " + Path("cert.pem") + "\n");
  t::RunResult r = Server({"--check-config", config});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--tls-cert and --tls-key go together"));
  // Flags given with --check-config are checked with the file.
  const std::string loopback = Write("loopback.yaml", "listen: 127.0.0.1:0\n");
  EXPECT_EQ(Server({"--check-config", loopback}).exit_code, 2);
  EXPECT_EQ(Server({"--check-config", loopback, "--plaintext"}).exit_code, 0);
  // A flag turns a file's true off as well.
  const std::string plaintext =
      Write("plaintext.yaml", "listen: 127.0.0.1:0\nplaintext: true\n");
  EXPECT_EQ(Server({"--check-config", plaintext}).exit_code, 0);
  EXPECT_EQ(
      Server({"--check-config", plaintext, "--plaintext=false"}).exit_code, 2);
}

}  // namespace
}  // namespace fieldsync
