// `fieldsync totals` against the real server, on the Sa Đéc field reports it
// loads on first start: every figure of data/field_reports_sadec.json comes
// back in the totals, in both languages, and bad questions are refused
// naming the option and the value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client-sdk/admin_client.h"
#include "tests/support/cli_server_test.h"
#include "tests/support/readme_counts.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using Json = nlohmann::json;

using t::kEnglish;
using t::kVietnamese;
using t::ReadJsonFile;

bool IsRate(const std::string& unit) {
  return unit.find('%') != std::string::npos ||
         unit.find('/') != std::string::npos;
}

class TotalsBinaryTest : public t::CliServerTest {};

TEST_F(TotalsBinaryTest, EverySaDecFigureOf2021ComesBackInTheTotals) {
  Json seed =
      ReadJsonFile(std::string(FS_DATA_DIR) + "/field_reports_sadec.json");
  ASSERT_FALSE(seed.is_discarded());
  struct Want {
    uint64_t reports = 0;
    double sum = 0;
    bool lower_bound = false;
  };
  // (model, indicator, unit) -> what the city's report printed.
  std::map<std::tuple<std::string, std::string, std::string>, Want> want;
  size_t figures = 0;
  for (const Json& report : seed["reports"]) {
    const std::string model = report["model_id"].is_string()
                                  ? report["model_id"].get<std::string>()
                                  : "";
    for (const auto& [code, figure] : report["indicators"].items()) {
      Want& w = want[{model, code, figure["unit"].get<std::string>()}];
      w.reports += 1;
      w.sum += figure["value"].get<double>();
      w.lower_bound |= figure.contains("qualifier");
      ++figures;
    }
  }
  ASSERT_EQ(figures, 57u) << "the data file's own count";

  t::RunResult r = Cli({"totals", "--area", "tp-sa-dec", "--period", "2021",
                        "--by", "model", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json totals = Json::parse(r.out, nullptr, false);
  ASSERT_FALSE(totals.is_discarded()) << r.out;
  EXPECT_EQ(totals["area_name"], "Thành phố Sa Đéc");
  ASSERT_EQ(totals["rows"].size(), want.size()) << r.out;
  uint64_t reports_seen = 0;
  for (const Json& row : totals["rows"]) {
    const std::string group = row.value("group_id", "");
    const std::string indicator = row["indicator"];
    const std::string unit = row["unit"];
    auto it = want.find({group, indicator, unit});
    ASSERT_NE(it, want.end()) << row.dump();
    const Want& w = it->second;
    const Json& accepted = row["accepted"];
    // JSON carries uint64 as a string (proto3 JSON mapping).
    EXPECT_EQ(std::stoull(accepted["reports"].get<std::string>()), w.reports)
        << row.dump();
    reports_seen += w.reports;
    if (IsRate(unit)) {
      EXPECT_FALSE(accepted.value("summed", false)) << row.dump();
      EXPECT_DOUBLE_EQ(accepted["mean"].get<double>(), w.sum / w.reports);
    } else {
      EXPECT_TRUE(accepted.value("summed", false)) << row.dump();
      EXPECT_DOUBLE_EQ(accepted["sum"].get<double>(), w.sum) << row.dump();
    }
    EXPECT_EQ(accepted.value("lower_bound", false), w.lower_bound)
        << row.dump();
    EXPECT_FALSE(row.contains("submitted") &&
                 row["submitted"].contains("reports"))
        << "the seed reports are accepted: " << row.dump();
  }
  EXPECT_EQ(reports_seen, figures);
}

TEST_F(TotalsBinaryTest, ATableInEachLanguageWithDrillDown) {
  t::RunResult vi = Cli({"totals", "--area", "tp-sa-dec", "--period", "2021",
                         "--indicator", "members"},
                        kVietnamese);
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_THAT(vi.out, HasSubstr("Thành phố Sa Đéc (tp-sa-dec), kỳ 2021"));
  EXPECT_THAT(vi.out, HasSubstr("ĐÃ DUYỆT"));
  // 1.629 + 666 + 98 + 181 + 123 + 8 members (thành viên): Vietnamese
  // writes thousands with a dot.
  EXPECT_THAT(vi.out, HasSubstr("2.705"));
  t::RunResult en = Cli({"totals", "--area", "tp-sa-dec", "--period", "2021",
                         "--indicator", "members"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_THAT(en.out, HasSubstr("2,705"));
  EXPECT_THAT(en.out, HasSubstr("ACCEPTED"));

  // One level down: the city's wards and communes, and the city's own
  // reports under its own id.
  t::RunResult down =
      Cli({"totals", "--area", "tp-sa-dec", "--period", "2021", "--by",
           "commune", "--indicator", "members", "--json"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  std::map<std::string, double> sums;
  const Json drilled = Json::parse(down.out);
  for (const Json& row : drilled["rows"]) {
    sums[row["group_id"].get<std::string>() + " " +
         row["unit"].get<std::string>()] +=
        row["accepted"]["sum"].get<double>();
  }
  EXPECT_EQ(sums["xa-tan-khanh-dong hội viên"], 55 + 20 + 30);
  EXPECT_EQ(sums["phuong-tan-quy-dong hội viên"], 40 + 7 + 25);
  EXPECT_EQ(sums["tp-sa-dec thành viên"], 1629 + 666 + 98 + 181 + 123);

  // And from the province down: Sa Đéc is one of its districts.
  t::RunResult province =
      Cli({"totals", "--area", "dong-thap", "--period", "2021", "--by",
           "district", "--indicator", "cameras", "--json"});
  ASSERT_EQ(province.exit_code, 0) << province.err;
  Json rows = Json::parse(province.out)["rows"];
  ASSERT_EQ(rows.size(), 1u) << province.out;
  EXPECT_EQ(rows[0]["group_id"], "tp-sa-dec");
  EXPECT_EQ(rows[0]["accepted"]["sum"], 495);
}

TEST_F(TotalsBinaryTest, BadQuestionsAreRefusedNamingTheFieldAndValue) {
  t::RunResult area =
      Cli({"totals", "--area", "tp-sa-dex", "--period", "2021"});
  EXPECT_EQ(area.exit_code, 1);
  EXPECT_THAT(area.err, HasSubstr("area_id"));
  EXPECT_THAT(area.err, HasSubstr("tp-sa-dex"));

  t::RunResult model = Cli({"totals", "--area", "tp-sa-dec", "--period", "2021",
                            "--model", "huyen-tp-sa-dec-99"});
  EXPECT_EQ(model.exit_code, 1);
  EXPECT_THAT(model.err, HasSubstr("model_id"));
  EXPECT_THAT(model.err, HasSubstr("huyen-tp-sa-dec-99"));

  t::RunResult indicator = Cli({"totals", "--area", "tp-sa-dec", "--period",
                                "2021", "--indicator", "hectares"});
  EXPECT_EQ(indicator.exit_code, 1);
  EXPECT_THAT(indicator.err, HasSubstr("indicator"));
  EXPECT_THAT(indicator.err, HasSubstr("hectares"));

  t::RunResult future =
      Cli({"totals", "--area", "tp-sa-dec", "--period", "2999"});
  EXPECT_EQ(future.exit_code, 1);
  EXPECT_THAT(future.err, HasSubstr("period"));
  EXPECT_THAT(future.err, HasSubstr("2999"));

  t::RunResult as_of = Cli({"totals", "--area", "tp-sa-dec", "--period", "2021",
                            "--as-of", "2021-13-01"});
  EXPECT_EQ(as_of.exit_code, 1);
  EXPECT_THAT(as_of.err, HasSubstr("as_of"));
  EXPECT_THAT(as_of.err, HasSubstr("2021-13-01"));

  t::RunResult by =
      Cli({"totals", "--area", "tp-sa-dec", "--period", "2021", "--by", "ward"},
          kVietnamese);
  EXPECT_EQ(by.exit_code, 2);
  EXPECT_THAT(by.err, HasSubstr("--by"));
  EXPECT_THAT(by.err, HasSubstr("ward"));
}

TEST_F(TotalsBinaryTest, AnAreaOutsideTheCallersReadsAsUnknown) {
  const std::string lai_vung = Enrol(v1::ROLE_DISTRICT_OFFICER, "h-lai-vung");
  const std::string tan_phu_dong =
      Enrol(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  auto ask = [&](const std::string& area, const std::string& secret) {
    return Cli({"totals", "--area", area, "--period", "2021"}, kEnglish,
               secret);
  };
  // Inside: the district officer's own district, the commune's own commune.
  EXPECT_EQ(ask("h-lai-vung", lai_vung).exit_code, 0);
  t::RunResult own = ask("xa-tan-phu-dong", tan_phu_dong);
  EXPECT_EQ(own.exit_code, 0) << own.err;
  EXPECT_THAT(own.out, HasSubstr("members"));
  // Outside: the very answer an unknown area gets, with its id in place.
  t::RunResult outside = ask("tp-sa-dec", lai_vung);
  t::RunResult unknown = ask("tp-sa-dex", lai_vung);
  EXPECT_EQ(outside.exit_code, 1);
  EXPECT_EQ(outside.err,
            unknown.err.replace(unknown.err.find("tp-sa-dex"), 9, "tp-sa-dec"));
  EXPECT_EQ(ask("tp-sa-dec", tan_phu_dong).exit_code, 1);
  EXPECT_EQ(ask("xa-tan-khanh-dong", tan_phu_dong).exit_code, 1);
}

TEST_F(TotalsBinaryTest, TheOverviewMatchesTheCountsOfTheDataReadme) {
  t::RunResult r = Cli({"overview", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json overview = Json::parse(r.out, nullptr, false);
  ASSERT_FALSE(overview.is_discarded()) << r.out;
  EXPECT_EQ(overview["province_models"], t::kProvinceModels);
  EXPECT_EQ(overview["district_models"], t::kDistrictModels);
  std::map<std::string, int> sectors, districts, statuses;
  double shares = 0;
  for (const Json& line : overview["province_by_sector"]) {
    sectors[line["id"]] = line.value("models", 0);
    shares += line.value("share", 0.0);
  }
  EXPECT_NEAR(shares, 1.0, 1e-9);
  for (const Json& line : overview["district_by_area"]) {
    districts[line["id"]] = line.value("models", 0);
  }
  for (const Json& line : overview["by_status"]) {
    statuses[line["id"]] = line.value("models", 0);
  }
  EXPECT_EQ(sectors, t::SectorCounts());
  EXPECT_EQ(districts, t::DistrictCounts());
  EXPECT_EQ(statuses, t::StatusCounts());

  t::RunResult vi = Cli({"overview"}, kVietnamese);
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_THAT(vi.out, HasSubstr("Mô hình cấp tỉnh: 40"));
  EXPECT_THAT(vi.out, HasSubstr("Thành phố Sa Đéc"));
  EXPECT_THAT(vi.out, HasSubstr("29,0%"))
      << "31 of 107, written the Vietnamese way";
  t::RunResult bad = Cli({"overview", "--as-of", "2021-02-30"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("as_of"));
  EXPECT_THAT(bad.err, HasSubstr("2021-02-30"));
}

}  // namespace
}  // namespace fieldsync
