// Scope-log records: runs of entries, and the one-entry records written
// before runs, read the same.
#include "sync/scope_log_run.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "sync/keys.h"
#include "sync/memory_store.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using Entries = std::vector<std::pair<uint64_t, std::string>>;

absl::StatusOr<Entries> Decode(uint64_t base, std::string_view value,
                               size_t stop_after = SIZE_MAX) {
  Entries seen;
  absl::StatusOr<bool> all = VisitScopeLogRecord(
      base, value, [&](uint64_t sequence, std::string_view key) {
        seen.emplace_back(sequence, std::string(key));
        return seen.size() < stop_after;
      });
  if (!all.ok()) return all.status();
  EXPECT_EQ(*all, seen.size() < stop_after);
  return seen;
}

TEST(ScopeLogRunTest, RunRoundTrips) {
  std::string value;
  AppendScopeLogRun(
      value, 300, {{300, "report/a"}, {301, "report/b"}, {100000, "model/c"}});
  auto seen = Decode(300, value);
  ASSERT_OK(seen);
  EXPECT_EQ(
      *seen,
      (Entries{{300, "report/a"}, {301, "report/b"}, {100000, "model/c"}}));
}

TEST(ScopeLogRunTest, FirstEntryMayStartAfterTheBase) {
  // A run rewritten without its first entry keeps its record key.
  std::string value;
  AppendScopeLogRun(value, 7, {{9, "report/x"}});
  auto seen = Decode(7, value);
  ASSERT_OK(seen);
  EXPECT_EQ(*seen, (Entries{{9, "report/x"}}));
}

TEST(ScopeLogRunTest, ValueWrittenBeforeRunsIsOneEntryAtTheBase) {
  auto seen = Decode(42, "report/xa-my-tan.tinh-nn-01.2025");
  ASSERT_OK(seen);
  EXPECT_EQ(*seen, (Entries{{42, "report/xa-my-tan.tinh-nn-01.2025"}}));
}

TEST(ScopeLogRunTest, VisitStopsWhenAsked) {
  std::string value;
  AppendScopeLogRun(value, 1, {{1, "report/a"}, {2, "report/b"}, {3, "c/d"}});
  auto seen = Decode(1, value, /*stop_after=*/2);
  ASSERT_OK(seen);
  EXPECT_EQ(seen->size(), 2u);
}

TEST(ScopeLogRunTest, CutShortRecordIsDataLoss) {
  std::string value;
  AppendScopeLogRun(value, 1, {{1, "report/a"}, {2, "report/b"}});
  for (size_t cut : {value.size() - 1, size_t{3}, size_t{2}}) {
    auto seen = Decode(1, std::string_view(value).substr(0, cut));
    ASSERT_FALSE(seen.ok()) << "cut at " << cut;
    EXPECT_EQ(seen.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(seen.status().message().find("scope-log record at sequence 1"),
              std::string::npos)
        << seen.status();
  }
}

// Found by tests/fuzz/scope_log_record_fuzz.cc: a run whose later entry
// repeats a sequence (delta 0) read as two entries at one sequence, which
// a pull would send twice. Neither it, an entry with an empty key, nor an
// empty value is written by this code: each is DataLoss.
TEST(ScopeLogRunTest, RecordsThisCodeNeverWritesAreDataLoss) {
  const std::string repeated("\0\0\0\0\0\0", 6);  // the fuzzer's input
  const std::string same_sequence = std::string(
      "\0\0\x01"
      "a"
      "\0\x01"
      "b",
      7);
  const std::string empty_key = std::string("\0\0\0", 3);
  for (const std::string& value :
       {repeated, same_sequence, empty_key, std::string()}) {
    auto seen = Decode(0, value);
    ASSERT_FALSE(seen.ok()) << absl::CHexEscape(value);
    EXPECT_EQ(seen.status().code(), absl::StatusCode::kDataLoss);
  }
}

// A store holding records in both layouts, as one upgraded in place does.
class UpgradedStore : public MemoryStore {
 public:
  using MemoryStore::Write;
  absl::Status WriteOldRecord(std::string_view scope, uint64_t sequence,
                              std::string doc_key) {
    return Write({{ColumnFamily::kScopeLog, ScopeLogKey(scope, sequence),
                   std::move(doc_key)}});
  }
};

std::vector<uint64_t> Sequences(Store& store, std::string_view scope,
                                uint64_t after) {
  std::vector<uint64_t> seqs;
  EXPECT_TRUE(store
                  .ScanScopeLog(scope, after,
                                [&](const ScopeLogEntry& e) {
                                  seqs.push_back(e.sequence);
                                  return true;
                                })
                  .ok());
  return seqs;
}

TEST(ScopeLogRunTest, OldRecordsAndRunsScanAndCompactTogether) {
  UpgradedStore store;
  ASSERT_OK(store.WriteOldRecord("commune/x", 1, "report/a"));
  ASSERT_OK(store.WriteOldRecord("commune/x", 2, "report/b"));
  WriteSet writes;
  writes.PutScopeLog({"commune/x", 3, "report/a"});
  writes.PutScopeLog({"commune/x", 4, "report/c"});
  ASSERT_OK(store.Apply(writes));
  EXPECT_EQ(Sequences(store, "commune/x", 0),
            (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(Sequences(store, "commune/x", 1), (std::vector<uint64_t>{2, 3, 4}));

  WriteSet compaction;
  compaction.DeleteScopeLog({"commune/x", 1, "report/a"});
  ASSERT_OK(store.Apply(compaction));
  EXPECT_EQ(Sequences(store, "commune/x", 0), (std::vector<uint64_t>{2, 3, 4}));
}

TEST(ScopeLogRunTest, CorruptRecordFailsTheScan) {
  UpgradedStore store;
  std::string value;
  AppendScopeLogRun(value, 5, {{5, "report/a"}, {6, "report/b"}});
  value.pop_back();
  ASSERT_TRUE(store
                  .Write({{ColumnFamily::kScopeLog, ScopeLogKey("commune/x", 5),
                           value}})
                  .ok());
  absl::Status scan = store.ScanScopeLog(
      "commune/x", 0, [](const ScopeLogEntry&) { return true; });
  EXPECT_EQ(scan.code(), absl::StatusCode::kDataLoss) << scan;
  absl::Status every =
      store.ScanEveryScopeLog([](const ScopeLogEntry&) { return true; });
  EXPECT_EQ(every.code(), absl::StatusCode::kDataLoss) << every;
}

}  // namespace
}  // namespace fieldsync
