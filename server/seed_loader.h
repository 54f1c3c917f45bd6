// Turns the Đồng Tháp seed JSON (data/README.md describes its schema) into
// documents, and loads them into a store exactly once.
#ifndef FIELDSYNC_SERVER_SEED_LOADER_H_
#define FIELDSYNC_SERVER_SEED_LOADER_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/appendix.pb.h"
#include "fieldsync/v1/area.pb.h"
#include "fieldsync/v1/catalogue.pb.h"
#include "sync/store.h"

namespace fieldsync::server {

// The parsed seed: catalogue entries, sectors and areas, in source order,
// and the appendix tables as printed.
struct Seed {
  std::vector<v1::Model> models;
  std::vector<v1::Sector> sectors;
  std::vector<v1::Area> areas;
  v1::AppendixLayout appendices;
};

// Parses catalogue.json and admin_areas.json; names the entry and field of
// the first thing that does not fit the schema.
absl::StatusOr<Seed> ParseSeed(std::string_view catalogue_json,
                               std::string_view areas_json);

// The meta key that records that the seed was loaded.
inline constexpr std::string_view kSeedLoadedMetaKey = "seed/dong-thap-2021";

// The meta key of the appendix tables' printed layout (v1::AppendixLayout),
// written with the seed.
inline constexpr std::string_view kAppendixLayoutMetaKey = "appendix/layout";

// True if `store` already holds the seed, so start-up need not even parse it.
absl::StatusOr<bool> SeedLoaded(Store& store);

struct LoadResult {
  bool loaded = false;  // false: the store already held the seed
  size_t documents = 0;
};

// Writes every seed document and the appendix layout in one atomic batch,
// unless the store already holds the seed. Running it again never loads
// anything twice, and never overwrites what was edited since; a store
// seeded before the layout was kept gets the layout alone.
absl::StatusOr<LoadResult> LoadSeedOnce(Store& store, const Seed& seed);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SEED_LOADER_H_
