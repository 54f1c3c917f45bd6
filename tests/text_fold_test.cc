#include "sync/text_fold.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

bool Finds(std::string_view text, std::string_view query,
           FoldMode mode = FoldMode::kIgnoreDiacritics) {
  return FoldedContains(FoldForSearch(text, mode), FoldForSearch(query, mode));
}

TEST(TextFoldTest, StripsDiacriticsAndFoldsDToD) {
  EXPECT_EQ(FoldForSearch("Xã Tân Phú Đông", FoldMode::kIgnoreDiacritics),
            " xa tan phu dong ");
  EXPECT_EQ(FoldForSearch("ĐỒNG THÁP", FoldMode::kIgnoreDiacritics),
            " dong thap ");
}

TEST(TextFoldTest, KeepsDiacriticsWhenAsked) {
  EXPECT_EQ(FoldForSearch("Tân Phú ĐÔNG", FoldMode::kKeepDiacritics),
            " tân phú đông ");
}

TEST(TextFoldTest, PunctuationAndNewlinesSeparateWords) {
  EXPECT_EQ(
      FoldForSearch("Hội quán “Cùng nhau”;\nxã", FoldMode::kIgnoreDiacritics),
      " hoi quan cung nhau xa ");
}

TEST(TextFoldTest, DecomposedInputMatchesComposedQuery) {
  // "Tân" with U+0302 COMBINING CIRCUMFLEX instead of the precomposed â.
  const std::string decomposed = "Ta\xcc\x82n Phu\xcc\x81";
  EXPECT_TRUE(Finds(decomposed, "Tân Phú", FoldMode::kKeepDiacritics));
  EXPECT_TRUE(Finds(decomposed, "tan phu"));
}

TEST(TextFoldTest, SearchWithAndWithoutDiacritics) {
  const std::string text = "UBND xã Tân Phú Đông, thành phố Sa Đéc";
  EXPECT_TRUE(Finds(text, "tan phu dong"));
  EXPECT_TRUE(Finds(text, "Tân Phú Đông"));
  EXPECT_TRUE(Finds(text, "TAN PHU"));
  EXPECT_TRUE(Finds(text, "sa dec"));
  EXPECT_FALSE(Finds(text, "tan phu tay"));
  EXPECT_TRUE(Finds(text, "Tân Phú Đông", FoldMode::kKeepDiacritics));
  EXPECT_FALSE(Finds(text, "tan phu dong", FoldMode::kKeepDiacritics));
}

TEST(TextFoldTest, MatchesOnlyAtWordStarts) {
  EXPECT_TRUE(Finds("Tân Phú Đông", "phu do"));
  EXPECT_FALSE(Finds("Tân Phú Đông", "hu dong"));
  EXPECT_TRUE(Finds("anything", ""));
}

TEST(TextFoldTest, NormalizeNfcComposesAndRejectsInvalidUtf8) {
  absl::StatusOr<std::string> nfc = NormalizeNfc("Ta\xcc\x82n");
  ASSERT_OK(nfc);
  EXPECT_EQ(*nfc, "Tân");
  absl::StatusOr<std::string> bad = NormalizeNfc("Ta\xff");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsValidUtf8("Đồng Tháp"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));
}

}  // namespace
}  // namespace fieldsync
