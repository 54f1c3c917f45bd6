// The server's YAML config file (server/server_config.h): every key sets
// its option, and every kind of bad input is a problem naming the key and
// its line, all of a file's problems at once; and what is shown to a person
// (server/config_report.h): problems, the effective config with secrets
// hidden, in English and Vietnamese.
#include "server/server_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "server/config_report.h"
#include "tests/support/temp_dir.h"

namespace fieldsync::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Kind = ConfigProblem::Kind;

ParsedConfig Parse(const std::string& yaml) {
  return ParseServerConfig(yaml, ServerOptions());
}

TEST(ServerConfigTest, EveryKeySetsItsOption) {
  ParsedConfig parsed = Parse(
      "# a comment\n"
      "listen: 0.0.0.0:8443\n"
      "data_dir: /var/lib/fieldsync\n"
      "durability: relaxed\n"
      "log_retention: 5000\n"
      "block_cache_mb: 64\n"
      "tls_cert: /etc/fieldsync/cert.pem\n"
      "tls_key: /etc/fieldsync/key.pem\n"
      "tls_client_ca: /etc/fieldsync/ca.pem\n"
      "tls_self_signed: false\n"
      "plaintext: false\n"
      "dev_device_header: TRUE\n"
      "metrics_listen: 0.0.0.0:9464\n"
      "metrics_allow_remote: true\n");
  ASSERT_THAT(parsed.problems, IsEmpty());
  const ServerOptions& o = parsed.options;
  EXPECT_EQ(o.listen, "0.0.0.0:8443");
  EXPECT_EQ(o.data_dir, "/var/lib/fieldsync");
  EXPECT_EQ(o.durability, "relaxed");
  EXPECT_EQ(o.log_retention, 5000u);
  EXPECT_EQ(o.block_cache_mb, 64u);
  EXPECT_EQ(o.tls.cert_file, "/etc/fieldsync/cert.pem");
  EXPECT_EQ(o.tls.key_file, "/etc/fieldsync/key.pem");
  EXPECT_EQ(o.tls.client_ca_file, "/etc/fieldsync/ca.pem");
  EXPECT_FALSE(o.tls.self_signed);
  EXPECT_FALSE(o.tls.plaintext);
  EXPECT_TRUE(o.dev_device_header);
  EXPECT_EQ(o.metrics_listen, "0.0.0.0:9464");
  EXPECT_TRUE(o.metrics_allow_remote);
  EXPECT_EQ(parsed.lines.size(), ConfigKeys().size());
  EXPECT_EQ(parsed.lines.at("listen"), 2);
  EXPECT_EQ(parsed.lines.at("dev_device_header"), 12);
}

TEST(ServerConfigTest, EmptyFileAndUnsetKeysKeepTheDefaults) {
  ServerOptions base;
  base.listen = "127.0.0.1:0";
  for (const char* yaml : {"", "# only comments\n", "---\n"}) {
    ParsedConfig parsed = ParseServerConfig(yaml, base);
    EXPECT_THAT(parsed.problems, IsEmpty()) << yaml;
    EXPECT_EQ(parsed.options.listen, "127.0.0.1:0");
    EXPECT_EQ(parsed.options.data_dir, ServerOptions().data_dir);
  }
  ParsedConfig parsed = ParseServerConfig("plaintext: true\n", base);
  EXPECT_EQ(parsed.options.listen, "127.0.0.1:0");
  EXPECT_TRUE(parsed.options.tls.plaintext);
}

TEST(ServerConfigTest, EveryKeyMirrorsAFlag) {
  for (const ConfigKey& key : ConfigKeys()) {
    std::string flag = std::string("--") + key.name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    EXPECT_EQ(flag, key.flag);
    const int accessors = (key.text != nullptr) + (key.number != nullptr) +
                          (key.boolean != nullptr);
    EXPECT_EQ(accessors, 1) << key.name;
  }
}

TEST(ServerConfigTest, UnknownKeyIsNamedWithItsLineAndTheNearestKey) {
  ParsedConfig parsed = Parse(
      "listen: 127.0.0.1:0\n"
      "data-dir: /tmp/x\n"
      "block_cache: 64\n"
      "colour: blue\n");
  ASSERT_EQ(parsed.problems.size(), 3u);
  EXPECT_EQ(parsed.problems[0].kind, Kind::kUnknownKey);
  EXPECT_EQ(parsed.problems[0].key, "data-dir");
  EXPECT_EQ(parsed.problems[0].line, 2);
  EXPECT_EQ(parsed.problems[0].suggestion, "data_dir");
  EXPECT_EQ(parsed.problems[1].suggestion, "block_cache_mb");
  EXPECT_EQ(parsed.problems[1].line, 3);
  EXPECT_EQ(parsed.problems[2].key, "colour");
  EXPECT_EQ(parsed.problems[2].suggestion, "");
  EXPECT_EQ(parsed.problems[2].line, 4);
}

TEST(ServerConfigTest, NearestKeySuggestsOnlyNearNames) {
  EXPECT_EQ(NearestConfigKey("--data-dir"), "data_dir");
  EXPECT_EQ(NearestConfigKey("Listen"), "listen");
  EXPECT_EQ(NearestConfigKey("lisen"), "listen");
  EXPECT_EQ(NearestConfigKey("tls_certificate"), "");
  EXPECT_EQ(NearestConfigKey("port"), "");
  EXPECT_EQ(NearestConfigKey("durabilty"), "durability");
}

TEST(ServerConfigTest, WrongTypesAreNamedWithKeyAndLine) {
  ParsedConfig parsed = Parse(
      "block_cache_mb: lots\n"  // text for a number
      "log_retention: -5\n"     // negative
      "plaintext: yes\n"        // YAML 1.1's boolean, text in 1.2
      "durability: fast\n"      // not a choice
      "listen: [a, b]\n"        // a list for text
      "data_dir:\n"             // nothing
      "block_cache_mb: 4\n");   // below the minimum (and a duplicate)
  std::vector<std::pair<std::string, int>> named;
  for (const ConfigProblem& p : parsed.problems)
    named.push_back({p.key, p.line});
  EXPECT_THAT(named,
              ElementsAre(std::pair<std::string, int>{"block_cache_mb", 1},
                          std::pair<std::string, int>{"log_retention", 2},
                          std::pair<std::string, int>{"plaintext", 3},
                          std::pair<std::string, int>{"durability", 4},
                          std::pair<std::string, int>{"listen", 5},
                          std::pair<std::string, int>{"data_dir", 6},
                          std::pair<std::string, int>{"block_cache_mb", 7}));
  EXPECT_EQ(parsed.problems[0].kind, Kind::kWrongType);
  EXPECT_EQ(parsed.problems[0].found, "lots");
  EXPECT_EQ(parsed.problems[4].found_shape, ConfigShape::kList);
  EXPECT_EQ(parsed.problems[5].found_shape, ConfigShape::kNothing);
  EXPECT_EQ(parsed.problems[6].kind, Kind::kDuplicateKey);
  EXPECT_EQ(parsed.problems[6].first_line, 1);
}

TEST(ServerConfigTest, QuotedNumberIsTextAndOutOfRangeIsRefused) {
  for (const char* yaml : {"block_cache_mb: \"256\"\n", "block_cache_mb: 4\n",
                           "block_cache_mb: 2000000\n", "block_cache_mb: 1.5\n",
                           "log_retention: 99999999999999999999999\n"}) {
    ParsedConfig parsed = Parse(yaml);
    ASSERT_EQ(parsed.problems.size(), 1u) << yaml;
    EXPECT_EQ(parsed.problems[0].kind, Kind::kWrongType) << yaml;
    EXPECT_EQ(parsed.problems[0].line, 1) << yaml;
  }
}

TEST(ServerConfigTest, BadListenAddressIsABadValue) {
  ParsedConfig parsed = Parse("\n\nlisten: 7443\n");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].kind, Kind::kBadValue);
  EXPECT_EQ(parsed.problems[0].key, "listen");
  EXPECT_EQ(parsed.problems[0].line, 3);
  EXPECT_THAT(parsed.problems[0].detail, HasSubstr("7443"));
}

TEST(ServerConfigTest, MalformedYamlNamesTheLine) {
  // A key indented under a plain value: not YAML.
  ParsedConfig parsed = Parse(
      "listen: 127.0.0.1:0\n"
      "  data_dir: /srv/data\n"
      "plaintext: true\n");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].kind, Kind::kMalformed);
  EXPECT_EQ(parsed.problems[0].line, 2);
  EXPECT_THAT(parsed.problems[0].detail, Not(IsEmpty()));

  ParsedConfig unclosed = Parse("listen: 127.0.0.1:0\nplaintext: [true\n");
  ASSERT_EQ(unclosed.problems.size(), 1u);
  EXPECT_EQ(unclosed.problems[0].kind, Kind::kMalformed);
  // Note: yaml-cpp 0.7 reads a double quote left open until the end of the
  // file as one long text, so that is not malformed to it.
}

TEST(ServerConfigTest, TopLevelMustBeAMap) {
  for (const char* yaml : {"- listen\n- data_dir\n", "just text\n"}) {
    ParsedConfig parsed = Parse(yaml);
    ASSERT_EQ(parsed.problems.size(), 1u) << yaml;
    EXPECT_EQ(parsed.problems[0].kind, Kind::kNotAMap);
    EXPECT_EQ(parsed.problems[0].line, 1);
  }
}

TEST(ServerConfigTest, ReadConfigFileNamesAMissingFile) {
  testing::TempDir dir;
  absl::StatusOr<std::string> missing = ReadConfigFile(dir.Sub("nope.yaml"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()),
              HasSubstr(dir.Sub("nope.yaml")));
  EXPECT_FALSE(ReadConfigFile(dir.path()).ok());  // a folder
  std::ofstream(dir.Sub("good.yaml")) << "listen: 127.0.0.1:0\n";
  absl::StatusOr<std::string> good = ReadConfigFile(dir.Sub("good.yaml"));
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(*good, "listen: 127.0.0.1:0\n");
  // Reading created nothing beside it.
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("nope.yaml")));
}

TEST(ConfigReportTest, ProblemsNameFileLineAndKeyInBothLanguages) {
  ParsedConfig parsed = Parse("listen: 127.0.0.1:0\nblock_cache_mb: lots\n");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(DescribeConfigProblem("f.yaml", parsed.problems[0],
                                  cli::Language::kEnglish),
            "f.yaml:2:17: key \"block_cache_mb\": expected a whole number "
            "from 8 to 1048576, found \"lots\"");
  EXPECT_EQ(DescribeConfigProblem("f.yaml", parsed.problems[0],
                                  cli::Language::kVietnamese),
            "f.yaml:2:17: khóa \"block_cache_mb\": cần một số nguyên từ 8 "
            "đến 1048576, nhưng có \"lots\"");
  ParsedConfig unknown = Parse("data-dir: x\n");
  ASSERT_EQ(unknown.problems.size(), 1u);
  EXPECT_EQ(DescribeConfigProblem("f.yaml", unknown.problems[0],
                                  cli::Language::kEnglish),
            "f.yaml:1:1: unknown key \"data-dir\"; did you mean \"data_dir\"?");
}

TEST(ConfigReportTest, EffectiveConfigHidesSecretsAndNamesOrigins) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = "/srv/data";
  options.tls.cert_file = "/etc/fs/cert.pem";
  options.tls.key_file = "/etc/fs/private-key.pem";
  ConfigOrigins origins{.file = "fs.yaml",
                        .file_lines = {{"data_dir", 3}, {"tls_key", 5}},
                        .flags = {"listen"}};
  const std::string text =
      EffectiveConfigText(options, origins, cli::Language::kEnglish);
  EXPECT_THAT(text, Not(HasSubstr("private-key.pem")));
  EXPECT_THAT(text, HasSubstr("tls_key: (set, hidden)  # fs.yaml line 5\n"));
  EXPECT_THAT(text, HasSubstr("tls_cert: \"/etc/fs/cert.pem\"  # default\n"));
  EXPECT_THAT(text, HasSubstr("listen: \"127.0.0.1:0\"  # flag --listen\n"));
  EXPECT_THAT(text, HasSubstr("data_dir: \"/srv/data\"  # fs.yaml line 3\n"));
  EXPECT_THAT(text, HasSubstr("block_cache_mb: 256  # default\n"));
  const std::string vi =
      EffectiveConfigText(options, origins, cli::Language::kVietnamese);
  EXPECT_THAT(vi, HasSubstr("tls_key: (đã đặt, ẩn)  # fs.yaml dòng 5\n"));
  EXPECT_THAT(vi, Not(HasSubstr("private-key.pem")));
  // Nothing set: nothing to hide.
  EXPECT_THAT(EffectiveConfigText(ServerOptions(), {}, cli::Language::kEnglish),
              HasSubstr("tls_key: \"\"  # default\n"));
}

}  // namespace
}  // namespace fieldsync::server
