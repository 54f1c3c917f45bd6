#include "server/seed_loader.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "server/seed_data.h"
#include "sync/memory_store.h"
#include "sync/rocksdb_store.h"
#include "sync/text_fold.h"
#include "tests/support/readme_counts.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync::server {
namespace {

namespace t = fieldsync::testing;

Seed ParseEmbedded() {
  absl::StatusOr<Seed> seed =
      ParseSeed(EmbeddedCatalogueJson(), EmbeddedAreasJson());
  EXPECT_OK(seed);
  return seed.ok() ? *seed : Seed{};
}

TEST(SeedLoaderTest, CountsEqualTheDataReadme) {
  Seed seed = ParseEmbedded();
  EXPECT_EQ(seed.models.size(), static_cast<size_t>(t::kModelsTotal));
  EXPECT_EQ(seed.sectors.size(), static_cast<size_t>(t::kSectors));
  EXPECT_EQ(seed.areas.size(), static_cast<size_t>(t::kAreasTotal));

  int province = 0, district = 0, sub_models = 0, groups = 0;
  std::map<std::string, int> per_district, per_sector, per_status;
  for (const v1::Model& m : seed.models) {
    if (m.level() == v1::MODEL_LEVEL_PROVINCE) {
      ++province;
      ++per_sector[m.sector_slug()];
      EXPECT_EQ(m.owner_area_id(), "dong-thap") << m.id();
    } else {
      ++district;
      ++per_district[m.owner_area_id()];
    }
    if (m.kind() == v1::MODEL_KIND_SUB_MODEL) ++sub_models;
    if (m.kind() == v1::MODEL_KIND_GROUP) ++groups;
    static const std::map<v1::ModelStatus, std::string> kNames = {
        {v1::MODEL_STATUS_CONTINUING, "continuing"},
        {v1::MODEL_STATUS_NEW, "new"},
        {v1::MODEL_STATUS_PLANNED, "planned"},
        {v1::MODEL_STATUS_PAUSED, "paused"},
        {v1::MODEL_STATUS_UNSPECIFIED, "unspecified"}};
    ++per_status[kNames.at(m.status())];
  }
  EXPECT_EQ(province, t::kProvinceModels);
  EXPECT_EQ(district, t::kDistrictModels);
  EXPECT_EQ(sub_models, t::kProvinceSubModels);
  EXPECT_EQ(groups, t::kProvinceGroups);
  EXPECT_EQ(per_district, t::DistrictCounts());
  EXPECT_EQ(per_sector, t::SectorCounts());
  EXPECT_EQ(per_status, t::StatusCounts());

  std::map<v1::AreaLevel, int> per_level;
  for (const v1::Area& a : seed.areas) ++per_level[a.level()];
  EXPECT_EQ(per_level[v1::AREA_LEVEL_PROVINCE], 1);
  EXPECT_EQ(per_level[v1::AREA_LEVEL_DISTRICT], t::kDistrictAreas);
  EXPECT_EQ(per_level[v1::AREA_LEVEL_COMMUNE], t::kCommuneAreas);
  EXPECT_EQ(per_level[v1::AREA_LEVEL_HAMLET], t::kHamletAreas);
}

TEST(SeedLoaderTest, EmptySourceCellsStayUnsetNotEmptyText) {
  Seed seed = ParseEmbedded();
  for (const v1::Model& m : seed.models) {
    if (m.id() == "tinh-kt-01") {
      EXPECT_FALSE(m.has_recommendation());  // null in the source
      EXPECT_TRUE(m.has_plan_2021_2025());
      EXPECT_EQ(m.sources_size(), 2);
    }
    if (m.id() == "huyen-h-lai-vung-58") {
      EXPECT_EQ(m.status(), v1::MODEL_STATUS_PLANNED);
      EXPECT_FALSE(m.has_implementer());
    }
  }
}

TEST(SeedLoaderTest, VietnameseTextIsNfc) {
  Seed seed = ParseEmbedded();
  auto expect_nfc = [](const std::string& id, const std::string& text) {
    absl::StatusOr<std::string> nfc = NormalizeNfc(text);
    ASSERT_TRUE(nfc.ok()) << id << ": " << nfc.status();
    EXPECT_EQ(*nfc, text) << id;
  };
  for (const v1::Model& m : seed.models) {
    for (const std::string* text :
         {&m.name(), &m.implementer(), &m.context(), &m.results(), &m.issues(),
          &m.plan_2021_2025(), &m.recommendation()}) {
      expect_nfc(m.id(), *text);
    }
  }
  for (const v1::Area& a : seed.areas) expect_nfc(a.id(), a.full_name());
}

TEST(SeedLoaderTest, FormerNameBecomesRenameLineage) {
  Seed seed = ParseEmbedded();
  for (const v1::Area& a : seed.areas) {
    if (a.id() != "tp-sa-dec") continue;
    ASSERT_GE(a.lineage_size(), 1);
    EXPECT_EQ(a.lineage(0).kind(), v1::LINEAGE_KIND_RENAMED_FROM);
    EXPECT_EQ(a.lineage(0).former_name(), "Thị xã Sa Đéc");
    return;
  }
  FAIL() << "tp-sa-dec not found";
}

// The appendix tables as data/README.md's "Per appendix" table counts their
// rows (top-level and sub-rows), with App II's section numerals as printed
// (no III) and App V's missing heading.
TEST(SeedLoaderTest, AppendixLayoutAsPrinted) {
  Seed seed = ParseEmbedded();
  struct Printed {
    std::string appendix;
    v1::AppendixKind kind;
    v1::ModelLevel level;
    int sections, rows;
  };
  const std::vector<Printed> kPrinted = {
      {"I", v1::APPENDIX_KIND_SUMMARY, v1::MODEL_LEVEL_PROVINCE, 7, 20 + 5},
      {"II", v1::APPENDIX_KIND_SUMMARY, v1::MODEL_LEVEL_PROVINCE, 6, 13},
      {"III", v1::APPENDIX_KIND_SUMMARY, v1::MODEL_LEVEL_DISTRICT, 12, 107},
      {"IV", v1::APPENDIX_KIND_DETAILED, v1::MODEL_LEVEL_PROVINCE, 7, 19 + 5},
      {"V", v1::APPENDIX_KIND_DETAILED, v1::MODEL_LEVEL_PROVINCE, 7, 13},
      {"VI", v1::APPENDIX_KIND_DETAILED, v1::MODEL_LEVEL_DISTRICT, 12, 107}};
  ASSERT_EQ(seed.appendices.tables_size(), 6);
  std::set<std::string> ids;
  for (const v1::Model& m : seed.models) ids.insert(m.id());
  for (size_t i = 0; i < kPrinted.size(); ++i) {
    const v1::AppendixTable& table = seed.appendices.tables(i);
    const Printed& want = kPrinted[i];
    EXPECT_EQ(table.appendix(), want.appendix);
    EXPECT_EQ(table.kind(), want.kind) << want.appendix;
    EXPECT_EQ(table.level(), want.level) << want.appendix;
    EXPECT_EQ(table.sections_size(), want.sections) << want.appendix;
    int rows = 0;
    for (const v1::AppendixSection& section : table.sections()) {
      for (const v1::AppendixLayoutRow& row : section.rows()) {
        ++rows;
        EXPECT_TRUE(ids.count(row.model_id())) << row.model_id();
      }
    }
    EXPECT_EQ(rows, want.rows) << want.appendix;
  }
  std::vector<std::string> numerals;
  for (const auto& s : seed.appendices.tables(1).sections()) {
    numerals.push_back(s.roman());
  }
  EXPECT_EQ(numerals,
            (std::vector<std::string>{"I", "II", "IV", "V", "VI", "VII"}));
  EXPECT_EQ(seed.appendices.tables(0).title_lines(0), "PHỤ LỤC I");
  EXPECT_EQ(seed.appendices.tables(4).title_lines_size(), 0);
}

TEST(SeedLoaderTest, AppendixLayoutIsInTheSeedsWrite) {
  Seed seed = ParseEmbedded();
  MemoryStore store;
  ASSERT_OK(LoadSeedOnce(store, seed));
  auto bytes = store.GetMeta(kAppendixLayoutMetaKey);
  ASSERT_OK(bytes);
  ASSERT_TRUE(bytes->has_value());
  v1::AppendixLayout stored;
  ASSERT_TRUE(stored.ParseFromString(**bytes));
  EXPECT_EQ(stored.SerializeAsString(), seed.appendices.SerializeAsString());

  // A store seeded before the layout was kept gets it alone.
  WriteSet drop;
  drop.DeleteMeta(std::string(kAppendixLayoutMetaKey));
  ASSERT_OK(store.Apply(drop));
  auto again = LoadSeedOnce(store, seed);
  ASSERT_OK(again);
  EXPECT_FALSE(again->loaded);
  bytes = store.GetMeta(kAppendixLayoutMetaKey);
  ASSERT_TRUE(bytes.ok() && bytes->has_value());
}

TEST(SeedLoaderTest, LoadsOnceAndNeverTwice) {
  t::TempDir dir;
  Seed seed = ParseEmbedded();
  const size_t documents =
      seed.models.size() + seed.sectors.size() + seed.areas.size();
  {
    auto store = RocksDbStore::Open(dir.Sub("db"));
    ASSERT_OK(store);
    auto first = LoadSeedOnce(**store, seed);
    ASSERT_OK(first);
    EXPECT_TRUE(first->loaded);
    EXPECT_EQ(first->documents, documents);
    auto again = LoadSeedOnce(**store, seed);
    ASSERT_OK(again);
    EXPECT_FALSE(again->loaded);
  }
  // And across a restart: an edit made after loading is not overwritten.
  auto store = RocksDbStore::Open(dir.Sub("db"));
  ASSERT_OK(store);
  WriteSet edit;
  v1::Document doc;
  doc.set_key("model/tinh-kt-01");
  doc.set_version(999);
  doc.mutable_model()->set_id("tinh-kt-01");
  doc.mutable_model()->set_name("edited");
  edit.PutDoc(doc);
  ASSERT_OK((*store)->Apply(edit));
  auto third = LoadSeedOnce(**store, seed);
  ASSERT_OK(third);
  EXPECT_FALSE(third->loaded);
  auto kept = (*store)->GetDoc("model/tinh-kt-01");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->model().name(), "edited");
}

TEST(SeedLoaderTest, SchemaErrorsNameTheEntryAndField) {
  auto bad_status = ParseSeed(
      R"({"models":[{"id":"x-1","level":"province","block":"kt",)"
      R"("sector_slug":"s","kind":"model","status":"finished","name":"n"}],)"
      R"("sectors":[]})",
      R"({"areas":[]})");
  ASSERT_FALSE(bad_status.ok());
  EXPECT_NE(bad_status.status().message().find("x-1"), std::string::npos);
  EXPECT_NE(bad_status.status().message().find("status"), std::string::npos);
  EXPECT_NE(bad_status.status().message().find("finished"), std::string::npos);

  EXPECT_FALSE(ParseSeed("not json", R"({"areas":[]})").ok());
}

}  // namespace
}  // namespace fieldsync::server
