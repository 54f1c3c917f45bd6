#include "server/catalogue_index.h"

#include <gtest/gtest.h>

#include <set>

#include "server/seed_data.h"
#include "server/seed_loader.h"
#include "sync/field_error.h"
#include "sync/memory_store.h"
#include "tests/support/readme_counts.h"
#include "tests/support/status_matchers.h"

namespace fieldsync::server {
namespace {

namespace t = fieldsync::testing;

class CatalogueIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto seed = ParseSeed(EmbeddedCatalogueJson(), EmbeddedAreasJson());
    ASSERT_OK(seed);
    MemoryStore store;
    ASSERT_OK(LoadSeedOnce(store, *seed));
    auto index = CatalogueIndex::Load(store);
    ASSERT_OK(index);
    index_ = new CatalogueIndex(*std::move(index));
  }
  static void TearDownTestSuite() { delete index_; }

  // Every id matching `request`, following page tokens.
  static std::vector<std::string> AllIds(v1::ListModelsRequest request) {
    std::vector<std::string> ids;
    while (true) {
      auto page = index_->ListModels(request);
      EXPECT_OK(page);
      if (!page.ok()) return ids;
      for (const auto& m : page->models()) ids.push_back(m.id());
      if (page->next_page_token().empty()) return ids;
      request.set_page_token(page->next_page_token());
    }
  }

  static void ExpectFieldError(const absl::Status& status,
                               const std::string& field,
                               const std::string& value) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    auto violations = FieldViolations(status);
    ASSERT_EQ(violations.size(), 1u) << status;
    EXPECT_EQ(violations[0].field(), field);
    EXPECT_NE(violations[0].description().find(value), std::string::npos)
        << violations[0].description();
  }

  static CatalogueIndex* index_;
};

CatalogueIndex* CatalogueIndexTest::index_ = nullptr;

TEST_F(CatalogueIndexTest, LevelDistrictAndSectorCountsMatchTheReadme) {
  v1::ListModelsRequest request;
  request.set_page_size(kMaxPageSize);
  EXPECT_EQ(AllIds(request).size(), static_cast<size_t>(t::kModelsTotal));
  request.set_level(v1::MODEL_LEVEL_PROVINCE);
  EXPECT_EQ(AllIds(request).size(), static_cast<size_t>(t::kProvinceModels));
  request.set_level(v1::MODEL_LEVEL_DISTRICT);
  EXPECT_EQ(AllIds(request).size(), static_cast<size_t>(t::kDistrictModels));
  for (const auto& [district, count] : t::DistrictCounts()) {
    request.set_area_id(district);
    EXPECT_EQ(AllIds(request).size(), static_cast<size_t>(count)) << district;
  }
  request.Clear();
  for (const auto& [sector, count] : t::SectorCounts()) {
    request.set_sector_slug(sector);
    EXPECT_EQ(AllIds(request).size(), static_cast<size_t>(count)) << sector;
  }
}

TEST_F(CatalogueIndexTest, AreaFilterIncludesAreasBelow) {
  v1::ListModelsRequest request;
  request.set_area_id("dong-thap");
  request.set_page_size(kMaxPageSize);
  EXPECT_EQ(AllIds(request).size(), static_cast<size_t>(t::kModelsTotal));
}

TEST_F(CatalogueIndexTest, StatusFilter) {
  v1::ListModelsRequest request;
  request.set_status(v1::MODEL_STATUS_PLANNED);
  EXPECT_EQ(AllIds(request).size(),
            static_cast<size_t>(t::StatusCounts().at("planned")));
}

TEST_F(CatalogueIndexTest, SearchIgnoresDiacriticsUnlessAsked) {
  v1::ListModelsRequest request;
  request.set_search("tan phu dong");
  std::vector<std::string> plain = AllIds(request);
  for (const char* id : t::kTanPhuDongImplementers) {
    EXPECT_NE(std::find(plain.begin(), plain.end(), id), plain.end()) << id;
  }
  request.set_search("Tân Phú Đông");
  EXPECT_EQ(AllIds(request), plain);
  request.set_search("TÂN PHÚ ĐÔNG");
  request.set_match_diacritics(true);
  EXPECT_EQ(AllIds(request), plain);
  request.set_search("tan phu dong");
  EXPECT_TRUE(AllIds(request).empty());
  request.set_match_diacritics(false);
  request.set_search("no such phrase anywhere");
  EXPECT_TRUE(AllIds(request).empty());
}

TEST_F(CatalogueIndexTest, PagesCoverEverythingOnceInIdOrder) {
  v1::ListModelsRequest request;
  request.set_page_size(10);
  std::vector<std::string> ids;
  int pages = 0;
  while (true) {
    auto page = index_->ListModels(request);
    ASSERT_OK(page);
    ++pages;
    EXPECT_LE(page->models_size(), 10);
    EXPECT_EQ(page->total_size(), t::kModelsTotal);
    for (const auto& m : page->models()) ids.push_back(m.id());
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(pages, (t::kModelsTotal + 9) / 10);
  EXPECT_EQ(ids.size(), static_cast<size_t>(t::kModelsTotal));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST_F(CatalogueIndexTest, DefaultPageSize) {
  auto page = index_->ListModels(v1::ListModelsRequest());
  ASSERT_OK(page);
  EXPECT_EQ(page->models_size(), kDefaultPageSize);
  EXPECT_FALSE(page->next_page_token().empty());
}

TEST_F(CatalogueIndexTest, BadInputNamesTheFieldAndValue) {
  v1::ListModelsRequest request;
  request.set_area_id("xa-khong-co");
  ExpectFieldError(index_->ListModels(request).status(), "area_id",
                   "xa-khong-co");

  request.Clear();
  request.set_sector_slug("hang-khong");
  ExpectFieldError(index_->ListModels(request).status(), "sector_slug",
                   "hang-khong");

  request.Clear();
  request.set_page_size(kMaxPageSize + 1);
  ExpectFieldError(index_->ListModels(request).status(), "page_size", "501");
  request.set_page_size(-3);
  ExpectFieldError(index_->ListModels(request).status(), "page_size", "-3");

  request.Clear();
  request.set_page_token("not-a-token!");
  ExpectFieldError(index_->ListModels(request).status(), "page_token",
                   "not-a-token!");

  request.Clear();
  request.set_level(static_cast<v1::ModelLevel>(9));
  ExpectFieldError(index_->ListModels(request).status(), "level", "9");

  request.Clear();
  request.set_search("T\xe2n");
  ExpectFieldError(index_->ListModels(request).status(), "search", "UTF-8");
}

TEST_F(CatalogueIndexTest, TokenFromOtherFiltersIsRefused) {
  v1::ListModelsRequest request;
  request.set_page_size(5);
  auto page = index_->ListModels(request);
  ASSERT_OK(page);
  request.set_level(v1::MODEL_LEVEL_DISTRICT);
  request.set_page_token(page->next_page_token());
  ExpectFieldError(index_->ListModels(request).status(), "page_token",
                   "other filters");
}

TEST_F(CatalogueIndexTest, GetModel) {
  v1::GetModelRequest request;
  request.set_id("huyen-tp-sa-dec-05");
  auto found = index_->GetModel(request);
  ASSERT_OK(found);
  EXPECT_EQ(found->model().owner_area_id(), "tp-sa-dec");
  EXPECT_GT(found->version(), 0u);

  request.set_id("huyen-tp-sa-dec-99");
  auto missing = index_->GetModel(request);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("huyen-tp-sa-dec-99"),
            std::string::npos);
  ExpectFieldError(index_->GetModel(v1::GetModelRequest()).status(), "id",
                   "empty");
}

TEST_F(CatalogueIndexTest, AreasComeAsATree) {
  auto all = index_->ListAreas(v1::ListAreasRequest());
  ASSERT_OK(all);
  ASSERT_EQ(all->areas_size(), t::kAreasTotal);
  EXPECT_EQ(all->areas(0).id(), "dong-thap");
  std::set<std::string> seen;
  for (const auto& a : all->areas()) {
    if (!a.parent_id().empty()) {
      EXPECT_TRUE(seen.count(a.parent_id())) << a.id();
    }
    seen.insert(a.id());
  }

  v1::ListAreasRequest request;
  request.set_root_id("tp-sa-dec");
  auto sadec = index_->ListAreas(request);
  ASSERT_OK(sadec);
  EXPECT_EQ(sadec->areas(0).id(), "tp-sa-dec");
  EXPECT_EQ(sadec->areas_size(), 1 + 8 + 1);  // 8 communes, khóm 3

  request.set_root_id("tp-khong-co");
  ExpectFieldError(index_->ListAreas(request).status(), "root_id",
                   "tp-khong-co");
  request.Clear();
  request.set_as_of("2025-13-01");
  ExpectFieldError(index_->ListAreas(request).status(), "as_of", "2025-13-01");
}

TEST_F(CatalogueIndexTest, Sectors) {
  EXPECT_EQ(index_->ListSectors().sectors_size(), t::kSectors);
}

}  // namespace
}  // namespace fieldsync::server
