// Runs the real `fieldsync` CLI against a real server process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "client-sdk/sync_client.h"
#include "tests/support/readme_counts.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

const std::vector<std::string> kEnglish = {"LANG=C.UTF-8",
                                           "LC_ALL=", "LC_MESSAGES="};
const std::vector<std::string> kVietnamese = {"LANG=vi_VN.UTF-8",
                                              "LC_ALL=", "LC_MESSAGES="};

class CliBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
  }

  t::RunResult Cli(std::vector<std::string> args,
                   const std::vector<std::string>& env = kEnglish) {
    args.insert(args.begin(), {FS_CLI_BINARY, "--server", server_->address()});
    std::vector<std::string> with_secret = env;
    with_secret.push_back("FIELDSYNC_SECRET_FILE=" +
                          dir_.Sub("data/admin-secret"));
    return t::Run(args, with_secret);
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
};

TEST_F(CliBinaryTest, SearchWithoutDiacriticsAsJson) {
  t::RunResult r =
      Cli({"models", "list", "--search", "tan phu dong", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json json = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << r.out;
  std::vector<std::string> ids;
  for (const auto& m : json["models"]) ids.push_back(m["id"]);
  for (const char* id : t::kTanPhuDongImplementers) {
    EXPECT_THAT(ids, ::testing::Contains(id));
  }
  for (const auto& m : json["models"]) {
    if (m["id"] == "huyen-tp-sa-dec-11") {
      EXPECT_THAT(m["implementer"].get<std::string>(),
                  HasSubstr("Tân Phú Đông"));
    }
  }
}

TEST_F(CliBinaryTest, ListFollowsPagesAndCountsPerDistrict) {
  // 147 models is three default pages: the CLI must show all of them.
  t::RunResult all = Cli({"models", "list", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(nlohmann::json::parse(all.out)["models"].size(),
            static_cast<size_t>(t::kModelsTotal));

  for (const auto& [district, count] : t::DistrictCounts()) {
    t::RunResult r =
        Cli({"models", "list", "--level", "district", "--area", district});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("\n" + std::to_string(count) + " models\n"))
        << district;
  }
}

TEST_F(CliBinaryTest, TablesAreVietnameseUnderAVietnameseLocale) {
  t::RunResult r = Cli({"models", "list", "--area", "tp-sa-dec"}, kVietnamese);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("TRẠNG THÁI"));
  EXPECT_THAT(r.out, HasSubstr("31 mô hình"));
  EXPECT_THAT(r.out, HasSubstr("tạm ngưng"));  // huyen-tp-sa-dec-22
}

TEST_F(CliBinaryTest, ShowPrintsEveryColumn) {
  t::RunResult r = Cli({"models", "show", "huyen-tp-sa-dec-05"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* label :
       {"Implementer", "Context", "Results", "Issues raised", "Plan 2021–2025",
        "Recommendation"}) {
    EXPECT_THAT(r.out, HasSubstr(label));
  }
  EXPECT_THAT(r.out, HasSubstr("Mô hình Hội quán"));
}

TEST_F(CliBinaryTest, AreasPrintTheTree) {
  t::RunResult r = Cli({"areas"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\n    xa-tan-phu-dong"));
  EXPECT_THAT(r.out, HasSubstr("78 areas"));
  t::RunResult json = Cli({"areas", "--root", "tp-sa-dec", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["areas"].size(), 10u);
}

TEST_F(CliBinaryTest, HealthAndSectors) {
  t::RunResult health = Cli({"health"});
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_THAT(health.out, HasSubstr("is serving"));
  t::RunResult sectors = Cli({"sectors"});
  EXPECT_EQ(sectors.exit_code, 0) << sectors.err;
  EXPECT_THAT(sectors.out, HasSubstr("nong-nghiep"));
}

TEST_F(CliBinaryTest, ServerErrorsNameTheFieldAndValue) {
  t::RunResult area = Cli({"models", "list", "--area", "xa-khong-co"});
  EXPECT_EQ(area.exit_code, 1);
  EXPECT_THAT(area.err, HasSubstr("area_id"));
  EXPECT_THAT(area.err, HasSubstr("xa-khong-co"));

  t::RunResult vi =
      Cli({"models", "list", "--sector", "hang-khong"}, kVietnamese);
  EXPECT_EQ(vi.exit_code, 1);
  EXPECT_THAT(vi.err, HasSubstr("lỗi"));
  EXPECT_THAT(vi.err, HasSubstr("hang-khong"));

  t::RunResult missing = Cli({"models", "show", "tinh-kt-99"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("tinh-kt-99"));
  // The refusal in the user's language, from the reason's code.
  t::RunResult vi_missing = Cli({"models", "show", "tinh-kt-99"}, kVietnamese);
  EXPECT_EQ(vi_missing.exit_code, 1);
  EXPECT_THAT(vi_missing.err,
              HasSubstr("lỗi: máy chủ từ chối yêu cầu: không tìm thấy\n"));
}

TEST_F(CliBinaryTest, BadOptionsAreUsageErrors) {
  t::RunResult level = Cli({"models", "list", "--level", "commune"});
  EXPECT_EQ(level.exit_code, 2);
  EXPECT_THAT(level.err, HasSubstr("--level"));
  EXPECT_THAT(level.err, HasSubstr("commune"));

  t::RunResult utf8 = Cli({"models", "list", "--search", "T\xe2n"});
  EXPECT_EQ(utf8.exit_code, 2);
  EXPECT_THAT(utf8.err, HasSubstr("UTF-8"));

  // What the option parser refuses (a required option missing, an unknown
  // one) is a usage error like the rest.
  t::RunResult required = Cli({"completeness", "--period", "2021"});
  EXPECT_EQ(required.exit_code, 2);
  EXPECT_THAT(required.err, HasSubstr("--model"));
  t::RunResult unknown = Cli(
      {"totals", "--area", "tp-sa-dec", "--period", "2021", "--colour", "red"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("--colour"));
  EXPECT_EQ(Cli({"totals", "--help"}).exit_code, 0);
}

TEST_F(CliBinaryTest, AdminEnrolsListsAndRevokesDevices) {
  t::RunResult no_secret =
      t::Run({FS_CLI_BINARY, "--server", server_->address(), "admin", "devices",
              "list"},
             kEnglish);
  EXPECT_EQ(no_secret.exit_code, 2);
  EXPECT_THAT(no_secret.err, HasSubstr("--secret-file"));
  t::RunResult no_secret_read =
      t::Run({FS_CLI_BINARY, "--server", server_->address(), "models", "list"},
             kVietnamese);
  EXPECT_EQ(no_secret_read.exit_code, 1);
  EXPECT_THAT(no_secret_read.err, HasSubstr("FIELDSYNC_SECRET_FILE"));

  const std::string secret = dir_.Sub("data/admin-secret");
  t::RunResult enrolled =
      Cli({"--secret-file", secret, "admin", "devices", "enroll", "--role",
           "commune_officer", "--area", "xa-tan-phu-dong", "--name",
           "Cán bộ xã Tân Phú Đông", "--json"});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  nlohmann::json device = nlohmann::json::parse(enrolled.out);
  const std::string id = device["device"]["id"];
  EXPECT_THAT(device["secret"].get<std::string>(), HasSubstr("fs1." + id));

  t::RunResult wrong_area =
      Cli({"--secret-file", secret, "admin", "devices", "enroll", "--role",
           "commune_officer", "--area", "tp-sa-dec", "--name", "x"});
  EXPECT_EQ(wrong_area.exit_code, 1);
  EXPECT_THAT(wrong_area.err, HasSubstr("area_id"));
  EXPECT_THAT(wrong_area.err, HasSubstr("tp-sa-dec"));

  t::RunResult revoked =
      Cli({"--secret-file", secret, "admin", "devices", "revoke", id});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  t::RunResult list =
      Cli({"--secret-file", secret, "admin", "devices", "list"}, kVietnamese);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("đã thu hồi"));
  EXPECT_THAT(list.out, HasSubstr("Cán bộ xã Tân Phú Đông"));
  EXPECT_THAT(list.out, HasSubstr("2 thiết bị"));
}

TEST_F(CliBinaryTest, EnrolmentShowsAQrCodeAndRotationReplacesTheSecret) {
  const std::string secret_file = dir_.Sub("data/admin-secret");
  t::RunResult enrolled =
      Cli({"--secret-file", secret_file, "admin", "devices", "enroll", "--role",
           "commune_officer", "--area", "xa-tan-phu-dong", "--name", "Tablet"});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  EXPECT_THAT(enrolled.out, HasSubstr("QR"));
  // The QR code: a square block of equally wide lines of half blocks.
  std::vector<std::string> qr_lines;
  std::istringstream lines(enrolled.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("█") != std::string::npos) qr_lines.push_back(line);
  }
  ASSERT_GT(qr_lines.size(), 10u);
  // Every character takes one column: count code points, not bytes.
  auto columns = [](const std::string& line) {
    return std::count_if(line.begin(), line.end(),
                         [](char c) { return (c & 0xC0) != 0x80; });
  };
  for (const std::string& line : qr_lines) {
    EXPECT_EQ(columns(line), columns(qr_lines[0]));
  }
  std::smatch m;
  ASSERT_TRUE(std::regex_search(enrolled.out, m,
                                std::regex(R"((fs1\.(dev-[0-9a-f]+)\.\S+))")));
  const std::string old_secret = m[1], id = m[2];

  t::RunResult rotated = Cli({"--secret-file", secret_file, "admin", "devices",
                              "rotate", id, "--json"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  const std::string new_secret =
      nlohmann::json::parse(rotated.out)["secret"].get<std::string>();
  EXPECT_NE(new_secret, old_secret);

  auto pull = [&](const std::string& secret) {
    client::SyncClient tablet(
        {.target = server_->address(), .device_id = id, .secret = secret});
    std::string cursor;
    return tablet.Pull(cursor, [](const v1::PullResponse&) {});
  };
  EXPECT_EQ(pull(old_secret).code(), absl::StatusCode::kUnauthenticated);
  EXPECT_OK(pull(new_secret));
}

TEST(CliStandaloneTest, UnreachableServerSaysSo) {
  t::RunResult r =
      t::Run({FS_CLI_BINARY, "--server", "127.0.0.1:1", "health"}, kEnglish);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot reach the server at 127.0.0.1:1"));
  t::RunResult vi =
      t::Run({FS_CLI_BINARY, "--server", "127.0.0.1:1", "health"}, kVietnamese);
  EXPECT_THAT(vi.err, HasSubstr("không kết nối được máy chủ"));
}

TEST(CliStandaloneTest, HelpEverywhere) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"models", "--help"},
                                        {"models", "list", "--help"},
                                        {"models", "show", "--help"},
                                        {"areas", "--help"}}) {
    args.insert(args.begin(), FS_CLI_BINARY);
    t::RunResult r = t::Run(args, kEnglish);
    EXPECT_EQ(r.exit_code, 0) << args.back() << r.err;
    EXPECT_THAT(r.out, HasSubstr("Usage: fieldsync")) << r.out;
  }
  EXPECT_THAT(t::Run({FS_CLI_BINARY, "--help"}, kEnglish).out,
              HasSubstr("--server"));
  t::RunResult list =
      t::Run({FS_CLI_BINARY, "models", "list", "--help"}, kVietnamese);
  EXPECT_THAT(list.out, HasSubstr("không phân biệt dấu"));
}

}  // namespace
}  // namespace fieldsync
