// `fieldsync completeness` and `fieldsync admin assign` against the real
// server, on the Sa Đéc field reports it loads on first start (33 reports of
// 2021, all accepted): every report of data/field_reports_sadec.json is
// counted at its area, expected areas follow the catalogue or an admin's
// assignment, both languages read well, and bad questions are refused
// naming the option and the value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "client-sdk/admin_client.h"
#include "client-sdk/monitoring_client.h"
#include "tests/support/cli_server_test.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using Json = nlohmann::json;

using t::kEnglish;
using t::kVietnamese;
using t::ReadJsonFile;

class CompletenessBinaryTest : public t::CliServerTest {
 protected:
  // Completeness as JSON; fails the test if the command does.
  Json Completeness(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"completeness", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    t::RunResult r = Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Json answer = Json::parse(r.out, nullptr, false);
    EXPECT_FALSE(answer.is_discarded()) << r.out;
    return answer;
  }
};

// (area -> reports) of one model in the data file.
std::map<std::string, std::map<std::string, int>> ReportsByModel() {
  Json seed =
      ReadJsonFile(std::string(FS_DATA_DIR) + "/field_reports_sadec.json");
  std::map<std::string, std::map<std::string, int>> by_model;
  for (const Json& report : seed["reports"]) {
    if (!report["model_id"].is_string()) continue;
    ++by_model[report["model_id"].get<std::string>()]
              [report["area_id"].get<std::string>()];
  }
  return by_model;
}

int Accepted(const Json& row) {
  return row.contains("reports") ? row["reports"].value("accepted", 0) : 0;
}

TEST_F(CompletenessBinaryTest, EverySaDecReportIsCountedAtItsArea) {
  const auto by_model = ReportsByModel();
  ASSERT_EQ(by_model.size(), 18u)
      << "the catalogued models the file reports on";
  int counted = 0;
  for (const auto& [model, areas] : by_model) {
    Json answer = Completeness({"--model", model, "--period", "2021"});
    std::map<std::string, int> seen;
    for (const Json& row : answer["rows"]) {
      const std::string area = row["area_id"];
      seen[area] = Accepted(row);
      EXPECT_EQ(row.value("none", false),
                row.value("expected", false) && Accepted(row) == 0)
          << model << " " << row.dump();
      if (!row.value("expected", false)) {
        EXPECT_GT(Accepted(row), 0) << "listed without being expected and "
                                    << "without a report: " << row.dump();
      }
    }
    int total = 0;
    for (const auto& [area, reports] : areas) {
      EXPECT_EQ(seen[area], reports) << model << " at " << area;
      total += reports;
    }
    counted += total;
    const Json& s = answer["summary"];
    EXPECT_EQ(s["reports"].value("accepted", 0), total) << model;
    EXPECT_EQ(s["reports"].value("draft", 0) +
                  s["reports"].value("submitted", 0) +
                  s["reports"].value("returned", 0),
              0)
        << "the seeded reports are all accepted";
  }
  EXPECT_EQ(counted, 32) << "33 reports, one of them on no catalogued model";

  // The Hội quán model names no commune: the city and its communes are
  // expected; four wards have not reported.
  Json hoi_quan =
      Completeness({"--model", "huyen-tp-sa-dec-05", "--period", "2021"});
  EXPECT_EQ(hoi_quan["source"], "EXPECTED_AREAS_SOURCE_CATALOGUE");
  EXPECT_EQ(hoi_quan["summary"]["expected_areas"], 9);
  EXPECT_EQ(hoi_quan["summary"]["reporting_areas"], 5);
  EXPECT_EQ(hoi_quan["summary"]["missing_areas"], 4);
  std::set<std::string> missing;
  for (const Json& row : hoi_quan["rows"]) {
    if (row.value("none", false)) missing.insert(row["area_id"]);
  }
  EXPECT_EQ(missing, (std::set<std::string>{"phuong-1", "phuong-2", "phuong-3",
                                            "phuong-an-hoa"}));
  // A province-level model reported by a ward: the province was expected.
  Json homestay = Completeness({"--model", "tinh-kt-18", "--period", "2021"});
  ASSERT_EQ(homestay["rows"].size(), 2u) << homestay.dump();
  EXPECT_EQ(homestay["rows"][0]["area_id"], "dong-thap");
  EXPECT_TRUE(homestay["rows"][0].value("none", false));
  EXPECT_EQ(homestay["rows"][1]["area_id"], "phuong-tan-quy-dong");
  EXPECT_FALSE(homestay["rows"][1].value("expected", false));
}

TEST_F(CompletenessBinaryTest, ATableInEachLanguage) {
  t::RunResult en = Cli({"completeness", "--model", "huyen-tp-sa-dec-05",
                         "--period", "2021", "--area", "tp-sa-dec"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  std::cout << en.out << "\n";
  EXPECT_THAT(en.out, HasSubstr("(huyen-tp-sa-dec-05), period 2021"));
  EXPECT_THAT(en.out, HasSubstr("9 areas expected: 5 with a report, 4 with "
                                "none; 0 reported without being expected."));
  EXPECT_THAT(en.out, HasSubstr("ACCEPTED"));
  EXPECT_THAT(en.out, HasSubstr("Xã Tân Khánh Đông"));
  EXPECT_THAT(en.out, HasSubstr("none"));

  t::RunResult vi =
      Cli({"completeness", "--model", "huyen-tp-sa-dec-18", "--period", "2021"},
          kVietnamese);
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  std::cout << vi.out << "\n";
  EXPECT_THAT(vi.out, HasSubstr("kỳ 2021"));
  EXPECT_THAT(vi.out, HasSubstr("đơn vị thực hiện theo danh mục"));
  EXPECT_THAT(vi.out, HasSubstr("ĐÃ DUYỆT"));
  EXPECT_THAT(vi.out, HasSubstr("chưa có"));
  EXPECT_THAT(vi.out, HasSubstr("Phường 1"));
  // The names start in one column on every line, whatever the diacritics
  // before them ("chưa có"): columns align by display width, not bytes.
  Json rows = Completeness(
      {"--model", "huyen-tp-sa-dec-18", "--period", "2021"})["rows"];
  auto column = [](const std::string& line, size_t byte) {
    size_t points = 0;
    for (size_t i = 0; i < byte; ++i) points += (line[i] & 0xC0) != 0x80;
    return points;
  };
  std::istringstream lines(vi.out);
  std::string line;
  std::set<size_t> name_columns;
  int named = 0;
  while (std::getline(lines, line)) {
    if (const size_t at = line.find("TÊN"); at != std::string::npos) {
      name_columns.insert(column(line, at));
    }
    for (const Json& row : rows) {
      const std::string id = row["area_id"];
      if (line.rfind(id + " ", 0) != 0) continue;
      const size_t at = line.find(row["area_name"].get<std::string>());
      ASSERT_NE(at, std::string::npos) << line;
      name_columns.insert(column(line, at));
      ++named;
    }
  }
  EXPECT_EQ(named, 3) << vi.out;
  EXPECT_EQ(name_columns.size(), 1u) << vi.out;
}

TEST_F(CompletenessBinaryTest, AnAssignmentReplacesTheCataloguesUnits) {
  t::RunResult assigned =
      Cli({"admin", "assign", "--model", "huyen-tp-sa-dec-05", "--areas",
           "xa-tan-phu-dong,phuong-1"});
  ASSERT_EQ(assigned.exit_code, 0) << assigned.err;
  EXPECT_THAT(assigned.out, HasSubstr("xa-tan-phu-dong, phuong-1"));
  Json answer =
      Completeness({"--model", "huyen-tp-sa-dec-05", "--period", "2021"});
  EXPECT_EQ(answer["source"], "EXPECTED_AREAS_SOURCE_ASSIGNMENT");
  EXPECT_EQ(answer["summary"]["expected_areas"], 2);
  EXPECT_EQ(answer["summary"]["reporting_areas"], 1);
  EXPECT_EQ(answer["summary"]["unexpected_areas"], 4)
      << "the city, Tân Khánh Đông, Tân Quy Tây, Tân Quy Đông: " << answer;
  EXPECT_EQ(answer["rows"][0]["area_id"], "xa-tan-phu-dong") << "tree order";
  EXPECT_EQ(answer["rows"][1]["area_id"], "phuong-1");

  // Bad assignments are refused naming the area, and change nothing.
  t::RunResult unknown =
      Cli({"admin", "assign", "--model", "huyen-tp-sa-dec-05", "--areas",
           "phuong-1,phuong-4"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("area_ids[1]"));
  EXPECT_THAT(unknown.err, HasSubstr("phuong-4"));
  t::RunResult twice = Cli({"admin", "assign", "--model", "huyen-tp-sa-dec-05",
                            "--areas", "phuong-1,phuong-1"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("area_ids[1]"));
  t::RunResult no_model =
      Cli({"admin", "assign", "--model", "huyen-tp-sa-dec-99", "--areas", "a"});
  EXPECT_EQ(no_model.exit_code, 1);
  EXPECT_THAT(no_model.err, HasSubstr("model_id"));
  EXPECT_THAT(no_model.err, HasSubstr("huyen-tp-sa-dec-99"));
  // A district officer assigns only within its district.
  const std::string lai_vung = Enrol(v1::ROLE_DISTRICT_OFFICER, "h-lai-vung");
  t::RunResult outside =
      Cli({"admin", "assign", "--model", "huyen-tp-sa-dec-05", "--areas",
           "xa-tan-phu-dong"},
          kEnglish, lai_vung);
  EXPECT_EQ(outside.exit_code, 1);
  EXPECT_EQ(Completeness({"--model", "huyen-tp-sa-dec-05", "--period",
                          "2021"})["summary"]["expected_areas"],
            2)
      << "nothing was written";

  t::RunResult cleared =
      Cli({"admin", "assign", "--model", "huyen-tp-sa-dec-05", "--clear"},
          kVietnamese);
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_THAT(cleared.out, HasSubstr("trở lại đơn vị thực hiện theo danh mục"));
  answer = Completeness({"--model", "huyen-tp-sa-dec-05", "--period", "2021"});
  EXPECT_EQ(answer["source"], "EXPECTED_AREAS_SOURCE_CATALOGUE");
  EXPECT_EQ(answer["summary"]["expected_areas"], 9);
}

TEST_F(CompletenessBinaryTest, PagesOfTwoRowsGiveTheWholeAnswer) {
  client::MonitoringClient monitoring(
      server_->address(),
      *client::ReadSecretFile(dir_.Sub("data/admin-secret")));
  v1::GetCompletenessRequest request;
  request.set_model_id("huyen-tp-sa-dec-05");
  request.set_period("2021");
  auto whole = monitoring.GetAllCompleteness(request);
  ASSERT_OK(whole);
  ASSERT_EQ(whole->rows_size(), 9);
  request.set_page_size(2);  // five pages, each asked with the last token
  auto paged = monitoring.GetAllCompleteness(request);
  ASSERT_OK(paged);
  EXPECT_EQ(paged->SerializeAsString(), whole->SerializeAsString());
  request.set_page_size(1001);
  auto too_many = monitoring.GetAllCompleteness(request);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_many.status().message(), HasSubstr("page_size"));
  request.set_page_size(2);
  request.set_page_token("not-a-token");
  auto bad_token = monitoring.GetAllCompleteness(request);
  EXPECT_EQ(bad_token.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_token.status().message(), HasSubstr("page_token"));
}

TEST_F(CompletenessBinaryTest, BadQuestionsAreRefusedNamingTheFieldAndValue) {
  struct Bad {
    std::vector<std::string> args;
    std::string field, value;
  };
  for (const Bad& bad : {
           Bad{{"--model", "huyen-tp-sa-dec-99", "--period", "2021"},
               "model_id",
               "huyen-tp-sa-dec-99"},
           Bad{{"--model", "huyen-tp-sa-dec-05", "--period", "2021", "--area",
                "tp-sa-dex"},
               "area_id",
               "tp-sa-dex"},
           Bad{{"--model", "huyen-tp-sa-dec-05", "--period", "2999"},
               "period",
               "2999"},
           Bad{{"--model", "huyen-tp-sa-dec-05", "--period", "2021", "--as-of",
                "2021-13-01"},
               "as_of",
               "2021-13-01"},
       }) {
    std::vector<std::string> args = {"completeness"};
    args.insert(args.end(), bad.args.begin(), bad.args.end());
    t::RunResult r = Cli(args);
    EXPECT_EQ(r.exit_code, 1) << bad.field;
    EXPECT_THAT(r.err, HasSubstr(bad.field));
    EXPECT_THAT(r.err, HasSubstr(bad.value));
  }
  t::RunResult missing = Cli({"completeness", "--period", "2021"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("--model")) << "it is required";
}

TEST_F(CompletenessBinaryTest, AnAreaOutsideTheCallersReadsAsUnknown) {
  const std::string lai_vung = Enrol(v1::ROLE_DISTRICT_OFFICER, "h-lai-vung");
  auto ask = [&](const std::string& model, const std::string& area) {
    return Cli(
        {"completeness", "--model", model, "--period", "2021", "--area", area},
        kEnglish, lai_vung);
  };
  t::RunResult outside = ask("tinh-kt-01", "tp-sa-dec");
  t::RunResult unknown = ask("tinh-kt-01", "tp-sa-dex");
  std::cout << outside.err;
  EXPECT_EQ(outside.exit_code, 1);
  ASSERT_THAT(unknown.err, HasSubstr("tp-sa-dex"));
  EXPECT_EQ(outside.err,
            unknown.err.replace(unknown.err.find("tp-sa-dex"), 9, "tp-sa-dec"));
  // Another district's model is not one the officer sees: unknown too.
  t::RunResult hidden = ask("huyen-tp-sa-dec-05", "h-lai-vung");
  t::RunResult no_model = ask("huyen-tp-sa-dec-99", "h-lai-vung");
  EXPECT_EQ(hidden.exit_code, 1);
  ASSERT_THAT(no_model.err, HasSubstr("huyen-tp-sa-dec-99"));
  EXPECT_EQ(hidden.err,
            no_model.err.replace(no_model.err.find("huyen-tp-sa-dec-99"), 18,
                                 "huyen-tp-sa-dec-05"));
  // With no --area the officer asks within its own district: the province
  // was expected for this model, and nothing there reported.
  t::RunResult own = Cli(
      {"completeness", "--model", "tinh-kt-01", "--period", "2021", "--json"},
      kEnglish, lai_vung);
  ASSERT_EQ(own.exit_code, 0) << own.err;
  Json answer = Json::parse(own.out);
  EXPECT_EQ(answer["area_id"], "h-lai-vung");
  EXPECT_FALSE(answer.contains("rows")) << own.out;
}

}  // namespace
}  // namespace fieldsync
