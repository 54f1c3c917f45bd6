// Power loss (STYLE.md 11): a tablet pushes report edits through a
// ServerReplica on RocksDB over PowerLossFs, the power is cut, and the store
// must reopen consistent: it holds exactly the first N mutations of the
// device for some batch boundary N, and N covers every mutation
// acknowledged at Durability::kSync. A control case at kRelaxed shows that
// the file system really drops acknowledged data, so the tests can fail.
#include <gtest/gtest.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "sync/keys.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"
#include "tests/support/power_loss_fs.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kDevice[] = "tablet-1";
constexpr char kCommune[] = "xa-tan-phu-dong";
constexpr uint64_t kReports = 8;
// Fewer than kReports, so a batch touches each report at most once.
constexpr uint64_t kBatchSize = 5;
constexpr int kBatches = 20;
constexpr int64_t kStartMicros = 1'790'000'000'000'000;  // 2026-09-21

v1::Area MakeArea(const std::string& id, const std::string& parent,
                  v1::AreaLevel level) {
  v1::Area area;
  area.set_id(id);
  area.set_parent_id(parent);
  area.set_level(level);
  return area;
}

AreaTree SaDecAreas() {
  absl::StatusOr<AreaTree> tree = AreaTree::Build({
      MakeArea("dong-thap", "", v1::AREA_LEVEL_PROVINCE),
      MakeArea("tp-sa-dec", "dong-thap", v1::AREA_LEVEL_DISTRICT),
      MakeArea(kCommune, "tp-sa-dec", v1::AREA_LEVEL_COMMUNE),
  });
  EXPECT_OK(tree);
  return tree.ok() ? *std::move(tree) : AreaTree();
}

// Mutation `seq` of the device writes report "sadec-<(seq-1) % kReports>",
// creating it on first touch. Its values derive from `seq` alone, so the
// expected state of the store after the first N mutations is computable.
std::string ReportKey(uint64_t seq) {
  return absl::StrCat("report/sadec-", (seq - 1) % kReports);
}
std::string ResultsText(uint64_t seq) {
  return absl::StrCat("Tổ hợp tác thanh long, lần ghi ", seq);
}

void AddSet(v1::Mutation& m, const std::string& path, const v1::Report& r) {
  v1::FieldSet* set = m.add_sets();
  set->set_path(path);
  set->set_value(r.SerializeAsString());  // the body with only that field
}

v1::Mutation ReportMutation(uint64_t seq, uint64_t base_version, int64_t now) {
  v1::Mutation m;
  m.set_device_id(kDevice);
  m.set_mutation_seq(seq);
  m.set_key(ReportKey(seq));
  m.set_base_version(base_version);
  m.set_device_time_micros(now);
  m.set_author("can-bo-xa");
  m.set_authority(v1::AUTHORITY_COMMUNE);
  if (base_version == 0) {
    v1::Report area;
    area.set_area_id(kCommune);
    AddSet(m, "area_id", area);
    v1::Report period;
    period.set_period("2025");
    AddSet(m, "period", period);
  }
  v1::Report results;
  results.set_results(ResultsText(seq));
  AddSet(m, "results", results);
  v1::Report members;
  v1::Indicator& indicator = (*members.mutable_indicators())["members"];
  indicator.set_value(static_cast<double>(seq));
  indicator.set_unit("hội viên");
  AddSet(m, "indicators/members", members);
  return m;
}

class PowerLossTest : public ::testing::Test {
 protected:
  void Open(Durability durability) {
    replica_.reset();
    store_.reset();
    auto store = RocksDbStore::Open(
        dir_.Sub("db"), {.durability = durability, .env = env_.get()});
    ASSERT_OK(store);
    store_ = *std::move(store);
    auto replica = ServerReplica::Open({.store = store_.get(),
                                        .areas = &areas_,
                                        .clock = &clock_,
                                        .locked_years = {}});
    ASSERT_OK(replica);
    replica_ = *std::move(replica);
  }

  // The power goes, the process dies (the store closes, but nothing it
  // writes now reaches the disk), and the machine comes back with
  // `keep_unsynced` of each file's unsynced tail written back.
  void LosePower(testing::DropStats* stats = nullptr,
                 double keep_unsynced = 0) {
    fs_->PowerCut();
    replica_.reset();
    store_.reset();
    rocksdb::IOStatus s = fs_->DropUnsyncedData(stats, keep_unsynced);
    ASSERT_OK(s);
  }

  // Pushes `batches` batches of the device's next mutations; each must be
  // acknowledged with every mutation applied.
  void PushBatches(int batches) {
    for (int b = 0; b < batches; ++b) {
      std::vector<v1::Mutation> batch;
      for (uint64_t seq = acked_ + 1; seq <= acked_ + kBatchSize; ++seq) {
        auto doc = store_->GetDoc(ReportKey(seq));
        ASSERT_OK(doc);
        batch.push_back(ReportMutation(
            seq, doc->has_value() ? (*doc)->version() : 0, clock_.NowMicros()));
        sent_[seq] = batch.back();
      }
      auto response = replica_->Push(batch);
      ASSERT_OK(response);
      for (const v1::MutationResult& result : response->results()) {
        ASSERT_EQ(result.outcome(), v1::MUTATION_OUTCOME_APPLIED)
            << result.mutation_seq() << ": " << result.reason();
      }
      acked_ += kBatchSize;
      boundaries_.insert(acked_);
      clock_.Advance(1'000'000);
    }
  }

  void CutRelaxed(double keep_unsynced, uint64_t* survived);

  // The store holds exactly the device's mutations 1..`n`, consistently.
  void ExpectStateAfter(uint64_t n) {
    auto device_seq = store_->GetDeviceSeq(kDevice);
    ASSERT_OK(device_seq);
    ASSERT_EQ(*device_seq, n);
    EXPECT_TRUE(boundaries_.contains(n)) << n << " splits a batch";
    ASSERT_NO_FATAL_FAILURE(ExpectResultsAndLog(n));
    for (uint64_t first = 1; first <= kReports; ++first) {
      ASSERT_NO_FATAL_FAILURE(ExpectReport(first, n));
    }
    uint64_t docs = 0;
    absl::Status s = store_->ScanDocs("", [&](const v1::Document&) {
      ++docs;
      return true;
    });
    ASSERT_OK(s);
    EXPECT_EQ(docs, std::min(n, kReports)) << "documents nobody wrote";
    ASSERT_NO_FATAL_FAILURE(ExpectDuplicates(n));
  }

  // A result per mutation up to `n` and none after; a log entry per server
  // sequence, the last one being the last-sequence meta.
  void ExpectResultsAndLog(uint64_t n) {
    for (uint64_t seq = 1; seq <= n + 1; ++seq) {
      auto result = store_->GetResult(kDevice, seq);
      ASSERT_OK(result);
      ASSERT_EQ(result->has_value(), seq <= n) << "mutation " << seq;
    }
    uint64_t logged = 0;
    absl::Status s = store_->ScanLog(0, [&](const v1::LogEntry& entry) {
      EXPECT_EQ(entry.sequence(), ++logged);
      return true;
    });
    ASSERT_OK(s);
    EXPECT_EQ(replica_->last_sequence(), logged);
    auto meta = store_->GetMeta(kLastSequenceMetaKey);
    ASSERT_OK(meta);
    EXPECT_EQ(meta->value_or(SequenceKey(0)), SequenceKey(logged));
  }

  // The report first written by mutation `first` shows the last mutation
  // up to `n` that wrote it, and that version is in its history.
  void ExpectReport(uint64_t first, uint64_t n) {
    auto doc = store_->GetDoc(ReportKey(first));
    ASSERT_OK(doc);
    if (first > n) {
      EXPECT_FALSE(doc->has_value()) << ReportKey(first);
      return;
    }
    ASSERT_TRUE(doc->has_value()) << ReportKey(first);
    const uint64_t last = first + (n - first) / kReports * kReports;
    const v1::Report& report = (*doc)->report();
    EXPECT_EQ(report.results(), ResultsText(last));
    ASSERT_TRUE(report.indicators().contains("members"));
    EXPECT_EQ(report.indicators().at("members").value(),
              static_cast<double>(last));
    EXPECT_EQ(report.area_id(), kCommune);
    auto result = store_->GetResult(kDevice, last);
    ASSERT_OK(result);
    ASSERT_TRUE(result->has_value()) << "no result for " << last;
    EXPECT_EQ((*doc)->version(), (*result)->sequence());
    auto version = store_->GetDocAtVersion((*doc)->key(), (*doc)->version());
    ASSERT_OK(version);
    ASSERT_TRUE(version->has_value()) << "no history for " << (*doc)->key();
    EXPECT_TRUE(MessageDifferencer::Equals(**version, **doc));
  }

  // Re-sending an acknowledged mutation changes nothing.
  void ExpectDuplicates(uint64_t n) {
    if (n == 0) return;
    for (uint64_t seq : {uint64_t{1}, n}) {
      auto original = store_->GetResult(kDevice, seq);
      ASSERT_OK(original);
      ASSERT_TRUE(original->has_value()) << "no result for " << seq;
      auto response = replica_->Push({sent_.at(seq)});
      ASSERT_OK(response);
      EXPECT_EQ(response->results(0).outcome(), v1::MUTATION_OUTCOME_DUPLICATE);
      EXPECT_EQ(response->results(0).sequence(), (*original)->sequence());
    }
  }

  testing::TempDir dir_;
  std::shared_ptr<testing::PowerLossFs> fs_ =
      std::make_shared<testing::PowerLossFs>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env_ = rocksdb::NewCompositeEnv(fs_);
  AreaTree areas_ = SaDecAreas();
  FakeClock clock_{kStartMicros};
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<ServerReplica> replica_;
  uint64_t acked_ = 0;  // the device's last acknowledged mutation_seq
  std::set<uint64_t> boundaries_ = {0};  // acked_ after each batch
  // Each mutation as last sent: sending it again must be a duplicate.
  std::map<uint64_t, v1::Mutation> sent_;
};

TEST_F(PowerLossTest, SyncKeepsEveryAcknowledgedMutation) {
  // Three power cuts, each after more pushes on the recovered store.
  for (int cut = 0; cut < 3; ++cut) {
    ASSERT_NO_FATAL_FAILURE(Open(Durability::kSync));
    ASSERT_NO_FATAL_FAILURE(ExpectStateAfter(acked_));
    ASSERT_NO_FATAL_FAILURE(PushBatches(kBatches));
    ASSERT_NO_FATAL_FAILURE(LosePower());
  }
  ASSERT_NO_FATAL_FAILURE(Open(Durability::kSync));
  ASSERT_NO_FATAL_FAILURE(ExpectStateAfter(acked_));
  // The device goes on where it stopped.
  ASSERT_NO_FATAL_FAILURE(PushBatches(1));
  ASSERT_NO_FATAL_FAILURE(ExpectStateAfter(acked_));
}

// The control for both tests below: the mutations synced before, then
// `kBatches` batches at kRelaxed, then the power cut. Sets `survived` to the
// device's mutation_seq after the cut, having checked that the store holds
// exactly the mutations up to it, that it covers what was synced and that
// something acknowledged was lost (else these tests could not fail).
void PowerLossTest::CutRelaxed(double keep_unsynced, uint64_t* survived) {
  ASSERT_NO_FATAL_FAILURE(Open(Durability::kSync));
  ASSERT_NO_FATAL_FAILURE(PushBatches(kBatches));
  const uint64_t synced = acked_;
  ASSERT_NO_FATAL_FAILURE(Open(Durability::kRelaxed));  // a clean restart
  ASSERT_NO_FATAL_FAILURE(PushBatches(kBatches));
  testing::DropStats dropped;
  ASSERT_NO_FATAL_FAILURE(LosePower(&dropped, keep_unsynced));
  EXPECT_GT(dropped.bytes_dropped, 0u);

  ASSERT_NO_FATAL_FAILURE(Open(Durability::kRelaxed));
  auto device_seq = store_->GetDeviceSeq(kDevice);
  ASSERT_OK(device_seq);
  *survived = *device_seq;
  EXPECT_GE(*survived, synced);
  EXPECT_LT(*survived, acked_) << "the power cut lost nothing";
  ASSERT_NO_FATAL_FAILURE(ExpectStateAfter(*survived));

  // The device re-sends from where the server stands: the lost mutations
  // apply again rather than count as duplicates.
  acked_ = *survived;
  boundaries_.erase(boundaries_.upper_bound(acked_), boundaries_.end());
  ASSERT_NO_FATAL_FAILURE(PushBatches(1));
  ASSERT_NO_FATAL_FAILURE(ExpectStateAfter(acked_));
}

TEST_F(PowerLossTest, RelaxedLosesWhatWasNotSynced) {
  uint64_t survived = 0;
  ASSERT_NO_FATAL_FAILURE(CutRelaxed(/*keep_unsynced=*/0, &survived));
  EXPECT_EQ(survived, kBatches * kBatchSize);  // just the synced phase
}

// Half of the WAL's unsynced tail reached the disk, ending inside a
// record: recovery keeps whole batches up to the tear and nothing after.
TEST_F(PowerLossTest, RelaxedRecoversWholeBatchesFromATornWal) {
  uint64_t survived = 0;
  ASSERT_NO_FATAL_FAILURE(CutRelaxed(/*keep_unsynced=*/0.5, &survived));
  EXPECT_GT(survived, kBatches * kBatchSize);
}

}  // namespace
}  // namespace fieldsync
