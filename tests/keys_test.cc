#include "sync/keys.h"

#include <gtest/gtest.h>

#include "sync/column_families.h"

namespace fieldsync {
namespace {

TEST(KeysTest, DocKeys) {
  EXPECT_EQ(DocKey(kModelKind, "tinh-kt-01"), "model/tinh-kt-01");
  EXPECT_EQ(DocKeyPrefix(kAreaKind), "area/");
}

TEST(KeysTest, BigEndianOrderIsNumericOrder) {
  std::string a, b;
  AppendBigEndian64(a, 255);
  AppendBigEndian64(b, 256);
  EXPECT_LT(a, b);
  EXPECT_EQ(ReadBigEndian64(b), 256u);
  EXPECT_EQ(ReadBigEndian64("short"), std::nullopt);
}

TEST(ColumnFamiliesTest, NamesAreUniqueAndDefaultComesFirst) {
  EXPECT_EQ(kColumnFamilies[0].name, "default");
  for (size_t i = 0; i < kColumnFamilies.size(); ++i) {
    for (size_t j = i + 1; j < kColumnFamilies.size(); ++j) {
      EXPECT_NE(kColumnFamilies[i].name, kColumnFamilies[j].name);
    }
  }
}

}  // namespace
}  // namespace fieldsync
