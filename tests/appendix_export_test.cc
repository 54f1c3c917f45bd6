// The appendix tables from a seeded store (server/appendix_export.h): the
// printed layout filled from the live catalogue, a model created since the
// report listed in the last table, figures attached to their model's rows,
// and a district's export holding its own rows only.
#include "server/appendix_export.h"

#include <gtest/gtest.h>

#include <set>

#include "server/seed_data.h"
#include "server/seed_loader.h"
#include "sync/memory_store.h"
#include "tests/support/readme_counts.h"
#include "tests/support/status_matchers.h"

namespace fieldsync::server {
namespace {

namespace t = fieldsync::testing;

class AppendixExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Seed> seed =
        ParseSeed(EmbeddedCatalogueJson(), EmbeddedAreasJson());
    ASSERT_OK(seed);
    layout_ = seed->appendices;
    ASSERT_OK(LoadSeedOnce(store_, *seed));
    // An admin's edit and a model created after the report.
    WriteSet edits;
    auto renamed = store_.GetDoc("model/huyen-tp-sa-dec-05");
    ASSERT_TRUE(renamed.ok() && renamed->has_value());
    v1::Document doc = **renamed;
    doc.mutable_model()->set_name("Mô hình Hội quán (tên mới)");
    edits.PutDoc(doc);
    v1::Document created;
    created.set_key("model/huyen-tp-sa-dec-90");
    created.set_version(10000);
    v1::Model& model = *created.mutable_model();
    model.set_id("huyen-tp-sa-dec-90");
    model.set_level(v1::MODEL_LEVEL_DISTRICT);
    model.set_kind(v1::MODEL_KIND_MODEL);
    model.set_owner_area_id("tp-sa-dec");
    model.set_name("Mô hình Tổ nhân dân tự quản");
    edits.PutDoc(created);
    ASSERT_OK(store_.Apply(edits));
    auto index = CatalogueIndex::Load(store_);
    ASSERT_OK(index);
    index_ = std::make_unique<CatalogueIndex>(*std::move(index));
  }

  MemoryStore store_;
  v1::AppendixLayout layout_;
  std::unique_ptr<CatalogueIndex> index_;
};

TEST_F(AppendixExportTest, EveryModelInPrintedOrderThenTheNewOnes) {
  FiguresByModel figures;
  v1::AppendixFigure members;
  members.set_indicator("members");
  members.mutable_accepted()->set_reports(2);
  figures["huyen-tp-sa-dec-05"].push_back(members);
  AppendixExport all = BuildAppendixExport(
      *index_, layout_, [](const v1::Model&) { return true; }, figures);

  ASSERT_EQ(all.tables.size(), 7u);
  EXPECT_EQ(all.tables[0].appendix(), "I");
  EXPECT_EQ(all.tables[5].appendix(), "VI");
  EXPECT_EQ(all.tables[6].appendix(), "");
  EXPECT_EQ(all.tables[0].sections(0).rows_size(), 0);
  // 25 + 13 + 107 + 24 + 13 + 107 printed rows, and the new model.
  EXPECT_EQ(all.rows.size(), 289u + 1);
  std::set<std::string> ids;
  for (const v1::AppendixRow& row : all.rows) ids.insert(row.model_id());
  EXPECT_EQ(ids.size(), static_cast<size_t>(t::kModelsTotal) + 1);

  EXPECT_EQ(all.rows[0].model_id(), "tinh-kt-01");
  EXPECT_EQ(all.rows[0].stt(), "1");
  const v1::AppendixRow& last = all.rows.back();
  EXPECT_EQ(last.model_id(), "huyen-tp-sa-dec-90");
  EXPECT_EQ(last.section(), "I");
  EXPECT_EQ(last.stt(), "1");
  EXPECT_EQ(all.tables[6].sections(0).title(), "Thành phố Sa Đéc");

  int renamed_rows = 0;
  for (const v1::AppendixRow& row : all.rows) {
    if (row.model_id() != "huyen-tp-sa-dec-05") continue;
    ++renamed_rows;
    EXPECT_EQ(row.name(), "Mô hình Hội quán (tên mới)");
    ASSERT_EQ(row.figures_size(), 1);
    EXPECT_EQ(row.figures(0).accepted().reports(), 2u);
    // The summary appendix III prints no detailed column; VI does.
    EXPECT_EQ(row.has_context(), row.appendix() == "VI") << row.appendix();
  }
  EXPECT_EQ(renamed_rows, 2);
}

TEST_F(AppendixExportTest, ADistrictsExportHoldsItsRowsOnly) {
  AppendixExport sa_dec = BuildAppendixExport(
      *index_, layout_,
      [](const v1::Model& m) { return m.owner_area_id() == "tp-sa-dec"; }, {});
  ASSERT_EQ(sa_dec.tables.size(), 3u);  // III, VI and the new model's
  EXPECT_EQ(sa_dec.tables[0].appendix(), "III");
  ASSERT_EQ(sa_dec.tables[0].sections_size(), 1);
  EXPECT_EQ(sa_dec.tables[0].sections(0).roman(), "II");
  EXPECT_EQ(sa_dec.rows.size(), 31u + 31u + 1u);
}

TEST(RomanNumeralTest, Numerals) {
  EXPECT_EQ(RomanNumeral(1), "I");
  EXPECT_EQ(RomanNumeral(4), "IV");
  EXPECT_EQ(RomanNumeral(12), "XII");
  EXPECT_EQ(RomanNumeral(49), "XLIX");
}

}  // namespace
}  // namespace fieldsync::server
