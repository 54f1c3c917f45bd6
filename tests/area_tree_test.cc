#include "sync/area_tree.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

v1::Area MakeArea(const std::string& id, const std::string& parent,
                  int position, const std::string& until = "") {
  v1::Area a;
  a.set_id(id);
  a.set_parent_id(parent);
  a.set_position(position);
  a.set_valid_until(until);
  return a;
}

std::vector<std::string> Ids(const std::vector<v1::Area>& areas) {
  std::vector<std::string> ids;
  for (const auto& a : areas) ids.push_back(a.id());
  return ids;
}

TEST(AreaTreeTest, SubtreeIsInSourceOrderAndAncestryWorks) {
  auto tree =
      AreaTree::Build({MakeArea("xa-b", "h", 3), MakeArea("p", "", 0),
                       MakeArea("h", "p", 1), MakeArea("xa-a", "h", 2)});
  ASSERT_OK(tree);
  EXPECT_EQ(Ids(tree->Subtree("", "")),
            (std::vector<std::string>{"p", "h", "xa-a", "xa-b"}));
  EXPECT_EQ(Ids(tree->Subtree("h", "")),
            (std::vector<std::string>{"h", "xa-a", "xa-b"}));
  EXPECT_TRUE(tree->IsWithin("xa-a", "p"));
  EXPECT_TRUE(tree->IsWithin("h", "h"));
  EXPECT_FALSE(tree->IsWithin("p", "h"));
  EXPECT_FALSE(tree->IsWithin("unknown", "p"));
}

TEST(AreaTreeTest, HierarchyOnADateDropsAreasNoLongerValid) {
  // The district tier was abolished on 2025-07-01.
  auto tree = AreaTree::Build(
      {MakeArea("p", "", 0), MakeArea("h", "p", 1, "2025-07-01")});
  ASSERT_OK(tree);
  EXPECT_EQ(Ids(tree->Subtree("", "2021-04-26")),
            (std::vector<std::string>{"p", "h"}));
  EXPECT_EQ(Ids(tree->Subtree("", "2025-07-01")),
            (std::vector<std::string>{"p"}));
}

TEST(AreaTreeTest, RejectsDuplicatesAndUnknownParents) {
  EXPECT_FALSE(
      AreaTree::Build({MakeArea("a", "", 0), MakeArea("a", "", 1)}).ok());
  auto orphan = AreaTree::Build({MakeArea("a", "missing", 0)});
  ASSERT_FALSE(orphan.ok());
  EXPECT_NE(orphan.status().message().find("missing"), std::string::npos);
}

TEST(AreaTreeTest, IsoDates) {
  EXPECT_TRUE(IsIsoDate("2025-07-01"));
  EXPECT_FALSE(IsIsoDate("2025-02-30"));
  EXPECT_FALSE(IsIsoDate("2025-7-1"));
  EXPECT_FALSE(IsIsoDate("yesterday"));
}

}  // namespace
}  // namespace fieldsync
