// The collector's CLI as officers use it: separate `fieldsync` processes,
// each tablet with its own folder, against the real server binary.
//  - three tablets edit one report offline and sync in different orders;
//    all end equal to the server, indicators merged, the one real conflict
//    in the district reviewer's queue with both values;
//  - bad input is refused naming the option and value, and nothing written;
//  - SIGKILL during `report new` and `sync` loses no saved edit and sends
//    nothing twice (FIELDSYNC_CLI_KILLS, default 20);
//  - a sync over a link that keeps dropping completes, and the progress it
//    shows never goes backwards.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/local_replica.h"
#include "tests/support/cli_env.h"
#include "tests/support/dropping_proxy.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

const std::vector<std::string>& kEnglish = t::kEnglishEnv;
const std::vector<std::string>& kVietnamese = t::kVietnameseEnv;

constexpr char kModel[] = "huyen-tp-sa-dec-05";

int CurrentYear() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return local.tm_year + 1900;
}

struct Tablet {
  std::string name;
  std::string dir;
  std::string id;
  std::string secret;
};

class CollectorCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
    admin_secret_ = *client::ReadSecretFile(dir_.Sub("data/admin-secret"));
  }

  Tablet Enroll(const std::string& name, v1::Role role,
                const std::string& area) {
    client::AdminClient admin(server_->address(), admin_secret_);
    v1::EnrollDeviceRequest request;
    request.set_name(name);
    request.set_role(role);
    request.set_area_id(area);
    auto enrolled = admin.Enroll(request);
    EXPECT_OK(enrolled);
    Tablet tablet{name, dir_.Sub("tablet-" + std::to_string(++tablets_)),
                  enrolled->device().id(), enrolled->secret()};
    t::RunResult login = Cli(tablet, {"--server", server_->address(), "login",
                                      "--secret", tablet.secret});
    EXPECT_EQ(login.exit_code, 0) << login.err;
    EXPECT_THAT(login.out, HasSubstr(name));
    return tablet;
  }

  std::vector<std::string> Argv(const Tablet& tablet,
                                std::vector<std::string> args) {
    args.insert(args.begin(), {FS_CLI_BINARY, "--data-dir", tablet.dir});
    return args;
  }

  t::RunResult Cli(const Tablet& tablet, std::vector<std::string> args,
                   const std::vector<std::string>& env = kEnglish) {
    return t::Run(Argv(tablet, std::move(args)), env);
  }

  // Runs a command that must succeed.
  std::string Ok(const Tablet& tablet, std::vector<std::string> args) {
    t::RunResult r = Cli(tablet, args);
    EXPECT_EQ(r.exit_code, 0) << absl::StrJoin(args, " ") << ": " << r.err;
    return r.out;
  }

  json Json(const Tablet& tablet, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    json parsed = json::parse(Ok(tablet, args), nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << absl::StrJoin(args, " ");
    return parsed;
  }

  // The reports a tablet holds, as JSON by key, without local-only fields.
  // The reports the tablets wrote: not the Sa Đéc reports of 2021 that the
  // server loads on first start (imported from the city's report).
  std::map<std::string, json> Reports(const Tablet& tablet) {
    std::map<std::string, json> out;
    for (const json& doc : Json(tablet, {"report", "list"})) {
      if (doc["report"].contains("imported_from")) continue;
      out[doc["key"]] = doc;
    }
    return out;
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
  std::string admin_secret_;
  int tablets_ = 0;
};

TEST_F(CollectorCliTest, ThreeTabletsEditOfflineAndEndEqualToTheServer) {
  Tablet lan = Enroll("Chị Lan", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Tablet minh = Enroll("Anh Minh", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Tablet hoa = Enroll("Cô Hoa", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Tablet district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  for (const Tablet* tablet : {&lan, &minh, &hoa, &district}) {
    Ok(*tablet, {"sync"});
  }
  Ok(lan, {"report", "new", "--model", kModel, "--period", "2025", "--set",
           "members=50", "--results", "Bắt đầu"});
  const std::string id = std::string("xa-tan-phu-dong.") + kModel + ".2025";
  const std::string key = "report/" + id;
  Ok(lan, {"sync"});
  Ok(minh, {"sync"});
  Ok(hoa, {"sync"});

  // Offline: Lan and Minh write the same field (results) and different
  // indicators; Hoa adds a third indicator.
  Ok(lan, {"report", "edit", id, "--set", "members=59", "--results",
           "Kết quả của Lan"});
  Ok(minh, {"report", "edit", id, "--set", "hectares=2541", "--results",
            "Kết quả của Minh"});
  Ok(hoa, {"report", "edit", id, "--set", "households=120"});

  // The link comes back at different times for each.
  for (const Tablet* tablet : {&hoa, &minh, &lan, &lan, &hoa, &minh}) {
    Ok(*tablet, {"sync"});
  }
  Ok(district, {"sync"});

  std::map<std::string, json> server = Reports(district);
  ASSERT_TRUE(server.contains(key));
  for (const Tablet* tablet : {&lan, &minh, &hoa}) {
    EXPECT_EQ(Reports(*tablet), server) << tablet->name;
    EXPECT_EQ(Json(*tablet, {"outbox"}).size(), 0u) << tablet->name;
  }
  const json& report = server[key]["report"];
  EXPECT_EQ(report["indicators"]["members"]["value"], 59);
  EXPECT_EQ(report["indicators"]["hectares"]["value"], 2541);
  EXPECT_EQ(report["indicators"]["households"]["value"], 120);
  EXPECT_EQ(report["results"], "Kết quả của Minh");  // it arrived first

  // The one real conflict, in the district reviewer's queue, both values.
  json queue = Json(district, {"review", "list"});
  ASSERT_EQ(queue["conflicts"].size(), 1u) << queue.dump(2);
  const json& conflict = queue["conflicts"][0];
  EXPECT_EQ(conflict["key"], key);
  ASSERT_EQ(conflict["values"].size(), 1u);
  EXPECT_EQ(conflict["values"][0]["path"], "results");
  std::string table = Ok(district, {"review", "list"});
  EXPECT_THAT(table, HasSubstr("Kết quả của Minh"));
  EXPECT_THAT(table, HasSubstr("Kết quả của Lan"));
  EXPECT_THAT(table, HasSubstr("Bắt đầu"));  // the value both started from
  EXPECT_THAT(table, HasSubstr("Open: conflict: 1; the oldest since"));

  // Lan is told, with both values; Minh and Hoa have nothing to look at.
  json told = Json(lan, {"conflicts"});
  ASSERT_EQ(told.size(), 1u) << told.dump(2);
  EXPECT_EQ(told[0]["path"], "results");
  EXPECT_EQ(told[0]["local_value"], "Kết quả của Lan");
  EXPECT_EQ(told[0]["server_value"], "Kết quả của Minh");
  EXPECT_EQ(told[0]["reason_code"], "MUTATION_REASON_FIELD_CONFLICT");
  // In her language, from the code, not from the server's English sentence.
  t::RunResult vi = Cli(lan, {"conflicts"}, kVietnamese);
  EXPECT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_THAT(vi.out, HasSubstr("người khác đã sửa trường này cùng lúc"));
  EXPECT_THAT(vi.out, Not(HasSubstr("changed concurrently")));
  EXPECT_EQ(Json(minh, {"conflicts"}).size(), 0u);
  EXPECT_EQ(Json(hoa, {"conflicts"}).size(), 0u);
  // Lan proposes a model from her tablet; the district forwards it.
  EXPECT_THAT(
      Ok(lan, {"proposal", "new", "--name", "Trồng hoa kiểng kết hợp du lịch",
               "--results", "15 hộ tham gia"}),
      HasSubstr("xa-tan-phu-dong.trong-hoa-kieng-ket-hop-du-lich"));
  Ok(lan, {"sync"});
  EXPECT_THAT(Ok(district, {"admin", "proposals", "decide",
                            "xa-tan-phu-dong.trong-hoa-kieng-ket-hop-du-lich",
                            "--forward"}),
              HasSubstr("PROPOSAL_STATUS_FORWARDED"));
  // A commune officer has no review queue.
  t::RunResult refused = Cli(lan, {"review", "list"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("review queue"));
  // The refusal's reason from its code, in Vietnamese.
  t::RunResult vi_refused = Cli(lan, {"review", "list"}, kVietnamese);
  EXPECT_EQ(vi_refused.exit_code, 1);
  EXPECT_THAT(vi_refused.err,
              HasSubstr("máy chủ từ chối yêu cầu: vai trò của bạn không được "
                        "làm việc này"));
}

TEST_F(CollectorCliTest, BadInputIsRefusedNamingTheFieldAndNothingIsWritten) {
  Tablet lan = Enroll("Chị Lan", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Ok(lan, {"sync"});
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::string next_year = std::to_string(CurrentYear() + 1);
  const std::vector<Case> cases = {
      {{"report", "new", "--model", "mo-hinh-khong-co", "--period", "2025"},
       "option --model: no model \"mo-hinh-khong-co\""},
      {{"report", "new", "--model", kModel, "--period", "2025", "--set",
        "members=năm mươi"},
       "option --set members (indicators/members): \"năm mươi\" is not a "
       "number"},
      {{"report", "new", "--model", kModel, "--period", next_year},
       "option --period: \"" + next_year + "\" is in the future"},
      {{"report", "new", "--model", kModel, "--period", "2025-13"},
       "option --period: \"2025-13\" is not a period"},
      {{"report", "new", "--model", kModel, "--period", "2025", "--results",
        std::string("T\xe2\x28\xa1n Ph\xc3")},
       "option --results: the value is not valid UTF-8"},
      {{"report", "new", "--model", kModel, "--period", "2025", "--set",
        "members"},
       "option --set: \"members\" is not CODE=NUMBER"},
      {{"report", "edit", "khong-co", "--set", "members=1"},
       "no report \"khong-co\""},
  };
  for (const Case& c : cases) {
    t::RunResult r = Cli(lan, c.args);
    EXPECT_EQ(r.exit_code, 2) << absl::StrJoin(c.args, " ") << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.expected)) << absl::StrJoin(c.args, " ");
    EXPECT_THAT(r.err, HasSubstr("Nothing was saved."));
  }
  EXPECT_EQ(Json(lan, {"outbox"}).size(), 0u);
  EXPECT_EQ(Reports(lan).size(), 0u);
  // In Vietnamese for Vietnamese officials.
  t::RunResult vi = Cli(lan,
                        {"report", "new", "--model", kModel, "--period", "2025",
                         "--set", "members=abc"},
                        kVietnamese);
  EXPECT_EQ(vi.exit_code, 2);
  EXPECT_THAT(vi.err, HasSubstr("\"abc\" không phải là số"));
  EXPECT_THAT(vi.err, HasSubstr("Chưa lưu gì cả."));
  // Good input after all that still works, and counts from 1.
  Ok(lan, {"report", "new", "--model", kModel, "--period", "2025", "--set",
           "members=59"});
  json outbox = Json(lan, {"outbox"});
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0]["mutation_seq"], "1");
}

TEST_F(CollectorCliTest, KilledDuringReportNewOrSyncLosesAndRepeatsNothing) {
  const char* env_kills = std::getenv("FIELDSYNC_CLI_KILLS");
  const int kills = env_kills != nullptr ? std::atoi(env_kills) : 20;
  Tablet lan = Enroll("Chị Lan", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Ok(lan, {"sync"});
  std::mt19937 random(20261123);
  std::set<std::string> saved;      // the CLI said so: must never be lost
  std::set<std::string> attempted;  // may or may not exist
  // How long each command takes here, so the kills land anywhere in it.
  auto timed = [&](std::vector<std::string> args) {
    const auto start = std::chrono::steady_clock::now();
    Ok(lan, args);
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now() - start)
               .count() +
           1;
  };
  attempted.insert("kill-calibrate");
  saved.insert("kill-calibrate");
  const int64_t new_ms =
      timed({"report", "new", "--model", kModel, "--period", "2025", "--id",
             "kill-calibrate", "--set", "members=1"});
  const int64_t sync_ms = timed({"sync"});
  int killed_new = 0, killed_sync = 0;
  for (int i = 0; i < kills; ++i) {
    const std::string id = "kill-" + std::to_string(i);
    attempted.insert(id);
    t::Subprocess report(
        Argv(lan, {"report", "new", "--model", kModel, "--period", "2025",
                   "--id", id, "--set", "members=" + std::to_string(i),
                   "--results", "Lần thứ " + std::to_string(i)}),
        kEnglish);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(random() % (new_ms * 5 / 4)));
    report.Signal(SIGKILL);
    if (report.Wait() == 0) {
      saved.insert(id);
    } else {
      ++killed_new;
    }
    t::Subprocess sync(Argv(lan, {"sync"}), kEnglish);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(random() % (sync_ms * 5 / 4)));
    sync.Signal(SIGKILL);
    if (sync.Wait() != 0) ++killed_sync;
  }
  // The link is fine now: a sync completes.
  Ok(lan, {"sync"});
  EXPECT_EQ(Json(lan, {"outbox"}).size(), 0u);

  Tablet district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  Ok(district, {"sync"});
  std::map<std::string, json> server = Reports(district);
  EXPECT_EQ(Reports(lan), server);
  for (const std::string& id : saved) {
    EXPECT_TRUE(server.contains("report/" + id)) << id << " was lost";
  }
  for (const auto& [key, doc] : server) {
    const std::string id = key.substr(std::string("report/").size());
    EXPECT_TRUE(attempted.contains(id)) << key;
    // Created once: every field was set by one change, the creation.
    for (const auto& [path, version] : doc["field_versions"].items()) {
      EXPECT_EQ(version, doc["version"]) << key << " " << path;
    }
  }
  // Each saved edit went to the server exactly once, in order: the device's
  // sequence numbers on the server run 1..n with no gap and no repeat.
  json me = Json(lan, {"outbox"});
  EXPECT_TRUE(me.empty());
  std::cout << "[ cli kills ] " << kills << " rounds (report new takes "
            << new_ms << " ms, sync " << sync_ms << " ms): " << killed_new
            << " `report new` and " << killed_sync << " `sync` killed mid-run; "
            << saved.size() << " saved, " << server.size()
            << " reports on the server\n";
  EXPECT_GE(server.size(), saved.size());
  EXPECT_GT(killed_new + killed_sync, 0) << "no kill landed: the test proves "
                                            "little";
}

// Counts out of each progress line: sent, total, received.
struct ProgressLine {
  int64_t sent = 0, total = 0, received = 0, to_receive = 0;
};

std::vector<ProgressLine> ProgressOf(const std::string& err) {
  static const std::regex kLine(
      R"(sending (\d+)/(\d+) · receiving (\d+)/(\d+) documents)");
  std::vector<ProgressLine> lines;
  for (const std::string& line :
       std::vector<std::string>(absl::StrSplit(err, absl::ByAnyChar("\r\n")))) {
    std::cmatch m;
    if (std::regex_search(line.c_str(), m, kLine)) {
      lines.push_back({std::stoll(m[1]), std::stoll(m[2]), std::stoll(m[3]),
                       std::stoll(m[4])});
    }
  }
  return lines;
}

TEST_F(CollectorCliTest, SyncOverADroppingLinkCompletesAndNeverGoesBackwards) {
  constexpr int kReports = 150;
  Tablet lan = Enroll("Chị Lan", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  {
    // Many edits, written through the SDK into the tablet's own replica
    // (as fast as an app would), with text gzip cannot shrink.
    auto replica = client::LocalReplica::Open(lan.dir + "/replica", lan.id);
    ASSERT_OK(replica);
    std::mt19937_64 rng(99);
    for (int i = 0; i < kReports; ++i) {
      v1::Report body;
      body.set_area_id("xa-tan-phu-dong");
      body.set_model_id(kModel);
      body.set_period("2024");
      std::string noise;
      for (int w = 0; w < 40; ++w) absl::StrAppend(&noise, rng() % 100000, " ");
      body.set_results("Báo cáo " + std::to_string(i) + ": " + noise);
      std::vector<v1::FieldSet> sets;
      for (const char* path : {"area_id", "model_id", "period", "results"}) {
        v1::FieldSet set;
        set.set_path(path);
        v1::Report only;
        only.GetReflection()->SetString(
            &only, only.GetDescriptor()->FindFieldByName(path),
            body.GetReflection()->GetString(
                body, body.GetDescriptor()->FindFieldByName(path)));
        set.set_value(only.SerializeAsString());
        sets.push_back(set);
      }
      ASSERT_TRUE(
          (*replica)
              ->Edit("report/weak-" + std::to_string(i), sets, 0, "Chị Lan")
              .ok());
    }
  }
  t::DroppingProxy proxy(server_->port(), 3000, 40000, /*seed=*/61);
  int runs = 0;
  int64_t remaining_before = kReports;
  int64_t estimate_seen = 0;  // the server's estimate of the pull
  bool done = false;
  while (!done && ++runs <= 40) {
    t::RunResult r =
        Cli(lan, {"--server", proxy.address(), "sync", "--max-attempts", "3"});
    std::vector<ProgressLine> progress = ProgressOf(r.err);
    for (size_t i = 1; i < progress.size(); ++i) {
      EXPECT_GE(progress[i].sent, progress[i - 1].sent) << r.err;
      EXPECT_GE(progress[i].received, progress[i - 1].received) << r.err;
      EXPECT_GE(progress[i].to_receive, progress[i - 1].to_receive) << r.err;
      EXPECT_LE(progress[i].received, progress[i].to_receive) << r.err;
      EXPECT_EQ(progress[i].total, progress[0].total) << r.err;
    }
    for (const ProgressLine& line : progress) {
      if (line.received == 0) continue;
      estimate_seen = std::max(estimate_seen, line.to_receive);
    }
    if (!progress.empty()) {
      // What is left to send only shrinks from one run to the next.
      EXPECT_LE(progress[0].total, remaining_before);
      remaining_before = progress[0].total;
    }
    done = r.exit_code == 0;
  }
  ASSERT_TRUE(done) << "sync never completed in 40 runs";
  // The pull's size was known from its first page: the catalogue and the
  // reports.
  EXPECT_GE(estimate_seen, kReports);
  EXPECT_GT(proxy.cuts(), 3) << "the proxy hardly cut: the test proves little";
  EXPECT_EQ(Json(lan, {"outbox"}).size(), 0u);

  Tablet district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  Ok(district, {"sync"});
  std::map<std::string, json> server = Reports(district);
  EXPECT_EQ(server.size(), size_t(kReports));
  EXPECT_EQ(Reports(lan), server);
  for (const auto& [key, doc] : server) {
    for (const auto& [path, version] : doc["field_versions"].items()) {
      EXPECT_EQ(version, doc["version"]) << key << " changed twice";
    }
  }
  std::cout << "[ dropping link ] " << runs << " sync runs, " << proxy.cuts()
            << " cuts, " << server.size() << " reports, each once\n";
}

}  // namespace
}  // namespace fieldsync
