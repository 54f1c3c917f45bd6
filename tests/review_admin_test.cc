// ReviewAdmin's list of the review queue, in process: the first page's
// counts (open items by kind, the oldest one's age) come from the index of
// open items per scope, so a page reads what it shows and never the queue;
// they equal what reading the whole queue would say, an item in several of
// the caller's scopes counted once.
#include "server/review_admin.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "absl/strings/str_cat.h"
#include "sync/access.h"
#include "sync/memory_store.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync::server {
namespace {

using fieldsync::testing::MutationBuilder;

// Counts the review items read from the queue, and the scans of all of it.
class CountingStore : public MemoryStore {
 public:
  absl::Status ScanConflicts(const ConflictVisitor& visit) override {
    ++whole;
    return MemoryStore::ScanConflicts(visit);
  }
  absl::Status ScanConflictsAfter(uint64_t after,
                                  const ConflictVisitor& visit) override {
    return MemoryStore::ScanConflictsAfter(
        after, [&](const v1::ConflictRecord& record) {
          ++read;
          return visit(record);
        });
  }
  std::atomic<int> read{0};
  std::atomic<int> whole{0};
};

class ReviewAdminListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto replica = ServerReplica::Open({.store = &store_,
                                        .areas = &areas_,
                                        .clock = &clock_,
                                        .locked_years = {"2024"}});
    ASSERT_OK(replica);
    replica_ = std::move(*replica);
    writer_ = std::make_unique<AdminWriter>(replica_.get(), &store_);
    review_ = std::make_unique<ReviewAdmin>(&store_, replica_.get(),
                                            writer_.get(), &audit_);
  }

  // `n` late reports (2024 is locked) of `device` in `commune`: one
  // amendment each.
  void Late(const std::string& device, const std::string& commune, int n) {
    std::vector<v1::Mutation> batch;
    for (int i = 1; i <= n; ++i) {
      batch.push_back(
          MutationBuilder(device, i, absl::StrCat("report/", device, "-", i))
              .AreaId(commune)
              .Period("2024")
              .Results("muộn"));
    }
    auto pushed = replica_->Push(batch);
    ASSERT_OK(pushed);
    ASSERT_EQ(pushed->summary().amendment(), static_cast<uint32_t>(n));
  }

  std::vector<v1::ConflictRecord> Items() {
    std::vector<v1::ConflictRecord> items;
    EXPECT_OK(store_.ScanConflicts([&](const v1::ConflictRecord& r) {
      items.push_back(r);
      return true;
    }));
    return items;
  }

  // What reading the whole queue says for a caller reading `scopes`.
  v1::ListConflictsResponse Truth(const std::vector<std::string>& scopes) {
    v1::ListConflictsResponse out;
    for (const v1::ConflictRecord& r : Items()) {
      if (r.resolved() || !MayRead(scopes, r.scopes())) continue;
      ++(*out.mutable_open_by_kind())[v1::ConflictKind_Name(r.kind())];
      if (out.oldest_open_micros() == 0 ||
          r.server_time_micros() < out.oldest_open_micros()) {
        out.set_oldest_open_micros(r.server_time_micros());
      }
    }
    return out;
  }

  v1::ListConflictsResponse FirstPage(const std::vector<std::string>& scopes,
                                      int page_size) {
    Caller caller;
    caller.device_id = "reviewer";
    caller.role = v1::ROLE_PROVINCE_ADMIN;
    caller.read_scopes = scopes;
    v1::ListConflictsRequest request;
    request.set_page_size(page_size);
    auto page = review_->List(caller, request);
    EXPECT_OK(page);
    return page.ok() ? *page : v1::ListConflictsResponse();
  }

  CountingStore store_;
  AreaTree areas_ = fieldsync::testing::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  AuditLog audit_{&store_, &clock_};
  std::unique_ptr<ServerReplica> replica_;
  std::unique_ptr<AdminWriter> writer_;
  std::unique_ptr<ReviewAdmin> review_;
};

TEST_F(ReviewAdminListTest, TheCountsReadTheOpenItemsNotTheQueue) {
  Late("t1", "xa-tan-phu-dong", 40);
  const int64_t first = clock_.NowMicros();
  clock_.Advance(1'000'000);
  Late("t2", "xa-vinh-thoi", 10);
  // The last 30 of Tân Phú Đông's items are decided.
  std::vector<v1::ConflictRecord> items = Items();
  ASSERT_EQ(items.size(), 50u);
  std::vector<v1::ConflictRecord> closes;
  for (int i = 10; i < 40; ++i) {
    v1::ConflictRecord closed = items[i];
    ASSERT_EQ(closed.device_id(), "t1");
    closed.set_resolved(true);
    closes.push_back(closed);
  }
  ASSERT_OK(replica_->Push({MutationBuilder("reviewer~admin", 1, "report/d")
                                .AreaId("xa-tan-phu-dong")
                                .Period("2025")
                                .Results("quyết định")},
                           {}, {}, {}, closes));

  const std::vector<std::vector<std::string>> callers = {
      {"district/tp-sa-dec", "catalogue"},
      {"district/h-lai-vung", "catalogue"},
      {"province"},
      {"province", "district/tp-sa-dec", "commune/xa-tan-phu-dong"},
      {"commune/xa-tan-quy-tay"}};
  for (const std::vector<std::string>& scopes : callers) {
    SCOPED_TRACE(scopes.front());
    store_.whole = 0;
    const v1::ListConflictsResponse page = FirstPage(scopes, 1);
    EXPECT_EQ(store_.whole, 0);
    const v1::ListConflictsResponse truth = Truth(scopes);
    using Counts = std::map<std::string, uint32_t>;
    EXPECT_EQ(Counts(page.open_by_kind().begin(), page.open_by_kind().end()),
              Counts(truth.open_by_kind().begin(), truth.open_by_kind().end()));
    EXPECT_EQ(page.oldest_open_micros(), truth.oldest_open_micros());
  }
  // The province's first page of one reads its item and the next: nothing
  // for the counts.
  store_.read = 0;
  FirstPage({"province", "district/tp-sa-dec"}, 1);
  EXPECT_EQ(store_.read, 2);
  EXPECT_EQ(FirstPage({"district/tp-sa-dec"}, 1)
                .open_by_kind()
                .at("CONFLICT_KIND_AMENDMENT"),
            10u);
  EXPECT_EQ(FirstPage({"district/tp-sa-dec"}, 1).oldest_open_micros(), first);
  EXPECT_EQ(
      FirstPage({"province"}, 1).open_by_kind().at("CONFLICT_KIND_AMENDMENT"),
      20u);
  EXPECT_EQ(FirstPage({"district/h-lai-vung"}, 1).oldest_open_micros(),
            first + 1'000'000);
  EXPECT_TRUE(FirstPage({"commune/xa-tan-quy-tay"}, 1).open_by_kind().empty());
}

}  // namespace
}  // namespace fieldsync::server
