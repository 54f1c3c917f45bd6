// The July 2025 reform applied to the real server through `fieldsync admin
// areas apply-changes` with the project's copy of reform_2025.csv: its row
// for phường 4, an area the seeds never name, is refused until the area is
// added; then the Sa Đéc 2021 totals read the former wards and communes on
// 2021-12-31 and phường Sa Đéc, with the same sums and no district, on
// 2025-07-01; a new report for a merged commune is refused naming its
// successor, and the merged commune's officer works for phường Sa Đéc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "client-sdk/admin_client.h"
#include "client-sdk/sync_client.h"
#include "sync/error_info.h"
#include "tests/support/cli_server_test.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

using t::kEnglish;
using t::kVietnamese;
const std::string kReformCsv = std::string(FS_DATA_DIR) + "/reform_2025.csv";

// The six units S2 confirms went into phường Sa Đéc.
const std::set<std::string> kMerged = {"phuong-1",       "phuong-2",
                                       "phuong-3",       "phuong-4",
                                       "xa-tan-quy-tay", "xa-tan-khanh-dong"};

struct Figure {
  uint64_t reports = 0;
  double sum = 0;
  bool operator==(const Figure&) const = default;
};
// (group, indicator, unit) -> the accepted column.
using Figures =
    std::map<std::tuple<std::string, std::string, std::string>, Figure>;

Figures FiguresOf(const Json& totals) {
  Figures out;
  if (!totals.contains("rows")) return out;
  for (const Json& row : totals["rows"]) {
    Figure& f = out[{row.value("group_id", ""), row["indicator"], row["unit"]}];
    const Json& accepted = row["accepted"];
    f.reports = std::stoull(accepted["reports"].get<std::string>());
    f.sum = accepted.value("sum", 0.0);
  }
  return out;
}

class ReformBinaryTest : public t::CliServerTest {
 protected:
  Json CliJson(std::vector<std::string> args) {
    args.push_back("--json");
    t::RunResult r = Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Json::parse(r.out, nullptr, false);
  }

  absl::StatusOr<v1::EnrollDeviceResponse> Enrol(const std::string& area) {
    return EnrolDevice(v1::ROLE_COMMUNE_OFFICER, area);
  }

  std::set<std::string> AreasOn(const std::string& date) {
    std::set<std::string> ids;
    Json areas = CliJson({"areas", "--as-of", date});
    for (const Json& a : areas["areas"]) ids.insert(a["id"].get<std::string>());
    return ids;
  }
};

TEST_F(ReformBinaryTest, TheReformOf2025FromItsOfficialTable) {
  // Enrolled before the reform, for a commune it merges away.
  absl::StatusOr<v1::EnrollDeviceResponse> officer = Enrol("xa-tan-khanh-dong");
  ASSERT_OK(officer);
  const Figures before_by_ward =
      FiguresOf(CliJson({"totals", "--area", "tp-sa-dec", "--period", "2021",
                         "--by", "area", "--as-of", "2021-12-31"}));
  ASSERT_FALSE(before_by_ward.empty());
  const Json province_before =
      CliJson({"totals", "--area", "dong-thap", "--period", "2021", "--as-of",
               "2021-12-31"});
  auto sa_dec_appendix = [&](const std::string& file) {
    return CliJson({"admin", "export", "appendix", "--year", "2021", "--format",
                    "csv", "--out", dir_.Sub(file), "--area", "tp-sa-dec"});
  };
  const Json appendix_before = sa_dec_appendix("before.csv");

  // As published, the table names phường 4, which the seeds never name:
  // its row (line 5 of the file) is refused and nothing is written.
  t::RunResult refused = Cli({"admin", "areas", "apply-changes", kReformCsv});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("row 5"));
  EXPECT_THAT(refused.err, HasSubstr("phuong-4"));
  EXPECT_TRUE(AreasOn("2025-07-01").contains("tp-sa-dec"));
  EXPECT_FALSE(AreasOn("2025-07-01").contains("phuong-sa-dec"));

  t::RunResult added =
      Cli({"admin", "areas", "add", "--id", "phuong-4", "--name", "Phường 4",
           "--level", "commune", "--parent", "tp-sa-dec"});
  ASSERT_EQ(added.exit_code, 0) << added.err;

  // A dry run shows the changes and writes nothing.
  t::RunResult dry =
      Cli({"admin", "areas", "apply-changes", kReformCsv, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("nothing written"));
  EXPECT_THAT(dry.out, HasSubstr("Phường Sa Đéc"));
  EXPECT_FALSE(AreasOn("2025-07-01").contains("phuong-sa-dec"));

  t::RunResult applied =
      Cli({"admin", "areas", "apply-changes", kReformCsv}, kVietnamese);
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_THAT(applied.out, HasSubstr("Đã áp dụng 7 thay đổi"));
  EXPECT_THAT(applied.out,
              HasSubstr("sáp nhập vào phuong-sa-dec từ 2025-07-01"));

  // On 2021-12-31 nothing moved: the former wards and communes, as before.
  const std::set<std::string> on_2021 = AreasOn("2021-12-31");
  EXPECT_TRUE(on_2021.contains("tp-sa-dec"));
  EXPECT_TRUE(on_2021.contains("xa-tan-khanh-dong"));
  EXPECT_FALSE(on_2021.contains("phuong-sa-dec"));
  EXPECT_EQ(
      FiguresOf(CliJson({"totals", "--area", "tp-sa-dec", "--period", "2021",
                         "--by", "area", "--as-of", "2021-12-31"})),
      before_by_ward);

  // On 2025-07-01: no district, phường Sa Đéc under the province with the
  // sums of the six units it was made of.
  const std::set<std::string> on_2025 = AreasOn("2025-07-01");
  EXPECT_FALSE(on_2025.contains("tp-sa-dec"));
  EXPECT_FALSE(on_2025.contains("phuong-1"));
  EXPECT_TRUE(on_2025.contains("phuong-sa-dec"));
  Figures want_sa_dec;
  for (const auto& [key, figure] : before_by_ward) {
    const auto& [group, indicator, unit] = key;
    if (!kMerged.contains(group)) continue;
    Figure& w = want_sa_dec[{"phuong-sa-dec", indicator, unit}];
    w.reports += figure.reports;
    w.sum += figure.sum;
  }
  ASSERT_FALSE(want_sa_dec.empty());
  const Figures after_by_area =
      FiguresOf(CliJson({"totals", "--area", "dong-thap", "--period", "2021",
                         "--by", "area", "--as-of", "2025-07-01"}));
  Figures got_sa_dec;
  for (const auto& [key, figure] : after_by_area) {
    EXPECT_NE(std::get<0>(key), "tp-sa-dec") << "the district is gone";
    if (std::get<0>(key) == "phuong-sa-dec") got_sa_dec[key] = figure;
  }
  ASSERT_EQ(got_sa_dec.size(), want_sa_dec.size());
  for (const auto& [key, want] : want_sa_dec) {
    EXPECT_EQ(got_sa_dec[key].reports, want.reports) << std::get<1>(key);
    EXPECT_DOUBLE_EQ(got_sa_dec[key].sum, want.sum) << std::get<1>(key);
  }
  // Nothing is lost: the province's totals are the same on both days.
  const Json province_after =
      CliJson({"totals", "--area", "dong-thap", "--period", "2021", "--as-of",
               "2025-07-01"});
  EXPECT_EQ(FiguresOf(province_after), FiguresOf(province_before));
  // And before the new ward existed, it is refused naming the field.
  t::RunResult too_early = Cli({"totals", "--area", "phuong-sa-dec", "--period",
                                "2021", "--as-of", "2021-12-31"});
  EXPECT_NE(too_early.exit_code, 0);
  EXPECT_THAT(too_early.err, HasSubstr("as_of"));
  EXPECT_THAT(too_early.err, HasSubstr("does not exist yet on 2021-12-31 "
                                       "(from 2025-07-01)"));
  t::RunResult district_gone = Cli({"totals", "--area", "tp-sa-dec", "--period",
                                    "2021", "--as-of", "2025-07-01"});
  EXPECT_NE(district_gone.exit_code, 0);
  EXPECT_THAT(district_gone.err, HasSubstr("dissolved into dong-thap"));
  // Its 2021 appendix rows keep their 2021 figures: an export rolls up along
  // the hierarchy of the year's last day.
  const Json appendix_after = sa_dec_appendix("after.csv");
  EXPECT_EQ(appendix_after["rows"], appendix_before["rows"]);
  int with_figures = 0;
  for (const Json& row : appendix_after["rows"]) {
    with_figures += row.contains("figures") ? 1 : 0;
  }
  EXPECT_EQ(appendix_after["rows"].size(), 31u * 2);
  EXPECT_EQ(with_figures, 17 * 2);  // the Sa Đéc models the reports are on

  // Completeness on each side: the wards' reports of the Hội quán model
  // count toward phường Sa Đéc after the merge.
  auto accepted_by_area = [&](const std::string& day) {
    std::map<std::string, int> out;
    Json answer = CliJson({"completeness", "--model", "huyen-tp-sa-dec-05",
                           "--period", "2021", "--as-of", day});
    for (const Json& row : answer["rows"]) {
      out[row["area_id"]] = row["reports"].value("accepted", 0);
    }
    return out;
  };
  int merged_2021 = 0;
  for (const auto& [area, accepted] : accepted_by_area("2021-12-31")) {
    if (kMerged.contains(area)) merged_2021 += accepted;
  }
  ASSERT_GT(merged_2021, 0);
  const std::map<std::string, int> after = accepted_by_area("2025-07-01");
  ASSERT_TRUE(after.contains("phuong-sa-dec"));
  EXPECT_EQ(after.at("phuong-sa-dec"), merged_2021);
  EXPECT_FALSE(after.contains("xa-tan-khanh-dong"));

  // The merged commune's officer now works for phường Sa Đéc and reads it.
  client::AdminClient as_officer(server_->address(), officer->secret());
  absl::StatusOr<v1::WhoAmIResponse> who = as_officer.WhoAmI();
  ASSERT_OK(who);
  EXPECT_EQ(who->working_area_id(), "phuong-sa-dec");
  EXPECT_THAT(who->read_scopes(),
              ::testing::IsSupersetOf({"commune/phuong-sa-dec",
                                       "commune/xa-tan-khanh-dong",
                                       "commune/phuong-1"}));
  const std::string officer_secret = dir_.Sub("officer-secret");
  std::ofstream(officer_secret) << officer->secret();
  t::RunResult officer_totals = t::Run(
      {FS_CLI_BINARY, "--server", server_->address(), "totals", "--area",
       "phuong-sa-dec", "--period", "2021", "--as-of", "2025-07-01"},
      {"LANG=C.UTF-8",
       "LC_ALL=", "LC_MESSAGES=", "FIELDSYNC_SECRET_FILE=" + officer_secret});
  EXPECT_EQ(officer_totals.exit_code, 0) << officer_totals.err;

  // A report filed now for the former commune is refused naming phường Sa
  // Đéc; one for phường Sa Đéc is taken.
  client::SyncClient tablet({.target = server_->address(),
                             .device_id = officer->device().id(),
                             .secret = officer->secret()});
  auto pushed = tablet.Push(
      {t::MutationBuilder(officer->device().id(), 1, "report/reform-old")
           .AreaId("xa-tan-khanh-dong")
           .Period("2026")
           .Results("báo cáo sau sáp nhập"),
       t::MutationBuilder(officer->device().id(), 2, "report/reform-new")
           .AreaId("phuong-sa-dec")
           .Period("2026")
           .Results("báo cáo sau sáp nhập")});
  ASSERT_OK(pushed);
  ASSERT_EQ(pushed->size(), 2u);
  EXPECT_EQ((*pushed)[0].outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_EQ((*pushed)[0].reason_code(), v1::MUTATION_REASON_AREA_SUPERSEDED);
  EXPECT_THAT((*pushed)[0].reason(), HasSubstr("merged into phuong-sa-dec"));
  EXPECT_THAT((*pushed)[0].reason(), HasSubstr("Phường Sa Đéc"));
  EXPECT_EQ((*pushed)[1].outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << (*pushed)[1].reason();

  // An enrolment for the former commune is refused the same way.
  absl::StatusOr<v1::EnrollDeviceResponse> late = Enrol("xa-tan-khanh-dong");
  ASSERT_FALSE(late.ok());
  EXPECT_THAT(std::string(late.status().message()),
              HasSubstr("merged into phuong-sa-dec"));
  std::optional<google::rpc::ErrorInfo> info = AttachedErrorInfo(late.status());
  ASSERT_TRUE(info.has_value()) << late.status();
  EXPECT_EQ(info->reason(), "AREA_SUPERSEDED");
  EXPECT_EQ(info->metadata().at("successor_area_id"), "phuong-sa-dec");
}

TEST_F(ReformBinaryTest, BadTablesAreRefusedNamingTheRowAndNothingIsWritten) {
  auto apply = [&](const std::string& name, const std::string& csv) {
    const std::string path = dir_.Sub(name);
    std::ofstream(path) << csv;
    return Cli({"admin", "areas", "apply-changes", path});
  };
  const std::string header =
      "action,old_area_id,new_area_id,new_area_name,new_area_level,"
      "valid_from,source\n";
  t::RunResult unknown =
      apply("unknown.csv", header +
                               "merge,xa-khong-co,phuong-sa-dec,"
                               "Phường Sa Đéc,commune,2025-07-01,S\n");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("row 2"));
  EXPECT_THAT(unknown.err, HasSubstr("xa-khong-co"));

  // phường 1 into phường 2 in July, phường 2 into phường 1 in June: each
  // would count toward the other.
  t::RunResult cycle =
      apply("cycle.csv", header +
                             "merge,phuong-1,phuong-2,,commune,2025-07-01,S\n"
                             "merge,phuong-2,phuong-1,,commune,2025-06-01,S\n");
  EXPECT_NE(cycle.exit_code, 0);
  EXPECT_THAT(cycle.err, HasSubstr("row 3"));
  EXPECT_THAT(cycle.err, HasSubstr("cycle"));

  // A district dissolved into one of its own communes.
  t::RunResult inside = apply(
      "inside.csv", header + "dissolve,tp-sa-dec,phuong-1,,,2025-07-01,S\n");
  EXPECT_NE(inside.exit_code, 0);
  EXPECT_THAT(inside.err, HasSubstr("cycle"));

  t::RunResult date = apply(
      "date.csv", header + "merge,phuong-1,phuong-2,,commune,2025-02-30,S\n");
  EXPECT_NE(date.exit_code, 0);
  EXPECT_THAT(date.err, HasSubstr("valid_from"));

  t::RunResult action = apply(
      "action.csv", header + "annex,phuong-1,phuong-2,,commune,2025-07-01,S\n");
  EXPECT_NE(action.exit_code, 0);
  EXPECT_THAT(action.err, HasSubstr("line 2: column action: \"annex\""));

  t::RunResult missing =
      Cli({"admin", "areas", "apply-changes", dir_.Sub("no-such.csv")});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("no-such.csv"));

  // Nothing of the above was written: phường 1 and 2 are as they were.
  const std::set<std::string> today = AreasOn("2026-01-01");
  EXPECT_TRUE(today.contains("phuong-1"));
  EXPECT_TRUE(today.contains("phuong-2"));
  EXPECT_TRUE(today.contains("tp-sa-dec"));

  // A commune officer may not change the hierarchy.
  absl::StatusOr<v1::EnrollDeviceResponse> officer = Enrol("phuong-1");
  ASSERT_OK(officer);
  client::AdminClient as_officer(server_->address(), officer->secret());
  v1::ApplyAreaChangesRequest request;
  v1::AreaChange* change = request.add_changes();
  change->set_action(v1::AREA_CHANGE_ACTION_RENAME);
  change->set_old_area_id("phuong-1");
  change->set_new_area_name("Phường Một");
  change->set_valid_from("2025-07-01");
  EXPECT_EQ(as_officer.ApplyAreaChanges(request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace fieldsync
