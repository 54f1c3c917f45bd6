// The counts ../shared/data/README.md states for the Đồng Tháp seed, typed
// in from its tables (not computed from the JSON) so that the loader and the
// server are checked against the document, not against themselves.
#ifndef FIELDSYNC_TESTS_SUPPORT_README_COUNTS_H_
#define FIELDSYNC_TESTS_SUPPORT_README_COUNTS_H_

#include <map>
#include <string>

namespace fieldsync::testing {

inline constexpr int kModelsTotal = 147;
inline constexpr int kProvinceModels = 40;
inline constexpr int kProvinceSubModels = 5;
inline constexpr int kProvinceGroups = 2;
inline constexpr int kDistrictModels = 107;
inline constexpr int kAreasTotal = 78;
inline constexpr int kDistrictAreas = 12;
inline constexpr int kCommuneAreas = 56;
inline constexpr int kHamletAreas = 9;
inline constexpr int kSectors = 15;

// "Counts": continuing 137, new 4, planned 3, paused 1, unspecified 2.
inline const std::map<std::string, int>& StatusCounts() {
  static const auto* counts =
      new std::map<std::string, int>{{"continuing", 137},
                                     {"new", 4},
                                     {"planned", 3},
                                     {"paused", 1},
                                     {"unspecified", 2}};
  return *counts;
}

// "Per district": models in catalogue.
inline const std::map<std::string, int>& DistrictCounts() {
  static const auto* counts = new std::map<std::string, int>{
      {"tp-cao-lanh", 4}, {"tp-sa-dec", 31},   {"tp-hong-ngu", 3},
      {"h-hong-ngu", 6},  {"h-lai-vung", 16},  {"h-thanh-binh", 21},
      {"h-cao-lanh", 3},  {"h-chau-thanh", 5}, {"h-lap-vo", 2},
      {"h-tam-nong", 4},  {"h-tan-hong", 3},   {"h-thap-muoi", 9}};
  return *counts;
}

// "Per sector": models in catalogue, sub-models included.
inline const std::map<std::string, int>& SectorCounts() {
  static const auto* counts =
      new std::map<std::string, int>{{"dau-tu-kinh-doanh", 2},
                                     {"nong-nghiep", 6},
                                     {"cong-nghiep", 4 + 5},
                                     {"thuong-mai", 4},
                                     {"khu-kinh-te", 1},
                                     {"du-lich", 1},
                                     {"xay-dung", 2},
                                     {"tai-nguyen-moi-truong", 4},
                                     {"giao-duc", 1},
                                     {"lao-dong-xa-hoi", 1},
                                     {"van-hoa", 2},
                                     {"the-thao", 1},
                                     {"thong-tin-truyen-thong", 2},
                                     {"noi-vu", 3},
                                     {"tu-phap", 1}};
  return *counts;
}

// Models whose implementer names xã Tân Phú Đông (Sa Đéc), for search tests.
inline const char* const kTanPhuDongImplementers[] = {
    "huyen-tp-sa-dec-09", "huyen-tp-sa-dec-10", "huyen-tp-sa-dec-11"};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_README_COUNTS_H_
