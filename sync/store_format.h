// A store's format version (docs/storage-format.md "Format versions"): the
// number its meta column family holds under kFormatMetaKey. A store opens
// on its own format; an older one is brought up to date by ordered
// migrations, each recorded as it completes, so a crash between two resumes
// at the next; a newer one is refused naming both numbers, since this code
// cannot know what changed. The server's data folder and a tablet's replica
// each have their own format and migrations.
#ifndef FIELDSYNC_SYNC_STORE_FORMAT_H_
#define FIELDSYNC_SYNC_STORE_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sync/store.h"

namespace fieldsync {

// Meta key of a store's format version (decimal text). A store without it
// predates format versions: format 0.
inline constexpr std::string_view kFormatMetaKey = "format/version";

// One step of a store's history.
struct Migration {
  uint32_t to = 0;        // the format it leaves the store in
  std::string_view what;  // what it changes, for the operator
  // Changes the store; must be safe to run again after a crash midway.
  // Null when the step changes nothing but the number.
  absl::Status (*run)(Store& store) = nullptr;
};

// The format `store` is in (0 when it has none); DataLoss naming the value
// if it is not a number.
absl::StatusOr<uint32_t> StoredFormat(Store& store);

// FailedPrecondition naming both numbers when `store`'s format is newer
// than `current`, the newest this release reads; `what` names the store in
// the message ("data folder", "tablet replica"). Reads only.
absl::Status CheckFormatReadable(Store& store, uint32_t current,
                                 std::string_view what);

// Records that `store`, new and empty, is in format `current`: a new store
// is born in the current format and needs no migration.
absl::Status StartAtFormat(Store& store, uint32_t current);

// Brings `store` to `current` by running, in order, each of `migrations`
// (one per format 1..current, ordered) above the store's format, recording
// the format after each; refused as CheckFormatReadable says first.
// Returns what each migration that ran changed.
absl::StatusOr<std::vector<std::string>> MigrateStore(
    Store& store, uint32_t current, absl::Span<const Migration> migrations,
    std::string_view what);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_STORE_FORMAT_H_
