// The review queue's bounds (DESIGN.md "Conflicts", docs/limits.md): how
// many items may be open at once for one device and for one document, and
// how many bytes of values one item keeps. A mutation whose review item
// would pass one is refused (REJECTED with a MutationReason) and nothing of
// it is written, so no device can bury the reviewers or fill the disk
// through the queue, and the losing value is never dropped silently.
//
// The counts of open items are kept in meta entries, moved in the batch that
// opens or closes an item (ServerReplica), so a check reads two numbers and
// never the queue.
#ifndef FIELDSYNC_SYNC_REVIEW_BOUNDS_H_
#define FIELDSYNC_SYNC_REVIEW_BOUNDS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldsync/v1/replication.pb.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/store.h"
#include "sync/tuning.h"

namespace fieldsync {

struct ReviewLimits {
  uint64_t open_per_device = tuning::kMaxOpenReviewItemsPerDevice;
  uint64_t open_per_document = tuning::kMaxOpenReviewItemsPerDocument;
  size_t value_bytes_per_item = tuning::kMaxReviewItemValueBytes;
};

// Meta keys of the counts of open items (8 bytes, big-endian; absent: 0):
// "review/open/device/<device id>" counts the items the device's mutations
// opened, "review/open/doc/<document key>" the items of the document.
std::string OpenReviewsOfDeviceKey(std::string_view device_id);
std::string OpenReviewsOfDocKey(std::string_view doc_key);

// Meta key present once the counts hold every stored item (kept from the
// first server that counted); ServerReplica::Open counts an older store's
// queue once, then writes it.
inline constexpr std::string_view kOpenReviewCountsMetaKey =
    "format/open-review-counts";

// A stored count; DataLoss naming the key if it is not 8 bytes.
absl::StatusOr<uint64_t> ParseOpenReviews(std::string_view key,
                                          const std::optional<std::string>& v);

// The bytes of values `record` keeps: every path's base, current and
// losing values.
size_t ReviewValueBytes(const v1::ConflictRecord& record);

// Why `record`, about to be opened, passes a bound, given how many items
// its device and its document have open: the reason code and the sentence
// of the refusal; nullopt within every bound.
struct ReviewRefusal {
  v1::MutationReason code = v1::MUTATION_REASON_UNSPECIFIED;
  std::string reason;
};
std::optional<ReviewRefusal> CheckReviewBounds(const v1::ConflictRecord& record,
                                               uint64_t open_of_device,
                                               uint64_t open_of_document,
                                               const ReviewLimits& limits);

// Counts the open items of a store written before the counts, once, and
// writes the counts with kOpenReviewCountsMetaKey (a count no item makes is
// deleted). Nothing to do for a store that has the key.
absl::Status CountOpenReviewsOnce(Store& store);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_REVIEW_BOUNDS_H_
