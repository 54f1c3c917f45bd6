// Property test of the live aggregates: a replica driven through random
// creates, edits, status changes, conflicts and their resolutions, deletes,
// moves between areas and periods, locked years, groups merged on top of
// unwritten ones, and changes of the hierarchy (communes merged, split off,
// districts dissolved, each on a later date). After every step the stored
// cells equal a full recomputation from the stored reports, their status
// counts equal the reports counted directly, and the totals of areas on
// days before, between and after the changes equal a direct sum of the
// reports that count toward them that day.
//
// FIELDSYNC_AGGREGATE_SEEDS sets how many seeds run (default 30, 1,000
// steps each); FIELDSYNC_AGGREGATE_SEED=N replays one.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <map>
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sync/aggregates.h"
#include "sync/area_changes.h"
#include "sync/keys.h"
#include "sync/memory_store.h"
#include "sync/server_replica.h"
#include "sync/status_macros.h"
#include "sync/totals.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync::testing {
namespace {

constexpr int kSteps = 1000;
constexpr const char* kAreas[] = {"tp-sa-dec", "xa-tan-phu-dong",
                                  "xa-tan-quy-tay", "h-lai-vung",
                                  "xa-vinh-thoi"};
constexpr const char* kPeriods[] = {"2020", "2021"};
constexpr const char* kModels[] = {"m-hoi-quan", "m-camera", ""};
struct IndicatorKind {
  const char* code;
  const char* units[2];
};
constexpr IndicatorKind kIndicators[] = {
    {"members", {"hội viên", "thành viên"}},
    {"hectares", {"ha", "ha"}},
    {"households_pct", {"%", "%"}},
};
constexpr v1::ReportStatus kStatuses[] = {
    v1::REPORT_STATUS_DRAFT, v1::REPORT_STATUS_SUBMITTED,
    v1::REPORT_STATUS_ACCEPTED, v1::REPORT_STATUS_RETURNED};
constexpr v1::Authority kAuthorities[] = {
    v1::AUTHORITY_COMMUNE, v1::AUTHORITY_DISTRICT, v1::AUTHORITY_PROVINCE};

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback
                                            : std::strtoull(value, nullptr, 10);
}

class Driver {
 public:
  explicit Driver(uint64_t seed) : random_(seed) {}

  absl::Status Open() {
    // Every other seed keeps no cell in memory, so that cells are read back
    // from the store and from groups not yet written.
    ServerReplicaOptions options{
        .store = &store_, .areas = &areas_, .clock = &clock_};
    if (Pick(2) == 0) options.max_cached_cells = 0;
    auto replica = ServerReplica::Open(std::move(options));
    if (!replica.ok()) return replica.status();
    replica_ = *std::move(replica);
    return absl::OkStatus();
  }

  // One random step; returns what it did, for a failure's message.
  absl::StatusOr<std::string> Step() {
    clock_.Advance(1'000'000);
    const int what = Pick(1000);
    if (what < 6) return ChangeAreas();
    if (what < 30) {
      const std::string year = kPeriods[Pick(2)];
      (void)replica_->LockYear(year);  // locked already: refused, fine
      return "lock " + year;
    }
    if (what < 130) return Stacked();
    std::vector<v1::Mutation> batch;
    const int n = 1 + Pick(3);
    for (int i = 0; i < n; ++i) batch.push_back(RandomMutation());
    auto pushed = replica_->Push(batch);
    if (!pushed.ok()) return pushed.status();
    return absl::StrCat("push of ", n);
  }

  // Two groups prepared before either is written: the second reads the
  // first's cells through the overlay.
  absl::StatusOr<std::string> Stacked() {
    v1::Mutation edit = RandomMutation();
    const std::string key = edit.key();
    auto first = replica_->Prepare({std::move(edit)});
    if (!first.ok()) return first.status();
    // The second group edits the same report again, most times: its cell
    // is then read through the first group, not yet written.
    auto second = replica_->Prepare(
        {RandomMutation(Pick(4) == 0 ? "" : key), RandomMutation()});
    if (!second.ok()) return second.status();
    std::vector<ServerReplica::PreparedPush> both;
    both.push_back(*std::move(first));
    both.push_back(*std::move(second));
    auto committed = replica_->Commit(std::move(both));
    if (!committed.ok()) return committed.status();
    return std::string("two stacked groups");
  }

  // Review items the run opened.
  uint64_t conflicts() {
    uint64_t n = 0;
    (void)store_.ScanConflicts([&](const v1::ConflictRecord&) {
      ++n;
      return true;
    });
    return n;
  }

  absl::Status Check() {
    if (const uint64_t m = replica_->aggregate_mismatches(); m > 0) {
      return absl::InternalError(absl::StrCat(
          m, " values were taken out of cells that did not hold them"));
    }
    auto live = StoredAggregates(store_);
    if (!live.ok()) return live.status();
    auto recomputed = RecomputeAggregates(store_);
    if (!recomputed.ok()) return recomputed.status();
    for (const auto& [key, cell] : *live) {
      for (const v1::IndicatorAggregate& a : cell.indicators()) {
        accepted_values_ += a.accepted().values_size();
        submitted_values_ += a.submitted().values_size();
      }
    }
    if (live->size() != recomputed->size()) {
      return absl::InternalError(absl::StrCat(
          live->size(), " live cells, ", recomputed->size(), " recomputed"));
    }
    for (const auto& [key, cell] : *recomputed) {
      auto it = live->find(key);
      if (it == live->end()) {
        return absl::InternalError(
            absl::StrCat("cell ", absl::CHexEscape(key), " is missing"));
      }
      if (it->second.SerializeAsString() != cell.SerializeAsString()) {
        return absl::InternalError(absl::StrCat(
            "cell ", absl::CHexEscape(key), ": live ", it->second.DebugString(),
            " recomputed ", cell.DebugString()));
      }
    }
    FS_RETURN_IF_ERROR(CheckCounts(*live));
    return CheckTotals();
  }

 private:
  int Pick(int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(random_);
  }

  std::string Device(int authority) { return absl::StrCat("dev-", authority); }

  // A random change of `key` (empty: a random report).
  v1::Mutation RandomMutation(std::string key = "") {
    const int authority = Pick(3);
    const std::string device = Device(authority);
    if (key.empty()) key = absl::StrCat("report/r", Pick(12));
    MutationBuilder m(device, ++seqs_[device], key);
    m.Authority(kAuthorities[authority]);
    // A base from the past makes conflicts; 0 is a blind write. (Groups
    // merged and not yet written have later versions: those are newer.)
    const uint64_t last = replica_->last_sequence();
    m.Base(Pick(4) == 0 ? 0 : last - std::min<uint64_t>(last, Pick(6)));
    if (Pick(25) == 0) {
      m.Delete();
      return m;
    }
    v1::Report r;
    std::vector<std::string> paths;
    if (Pick(3) == 0) {
      r.set_area_id(RandomArea());
      paths.push_back("area_id");
    }
    if (Pick(4) == 0) {
      r.set_period(kPeriods[Pick(2)]);
      paths.push_back("period");
    }
    if (Pick(4) == 0) {
      r.set_model_id(kModels[Pick(3)]);
      paths.push_back("model_id");
    }
    for (int i = 0, n = Pick(3); i < n; ++i) {
      const IndicatorKind& kind = kIndicators[Pick(3)];
      v1::Indicator& ind = (*r.mutable_indicators())[kind.code];
      ind.set_value(Pick(8) == 0 ? 0.5 * Pick(7) : Pick(60));
      ind.set_unit(kind.units[Pick(2)]);
      if (Pick(5) == 0) ind.set_qualifier(v1::QUALIFIER_MORE_THAN);
      paths.push_back(absl::StrCat("indicators/", kind.code));
    }
    if (Pick(3) == 0) {
      r.set_status(kStatuses[Pick(4)]);
      paths.push_back("status");
    }
    if (paths.empty()) {
      r.set_results(absl::StrCat("kết quả ", Pick(100)));
      paths.push_back("results");
    }
    v1::Mutation out = m.Build();
    for (v1::FieldSet& set : SetsOf(r, paths)) *out.add_sets() = set;
    if (r.area_id().empty() && Pick(2) == 0) {
      v1::Report area;
      area.set_area_id(RandomArea());
      *out.add_sets() = SetsOf(area, {"area_id"}).front();
    }
    // Now and then, resolve an open conflict the way a reviewer does: the
    // waiting value, written by the province on the current version.
    if (Pick(10) == 0) ResolveOne(out);
    return out;
  }

  // Old areas stay in the pool after they end: a new report for one is
  // refused, an edit of an old one is not.
  std::string RandomArea() { return area_pool_[Pick(area_pool_.size())]; }

  // One change of the hierarchy, dated a month after the one before: a
  // commune merged into another or into a new one, a commune split, or a
  // district dissolved into the province.
  absl::StatusOr<std::string> ChangeAreas() {
    if (change_dates_.size() >= 20) return std::string("no more changes");
    const std::string date = absl::StrCat(
        2024 + change_dates_.size() / 12, "-",
        absl::Dec(1 + change_dates_.size() % 12, absl::kZeroPad2), "-01");
    const std::shared_ptr<const AreaTree> tree = replica_->areas();
    std::vector<std::string> communes, districts;
    for (const v1::Area& a : tree->Subtree("", date)) {
      if (!a.valid_until().empty()) continue;
      if (a.level() == v1::AREA_LEVEL_COMMUNE) communes.push_back(a.id());
      if (a.level() == v1::AREA_LEVEL_DISTRICT) districts.push_back(a.id());
    }
    v1::AreaChange change;
    change.set_valid_from(date);
    const std::string made = absl::StrCat("xa-moi-", change_dates_.size());
    const int kind = Pick(4);
    if (kind < 2 && communes.size() >= 2) {
      change.set_action(v1::AREA_CHANGE_ACTION_MERGE);
      const size_t a = Pick(communes.size());
      change.set_old_area_id(communes[a]);
      if (kind == 0) {
        change.set_new_area_id(
            communes[(a + 1 + Pick(communes.size() - 1)) % communes.size()]);
      } else {
        change.set_new_area_id(made);
        change.set_new_area_name(absl::StrCat("Xã Mới ", change_dates_.size()));
      }
    } else if (kind == 2 && !communes.empty()) {
      change.set_action(v1::AREA_CHANGE_ACTION_SPLIT);
      change.set_old_area_id(communes[Pick(communes.size())]);
      change.set_new_area_id(made);
      change.set_new_area_name(absl::StrCat("Xã Tách ", change_dates_.size()));
    } else if (!districts.empty()) {
      change.set_action(v1::AREA_CHANGE_ACTION_DISSOLVE);
      change.set_old_area_id(districts[Pick(districts.size())]);
      change.set_new_area_id("dong-thap");
    } else {
      return std::string("nothing left to change");
    }
    auto changed = ApplyAreaChanges(*tree, {change});
    if (!changed.ok()) return changed.status();
    auto written = replica_->WriteAreas(*std::move(changed), v1::AuditEvent());
    if (!written.ok()) return written.status();
    change_dates_.push_back(date);
    if (tree->Find(change.new_area_id()) == nullptr) {
      area_pool_.push_back(change.new_area_id());
    }
    return absl::StrCat(change.ShortDebugString());
  }

  // Turns `m` into the resolution of the first open conflict, if any.
  void ResolveOne(v1::Mutation& m) {
    std::optional<v1::ConflictRecord> open;
    (void)store_.ScanConflicts([&](const v1::ConflictRecord& c) {
      if (c.resolved() || c.values().empty()) return true;
      open = c;
      return false;
    });
    if (!open.has_value()) return;
    ++resolutions_;
    auto doc = store_.GetDoc(open->key());
    if (!doc.ok() || !doc->has_value()) return;
    m.set_key(open->key());
    m.set_base_version((*doc)->version());
    m.set_delete_(false);
    m.set_authority(v1::AUTHORITY_PROVINCE);
    m.clear_sets();
    for (const v1::ConflictValue& v : open->values()) {
      v1::FieldSet* set = m.add_sets();
      set->set_path(v.path());
      set->set_value(v.losing_value());
    }
  }

  // Each cell's status counts against the reports counted directly: every
  // report not deleted, in its status, a report with none as a draft.
  absl::Status CheckCounts(
      const std::map<std::string, v1::AggregateCell>& live) {
    std::map<std::string, std::array<uint64_t, 4>> want;
    FS_RETURN_IF_ERROR(store_.ScanDocs("report/", [&](const v1::Document& doc) {
      if (doc.deleted()) return true;
      const v1::Report& r = doc.report();
      auto& counts = want[AggregateKey(r.period(), r.area_id(), r.model_id())];
      switch (r.status()) {
        case v1::REPORT_STATUS_SUBMITTED:
          ++counts[1];
          break;
        case v1::REPORT_STATUS_ACCEPTED:
          ++counts[2];
          break;
        case v1::REPORT_STATUS_RETURNED:
          ++counts[3];
          ++returned_counted_;
          break;
        default:
          ++counts[0];
          ++drafts_counted_;
          break;
      }
      return true;
    }));
    for (const auto& [key, cell] : live) {
      const v1::ReportCounts& c = cell.reports();
      const std::array<uint64_t, 4> got = {c.draft(), c.submitted(),
                                           c.accepted(), c.returned()};
      auto it = want.find(key);
      const std::array<uint64_t, 4> expected =
          it == want.end() ? std::array<uint64_t, 4>{} : it->second;
      if (got != expected) {
        return absl::InternalError(absl::StrCat(
            "cell ", absl::CHexEscape(key), " counts ", c.DebugString(),
            " want draft ", expected[0], " submitted ", expected[1],
            " accepted ", expected[2], " returned ", expected[3]));
      }
      if (it != want.end()) want.erase(it);
    }
    if (!want.empty()) {
      return absl::InternalError(
          absl::StrCat("no cell counts the reports of ",
                       absl::CHexEscape(want.begin()->first)));
    }
    return absl::OkStatus();
  }

  // Totals of every area and grouping against the reports summed directly.
  absl::Status CheckTotals() {
    TotalsCatalogue catalogue{
        .model = [](std::string_view) -> const v1::Model* { return nullptr; },
        .sector = [](std::string_view) -> const v1::Sector* {
          return nullptr;
        }};
    const std::shared_ptr<const AreaTree> tree = replica_->areas();
    // Before any change, on the last one's day, and after all.
    std::vector<std::string> days = {"2023-12-31", "2026-01-01"};
    if (!change_dates_.empty()) days.push_back(change_dates_.back());
    for (const std::string& day : days) {
      const std::vector<v1::Area> valid = tree->Subtree("", day);
      const std::string some_area = valid[Pick(valid.size())].id();
      for (const char* period : kPeriods) {
        for (const std::string& area : {std::string("dong-thap"), some_area}) {
          TotalsQuery query{.area_id = area,
                            .period = period,
                            .by = v1::TOTALS_GROUPING_AREA,
                            .as_of = day};
          auto rows = ComputeTotals(store_, *tree, catalogue, query);
          if (!rows.ok()) return rows.status();
          // (group, indicator, unit) -> (submitted count, sum), (accepted …)
          std::map<std::tuple<std::string, std::string, std::string>,
                   std::pair<std::pair<uint64_t, double>,
                             std::pair<uint64_t, double>>>
              want;
          absl::Status error =
              store_.ScanDocs("report/", [&](const v1::Document& doc) {
                const v1::Report& r = doc.report();
                if (doc.deleted() || r.period() != period) return true;
                // Where the report counts that day, and that area's chain
                // of parents that day.
                const v1::Area* target = tree->RollupTargetOn(r.area_id(), day);
                std::vector<std::string> chain;
                for (const v1::Area* a = target;
                     a != nullptr && chain.size() < 10;
                     a = tree->Find(ParentOn(*a, day))) {
                  chain.push_back(a->id());
                }
                auto at = std::find(chain.begin(), chain.end(), area);
                if (at == chain.end()) return true;
                const bool accepted = r.status() == v1::REPORT_STATUS_ACCEPTED;
                if (!accepted && r.status() != v1::REPORT_STATUS_SUBMITTED) {
                  return true;
                }
                const std::string group =
                    at == chain.begin() ? area : *(at - 1);
                for (const auto& [code, ind] : r.indicators()) {
                  auto& w = want[{group, code, ind.unit()}];
                  auto& column = accepted ? w.second : w.first;
                  column.first += 1;
                  column.second += ind.value();
                }
                return true;
              });
          if (!error.ok()) return error;
          if (rows->size() != want.size()) {
            return absl::InternalError(
                absl::StrCat(area, " ", period, " on ", day, ": ", rows->size(),
                             " rows, want ", want.size()));
          }
          for (const v1::TotalsRow& row : *rows) {
            auto it = want.find({row.group_id(), row.indicator(), row.unit()});
            if (it == want.end()) {
              return absl::InternalError(
                  absl::StrCat("unexpected row ", row.DebugString()));
            }
            const auto& [s, a] = it->second;
            const bool summed = !IsRateUnit(row.unit());
            auto near = [](double x, double y) {
              return std::abs(x - y) < 1e-6;
            };
            if (row.submitted().reports() != s.first ||
                row.accepted().reports() != a.first ||
                (summed && (!near(row.submitted().sum(), s.second) ||
                            !near(row.accepted().sum(), a.second)))) {
              return absl::InternalError(
                  absl::StrCat(area, " ", period, " on ", day, " row ",
                               row.DebugString(), " want ", s.first, "/",
                               s.second, " and ", a.first, "/", a.second));
            }
          }
        }
      }
    }
    return absl::OkStatus();
  }

  std::mt19937_64 random_;
  MemoryStore store_;
  AreaTree areas_ = SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<ServerReplica> replica_;
  std::map<std::string, uint64_t> seqs_;
  std::vector<std::string> area_pool_ = {std::begin(kAreas), std::end(kAreas)};
  std::vector<std::string> change_dates_;

 public:
  // How much the run exercised, summed over its checks.
  uint64_t resolutions_ = 0;
  uint64_t accepted_values_ = 0;
  uint64_t submitted_values_ = 0;
  uint64_t drafts_counted_ = 0;
  uint64_t returned_counted_ = 0;
};

TEST(AggregatesPropertyTest, LiveCellsEqualARecomputationAfterEveryStep) {
  const uint64_t first = EnvOr("FIELDSYNC_AGGREGATE_SEED", 1);
  const uint64_t count = std::getenv("FIELDSYNC_AGGREGATE_SEED") != nullptr
                             ? 1
                             : EnvOr("FIELDSYNC_AGGREGATE_SEEDS", 30);
  uint64_t resolutions = 0, accepted = 0, submitted = 0, conflicts = 0;
  uint64_t drafts = 0, returned = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    Driver driver(seed);
    ASSERT_OK(driver.Open());
    for (int step = 0; step < kSteps; ++step) {
      absl::StatusOr<std::string> did = driver.Step();
      ASSERT_TRUE(did.ok())
          << "seed " << seed << " step " << step << ": " << did.status();
      absl::Status check = driver.Check();
      ASSERT_TRUE(check.ok())
          << "seed " << seed << " step " << step << " (" << *did
          << "): " << check.message()
          << "\nreplay: FIELDSYNC_AGGREGATE_SEED=" << seed
          << " tests/sync_tests --gtest_filter='AggregatesProperty*'";
    }
    resolutions += driver.resolutions_;
    accepted += driver.accepted_values_;
    submitted += driver.submitted_values_;
    conflicts += driver.conflicts();
    drafts += driver.drafts_counted_;
    returned += driver.returned_counted_;
  }
  // The run must reach the cases that move cells.
  EXPECT_GT(resolutions, 0u);
  EXPECT_GT(accepted, 0u);
  EXPECT_GT(submitted, 0u);
  EXPECT_GT(conflicts, 0u);
  EXPECT_GT(drafts, 0u);
  EXPECT_GT(returned, 0u);
  std::cout << count << " seeds x " << kSteps << " steps: live aggregates "
            << "equal their recomputation after every step\n";
}

}  // namespace
}  // namespace fieldsync::testing
