// The review queue's bounds (DESIGN.md "Conflicts", docs/limits.md): how
// many items may be open at once for one device and for one document, and
// how many bytes of values one item keeps. A mutation whose review item
// would pass one is refused (REJECTED with a MutationReason) and nothing of
// it is written, so no device can bury the reviewers or fill the disk
// through the queue, and the losing value is never dropped silently.
//
// The counts of open items are kept in meta entries, moved in the batch that
// opens or closes an item (ServerReplica), so a check reads two numbers and
// never the queue; so is an index of the open items per scope, from which a
// reviewer's counts (ListConflicts) are read.
#ifndef FIELDSYNC_SYNC_REVIEW_BOUNDS_H_
#define FIELDSYNC_SYNC_REVIEW_BOUNDS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
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

// Meta key of an open item in one of its scopes (an index of the open
// items per scope, so that a reviewer's counts read the open items of its
// scopes, not the queue): "review/open/scope/<scope>", a NUL, and the item's
// id (8 bytes, big-endian). Its value: the item's server time and its kind
// (8 bytes each, big-endian).
std::string OpenReviewInScopeKey(std::string_view scope, uint64_t id);
std::string OpenReviewInScopeValue(const v1::ConflictRecord& record);

// Writes `record`'s entries of the index into `writes`: put while it is
// open, deleted once it is resolved.
void IndexOpenReview(const v1::ConflictRecord& record, WriteSet& writes);

// One open item, as the index holds it.
struct OpenReview {
  uint64_t id = 0;
  v1::ConflictKind kind = v1::CONFLICT_KIND_UNSPECIFIED;
  int64_t server_time_micros = 0;
};
using OpenReviewVisitor = std::function<bool(const OpenReview&)>;

// Visits the open items of `scope`, in id order, from the index; DataLoss
// naming the entry for one that does not parse.
absl::Status ScanOpenReviews(Store& store, std::string_view scope,
                             const OpenReviewVisitor& visit);

// The whole review queue at a glance, for the server's metrics: how many
// items are open and when the oldest was opened (0: none open). Read from
// the counts and the index, never the queue: one key per device that has
// items open, and one entry of the index.
struct OpenReviewSummary {
  uint64_t open = 0;
  int64_t oldest_server_time_micros = 0;
};
absl::StatusOr<OpenReviewSummary> SummarizeOpenReviews(Store& store);

// Meta key present once the counts and the index hold every stored item;
// ServerReplica::Open counts an older store's queue once, then writes it.
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
// writes the counts and the index with kOpenReviewCountsMetaKey (a count or
// an entry no item makes is deleted). Nothing to do for a store that has
// the key.
absl::Status CountOpenReviewsOnce(Store& store);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_REVIEW_BOUNDS_H_
