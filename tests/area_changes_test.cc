#include "sync/area_changes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sync/access.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

v1::Area MakeArea(const std::string& id, const std::string& parent,
                  v1::AreaLevel level, const std::string& full_name = "") {
  v1::Area a;
  a.set_id(id);
  a.set_parent_id(parent);
  a.set_level(level);
  a.set_full_name(full_name.empty() ? id : full_name);
  return a;
}

// Sa Đéc as the seeds know it, with phường 4 added.
AreaTree SaDec() {
  constexpr auto kCommune = v1::AREA_LEVEL_COMMUNE;
  auto tree = AreaTree::Build(
      {MakeArea("dong-thap", "", v1::AREA_LEVEL_PROVINCE, "Tỉnh Đồng Tháp"),
       MakeArea("tp-sa-dec", "dong-thap", v1::AREA_LEVEL_DISTRICT),
       MakeArea("phuong-1", "tp-sa-dec", kCommune),
       MakeArea("phuong-1-khom-3", "phuong-1", v1::AREA_LEVEL_HAMLET),
       MakeArea("phuong-2", "tp-sa-dec", kCommune),
       MakeArea("phuong-3", "tp-sa-dec", kCommune),
       MakeArea("phuong-4", "tp-sa-dec", kCommune),
       MakeArea("xa-tan-quy-tay", "tp-sa-dec", kCommune),
       MakeArea("xa-tan-khanh-dong", "tp-sa-dec", kCommune),
       MakeArea("phuong-an-hoa", "tp-sa-dec", kCommune)});
  EXPECT_OK(tree);
  return *std::move(tree);
}

v1::AreaChange Change(v1::AreaChangeAction action, const std::string& old_id,
                      const std::string& new_id, const std::string& date,
                      const std::string& name = "") {
  v1::AreaChange c;
  c.set_action(action);
  c.set_old_area_id(old_id);
  c.set_new_area_id(new_id);
  c.set_new_area_name(name);
  c.set_valid_from(date);
  return c;
}

// reform_2025.csv's rows.
std::vector<v1::AreaChange> Reform() {
  std::vector<v1::AreaChange> rows;
  for (const char* old_id : {"phuong-1", "phuong-2", "phuong-3", "phuong-4",
                             "xa-tan-quy-tay", "xa-tan-khanh-dong"}) {
    rows.push_back(Change(v1::AREA_CHANGE_ACTION_MERGE, old_id, "phuong-sa-dec",
                          "2025-07-01", "Phường Sa Đéc"));
  }
  rows.push_back(Change(v1::AREA_CHANGE_ACTION_DISSOLVE, "tp-sa-dec",
                        "dong-thap", "2025-07-01"));
  return rows;
}

std::vector<std::string> Ids(const std::vector<v1::Area>& areas) {
  std::vector<std::string> ids;
  for (const auto& a : areas) ids.push_back(a.id());
  return ids;
}

AreaTree Reformed() {
  const AreaTree before = SaDec();
  auto changed = ApplyAreaChanges(before, Reform());
  EXPECT_OK(changed);
  auto after = before.With(*changed);
  EXPECT_OK(after);
  return *std::move(after);
}

TEST(AreaChangesTest, TheReformOnEachSideOfItsDate) {
  const AreaTree tree = Reformed();
  EXPECT_THAT(Ids(tree.Subtree("dong-thap", "2025-06-30")),
              UnorderedElementsAre("dong-thap", "tp-sa-dec", "phuong-1",
                                   "phuong-1-khom-3", "phuong-2", "phuong-3",
                                   "phuong-4", "xa-tan-quy-tay",
                                   "xa-tan-khanh-dong", "phuong-an-hoa"));
  // The new ward takes the first merged unit's place; the hamlet of phường
  // 1 moves into it; the unconfirmed ward moves up with the district gone.
  EXPECT_THAT(Ids(tree.Subtree("dong-thap", "2025-07-01")),
              UnorderedElementsAre("dong-thap", "phuong-sa-dec",
                                   "phuong-1-khom-3", "phuong-an-hoa"));
  for (const v1::Area& a : tree.Subtree("dong-thap", "2025-07-01")) {
    if (a.id() == "phuong-1-khom-3") {
      EXPECT_EQ(a.parent_id(), "phuong-sa-dec");
    }
    if (a.id() == "phuong-an-hoa") {
      EXPECT_EQ(a.parent_id(), "dong-thap");
    }
    if (a.id() == "phuong-sa-dec") {
      EXPECT_EQ(a.parent_id(), "dong-thap");
      EXPECT_EQ(a.type(), v1::AREA_TYPE_PHUONG);
      EXPECT_EQ(a.name(), "Sa Đéc");
    }
  }
  // Old ids keep their history; their reports count toward the successor.
  EXPECT_EQ(tree.RollupTargetOn("phuong-1", "2021-12-31")->id(), "phuong-1");
  EXPECT_EQ(tree.RollupTargetOn("phuong-1", "2025-07-01")->id(),
            "phuong-sa-dec");
  EXPECT_EQ(tree.RollupTargetOn("tp-sa-dec", "2025-07-01")->id(), "dong-thap");
  EXPECT_THAT(
      tree.ContributorsOn("phuong-sa-dec", "2025-07-01"),
      UnorderedElementsAre("phuong-1", "phuong-2", "phuong-3", "phuong-4",
                           "xa-tan-quy-tay", "xa-tan-khanh-dong"));
  EXPECT_THAT(tree.ContributorsOn("dong-thap", "2025-07-01"),
              ElementsAre("tp-sa-dec"));
  EXPECT_TRUE(tree.ContributorsOn("phuong-sa-dec", "2025-06-30").empty());
  EXPECT_EQ(tree.MergedSuccessorOn("xa-tan-khanh-dong", "2025-06-30"),
            "xa-tan-khanh-dong");
  EXPECT_EQ(tree.MergedSuccessorOn("xa-tan-khanh-dong", "2026-12-07"),
            "phuong-sa-dec");
  // A district is dissolved, not merged: its officer stays its own.
  EXPECT_EQ(tree.MergedSuccessorOn("tp-sa-dec", "2026-12-07"), "tp-sa-dec");
}

TEST(AreaChangesTest, AnEndedAreaIsRefusedNamingItsSuccessor) {
  const AreaTree tree = Reformed();
  EXPECT_TRUE(
      CheckAreaOn("area_id", "xa-tan-khanh-dong", "2025-06-30", tree).ok());
  absl::Status merged =
      CheckAreaOn("area_id", "xa-tan-khanh-dong", "2025-07-01", tree);
  EXPECT_THAT(std::string(merged.message()),
              HasSubstr("merged into phuong-sa-dec (Phường Sa Đéc) on "
                        "2025-07-01"));
  absl::Status dissolved =
      CheckAreaOn("area_id", "tp-sa-dec", "2025-07-01", tree);
  EXPECT_THAT(std::string(dissolved.message()),
              HasSubstr("dissolved into dong-thap"));
  absl::Status early =
      CheckAreaOn("as_of", "phuong-sa-dec", "2021-12-31", tree);
  EXPECT_THAT(std::string(early.message()), HasSubstr("does not exist yet"));
  EXPECT_EQ(CheckAreaOn("area_id", "nowhere", "2025-07-01", tree).code(),
            absl::StatusCode::kNotFound);
  // Enrolment checks the same.
  EXPECT_FALSE(CheckRoleArea(v1::ROLE_COMMUNE_OFFICER, "xa-tan-khanh-dong",
                             tree, "2026-01-01")
                   .ok());
}

TEST(AreaChangesTest, TheMergedCommunesOfficerReadsAndWritesItsHistory) {
  const AreaTree tree = Reformed();
  const std::vector<std::string> scopes =
      ReadScopes(v1::ROLE_COMMUNE_OFFICER, "phuong-sa-dec", tree);
  EXPECT_THAT(scopes,
              ::testing::IsSupersetOf(
                  {"commune/phuong-sa-dec", "commune/phuong-1",
                   "commune/xa-tan-khanh-dong", "catalogue/tp-sa-dec"}));
  EXPECT_THAT(scopes,
              ::testing::Not(::testing::Contains("commune/phuong-an-hoa")));
  const WritePolicy policy =
      WritePolicyFor(v1::ROLE_COMMUNE_OFFICER, "phuong-sa-dec", tree);
  EXPECT_THAT(policy.scopes, ::testing::Contains("commune/phuong-2"));
  EXPECT_TRUE(MayReadFiguresOf(v1::ROLE_COMMUNE_OFFICER, "phuong-sa-dec",
                               "phuong-1", tree));
  EXPECT_FALSE(MayReadFiguresOf(v1::ROLE_COMMUNE_OFFICER, "phuong-sa-dec",
                                "phuong-an-hoa", tree));
}

TEST(AreaChangesTest, SplitRenameAddAndALevel) {
  const AreaTree before = SaDec();
  std::vector<v1::AreaChange> rows = {
      Change(v1::AREA_CHANGE_ACTION_SPLIT, "phuong-2", "phuong-2b",
             "2024-01-01", "Phường 2B"),
      Change(v1::AREA_CHANGE_ACTION_RENAME, "phuong-3", "", "2024-01-01",
             "Phường Ba"),
      Change(v1::AREA_CHANGE_ACTION_ADD, "", "phuong-5", "", "Phường 5"),
      Change(v1::AREA_CHANGE_ACTION_DISSOLVE_LEVEL, "", "", "2025-07-01")};
  rows[2].set_parent_id("tp-sa-dec");
  rows[2].set_new_area_level(v1::AREA_LEVEL_COMMUNE);
  rows[3].set_new_area_level(v1::AREA_LEVEL_DISTRICT);
  auto changed = ApplyAreaChanges(before, rows);
  ASSERT_OK(changed);
  auto tree = before.With(*changed);
  ASSERT_OK(tree);
  // The split-off ward is new; the old one goes on and keeps its reports.
  EXPECT_EQ(tree->RollupTargetOn("phuong-2", "2024-06-01")->id(), "phuong-2");
  EXPECT_EQ(tree->Find("phuong-2b")->valid_from(), "2024-01-01");
  // Before the rename the old name shows.
  for (const v1::Area& a : tree->Subtree("tp-sa-dec", "2023-12-31")) {
    if (a.id() == "phuong-3") {
      EXPECT_EQ(a.full_name(), "phuong-3");
    }
    EXPECT_NE(a.id(), "phuong-2b");
  }
  for (const v1::Area& a : tree->Subtree("tp-sa-dec", "2024-01-01")) {
    if (a.id() == "phuong-3") {
      EXPECT_EQ(a.full_name(), "Phường Ba");
    }
  }
  // The whole district tier is gone: communes sit under the province.
  for (const v1::Area& a : tree->Subtree("dong-thap", "2025-07-01")) {
    EXPECT_NE(a.level(), v1::AREA_LEVEL_DISTRICT) << a.id();
    if (a.level() == v1::AREA_LEVEL_COMMUNE) {
      EXPECT_EQ(a.parent_id(), "dong-thap") << a.id();
    }
  }
  EXPECT_EQ(tree->Subtree("dong-thap", "2025-07-01").size(), 11u);
}

TEST(AreaChangesTest, BadRowsAreRefusedNamingTheRowAndField) {
  const AreaTree tree = SaDec();
  auto error_of = [&](std::vector<v1::AreaChange> rows) {
    auto result = ApplyAreaChanges(tree, rows);
    return result.ok() ? std::string("ok")
                       : std::string(result.status().message());
  };
  // The row numbers of a file, when given, are what is named.
  std::vector<v1::AreaChange> reform = Reform();
  for (size_t i = 0; i < reform.size(); ++i) reform[i].set_row(i + 2);
  reform[3].set_old_area_id("phuong-9");
  EXPECT_THAT(error_of(reform), HasSubstr("changes[3].old_area_id: row 5: no "
                                          "area \"phuong-9\""));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_MERGE, "phuong-1",
                               "phuong-2", "2025-13-01")}),
              HasSubstr("changes[0].valid_from"));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_UNSPECIFIED, "phuong-1",
                               "phuong-2", "2025-07-01")}),
              HasSubstr("changes[0].action"));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_MERGE, "phuong-1",
                               "phuong-new", "2025-07-01")}),
              HasSubstr("new_area_name: row 1: is required to make"));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_MERGE, "phuong-1",
                               "tp-sa-dec", "2025-07-01")}),
              HasSubstr("tp-sa-dec is district; phuong-1 is commune"));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_MERGE, "phuong-1",
                               "phuong-2", "2025-07-01"),
                        Change(v1::AREA_CHANGE_ACTION_MERGE, "phuong-2",
                               "phuong-1", "2025-06-01")}),
              HasSubstr("row 2: the dates make a cycle"));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_DISSOLVE, "tp-sa-dec",
                               "phuong-1", "2025-07-01")}),
              HasSubstr("makes a cycle"));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_MERGE, "phuong-1",
                               "phuong-2", "2025-07-01"),
                        Change(v1::AREA_CHANGE_ACTION_MERGE, "phuong-1",
                               "phuong-3", "2025-08-01")}),
              HasSubstr("row 2: phuong-1 does not exist on 2025-08-01"));
  EXPECT_THAT(error_of({Change(v1::AREA_CHANGE_ACTION_ADD, "", "Bad Id",
                               "2025-07-01", "Phường X")}),
              HasSubstr("parent_id"));
}

}  // namespace
}  // namespace fieldsync
