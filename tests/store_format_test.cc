#include "sync/store_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/memory_store.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Each migration appends its number to meta "trail", so the order they ran
// in is in the store.
absl::Status Append(Store& store, const char* step) {
  absl::StatusOr<std::optional<std::string>> trail = store.GetMeta("trail");
  if (!trail.ok()) return trail.status();
  WriteSet writes;
  writes.PutMeta("trail", trail->value_or("") + step);
  return store.Apply(writes);
}
absl::Status One(Store& store) { return Append(store, "1"); }
absl::Status Three(Store& store) { return Append(store, "3"); }
absl::Status Fails(Store&) { return absl::UnavailableError("disk full"); }

const Migration kThree[] = {
    {.to = 1, .what = "one", .run = &One},
    {.to = 2, .what = "two changes nothing", .run = nullptr},
    {.to = 3, .what = "three", .run = &Three},
};

// Marks `store` with `format`, as the release that wrote it would.
void SetFormat(Store& store, std::string format) {
  WriteSet writes;
  writes.PutMeta(std::string(kFormatMetaKey), std::move(format));
  ASSERT_OK(store.Apply(writes));
}

std::string Meta(Store& store, std::string_view key) {
  absl::StatusOr<std::optional<std::string>> value = store.GetMeta(key);
  EXPECT_OK(value);
  return value.ok() ? value->value_or("") : "";
}

TEST(StoreFormatTest, AStoreWithoutAFormatIsFormatZeroAndRunsEveryStep) {
  MemoryStore store;
  absl::StatusOr<uint32_t> format = StoredFormat(store);
  ASSERT_OK(format);
  EXPECT_EQ(*format, 0u);
  absl::StatusOr<std::vector<std::string>> ran =
      MigrateStore(store, 3, kThree, "data folder");
  ASSERT_OK(ran);
  EXPECT_THAT(*ran, ElementsAre("format 0 to 1: one",
                                "format 1 to 2: two changes nothing",
                                "format 2 to 3: three"));
  EXPECT_EQ(Meta(store, "trail"), "13");
  EXPECT_EQ(Meta(store, kFormatMetaKey), "3");
  // Nothing the second time.
  ran = MigrateStore(store, 3, kThree, "data folder");
  ASSERT_OK(ran);
  EXPECT_TRUE(ran->empty());
  EXPECT_EQ(Meta(store, "trail"), "13");
}

TEST(StoreFormatTest, OnlyTheStepsAboveTheStoresFormatRun) {
  MemoryStore store;
  SetFormat(store, "2");
  ASSERT_OK(MigrateStore(store, 3, kThree, "data folder"));
  EXPECT_EQ(Meta(store, "trail"), "3");
}

// A failed step leaves the store at the format before it, and the next
// open resumes there.
TEST(StoreFormatTest, AFailedStepResumesWhereItStopped) {
  MemoryStore store;
  const Migration failing[] = {
      kThree[0], kThree[1], {.to = 3, .what = "fails", .run = &Fails}};
  absl::StatusOr<std::vector<std::string>> ran =
      MigrateStore(store, 3, failing, "data folder");
  EXPECT_EQ(ran.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Meta(store, kFormatMetaKey), "2");
  ASSERT_OK(MigrateStore(store, 3, kThree, "data folder"));
  EXPECT_EQ(Meta(store, "trail"), "13");
  EXPECT_EQ(Meta(store, kFormatMetaKey), "3");
}

TEST(StoreFormatTest, ANewerFormatIsRefusedNamingBothAndNothingRuns) {
  MemoryStore store;
  SetFormat(store, "7");
  absl::StatusOr<std::vector<std::string>> ran =
      MigrateStore(store, 3, kThree, "tablet replica");
  EXPECT_EQ(ran.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(ran.status().message()),
              HasSubstr("tablet replica is in format 7, newer than format 3"));
  EXPECT_EQ(Meta(store, "trail"), "");
  EXPECT_EQ(Meta(store, kFormatMetaKey), "7");
}

TEST(StoreFormatTest, AFormatThatIsNotANumberIsDataLoss) {
  MemoryStore store;
  SetFormat(store, "two");
  EXPECT_EQ(StoredFormat(store).status().code(), absl::StatusCode::kDataLoss);
}

TEST(StoreFormatTest, ANewStoreStartsAtTheCurrentFormat) {
  MemoryStore store;
  ASSERT_OK(StartAtFormat(store, 3));
  absl::StatusOr<std::vector<std::string>> ran =
      MigrateStore(store, 3, kThree, "data folder");
  ASSERT_OK(ran);
  EXPECT_TRUE(ran->empty());
  EXPECT_EQ(Meta(store, "trail"), "");
}

}  // namespace
}  // namespace fieldsync
