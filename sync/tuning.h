// Every tuning constant of the replica engine, with the reason for its value
// (STYLE.md 15).
#ifndef FIELDSYNC_SYNC_TUNING_H_
#define FIELDSYNC_SYNC_TUNING_H_

#include <cstddef>
#include <cstdint>

namespace fieldsync::tuning {

// A device clock more than this ahead of the server's is flagged: an edit
// cannot be made in the future, and tablets with a dead RTC battery boot
// with wild dates. Ten minutes absorbs ordinary drift without NTP.
inline constexpr int64_t kMaxClockAheadMicros = 10LL * 60 * 1'000'000;

// A device time this far behind the server's is flagged too. Tablets stay
// offline for days, so an old device time is normal; a quarter of a year is
// not (a clock reset to the factory date, or to 1970).
inline constexpr int64_t kMaxClockBehindMicros = 92LL * 24 * 3600 * 1'000'000;

// Longest field path and largest field value a mutation may carry: report
// fields are short texts and numbers; attachments travel by hash.
inline constexpr size_t kMaxPathBytes = 256;
inline constexpr size_t kMaxValueBytes = 256 * 1024;

// Most field sets in one mutation: a report has a few dozen indicators.
inline constexpr int kMaxSetsPerMutation = 512;
// Rows of one hierarchy change (AdminService.ApplyAreaChanges): the 2025
// reform's table for a whole merged province has a few hundred.
inline constexpr int kMaxAreaChangesPerCall = 2000;

// Largest push batch the server accepts, in bytes, advertised to clients.
// On a 2G link (~5 KB/s up) a 256 KiB batch takes under a minute: a dropped
// link loses at most that much work, and a batch of 500 small mutations fits.
inline constexpr uint32_t kMaxBatchBytes = 256 * 1024;

// Largest gRPC message either side accepts: a batch plus framing headroom.
inline constexpr int kMaxMessageBytes = 1024 * 1024;

// Pull page size when the client asks for none, and the most it may ask.
// Small pages cost round trips; large ones lose more to a dropped link.
inline constexpr uint32_t kDefaultPageBytes = 64 * 1024;
inline constexpr uint32_t kMaxPageBytes = 512 * 1024;
// zstd's levels for pull pages (PAGE_ENCODING_ZSTD), chosen per page by the
// link's pace, as zstd's own --adapt does: on a link slower than
// kFastLinkBytesPerSecond (2G to 4G) the bytes are what costs, so the
// small level; on a faster one (Wi-Fi, a LAN) the server's CPU is, so the
// fast level.
// Level 3, zstd's default, is as small as gzip -6 on the catalogue's text
// (5.65 against 5.75 times) at about nine times gzip's speed; level -1
// makes pages about 11% larger at well over twice that speed
// (docs/benchmarks.md).
inline constexpr int kPageZstdLevelSmall = 3;
inline constexpr int kPageZstdLevelFast = -1;
// 4 MB/s, 32 Mbit/s: faster than 2G, 3G and most 4G links in the field.
inline constexpr double kFastLinkBytesPerSecond = 4e6;
// The most a client decodes from one page: a page's documents are bounded
// by kMaxPageBytes, but one document larger than that still makes a page.
inline constexpr size_t kMaxDecodedPageBytes = 64 * 1024 * 1024;

// Most mutations the server writes in one group commit: several tablets'
// batches share a WriteBatch and an fsync, but one group stays small enough
// that no tablet waits long behind the others.
inline constexpr size_t kMaxMutationsPerGroup = 4096;
// Groups merged and waiting for the write before them to end; they are
// then written together. Enough that merging seldom waits on an fsync, few
// enough that what is merged and not yet durable stays small.
inline constexpr size_t kGroupsPreparedAhead = 4;

// Default server log retention, in sequences, and how often it is enforced.
// A million changes is weeks of a province's reporting; compaction only
// drops superseded entries, so resuming from an older cursor still works
// and costs what the device receives.
inline constexpr uint64_t kDefaultLogRetention = 1'000'000;
inline constexpr int64_t kCompactionIntervalSeconds = 600;

// Wrong secrets tolerated in a window (server/auth_throttle.h): per device,
// from addresses it never authenticated from, enough for a mistyped secret
// or two, far too few to guess a 256-bit secret; per source address, for
// any devices, more, since many tablets share a carrier's address, and
// few enough that made-up device ids cannot be tried in bulk.
inline constexpr int kMaxAuthFailuresPerDevice = 10;
inline constexpr int kMaxAuthFailuresPerAddress = 30;
inline constexpr int64_t kAuthFailureWindowMicros = 60LL * 1'000'000;
// What the throttle remembers, at most (least recently used forgotten
// first): addresses and devices being counted, a few tens of bytes each,
// and (device, address) pairs that authenticated. A few MB in all.
inline constexpr size_t kAuthThrottleAddresses = 16'384;
inline constexpr size_t kAuthThrottleDevices = 16'384;
inline constexpr size_t kAuthKnownAddresses = 65'536;
// Refused calls are audited as counts, one event per (address, device
// claimed) and interval, not one event each: a flood of calls without a
// valid secret writes a few events a minute. At most this many (address,
// device) counts are kept between two summaries; the rest are summed as
// "from other addresses".
inline constexpr int64_t kRefusalSummaryIntervalSeconds = 60;
inline constexpr size_t kRefusalSummaryEntries = 1024;

// What gRPC may hold for all calls together (docs/limits.md): its buffers
// and in-flight messages are charged to one ResourceQuota of this size, and
// past it gRPC refuses new streams rather than grow; and at most this many
// threads of its own. Calls run on the callback API, whose work is ours
// (executors), so few threads are needed.
inline constexpr size_t kServerMemoryQuotaBytes = 256u << 20;
inline constexpr int kServerMaxThreads = 16;
// Concurrent streams on one connection: a tablet has one push and one pull
// open, a console a few dozen calls; more from one connection is a flood.
inline constexpr int kMaxConcurrentStreamsPerConnection = 100;

// Aggregate cells the server replica keeps in memory, so that a push reads
// the cells it moves from there rather than from RocksDB (ServerReplica).
// A cell is a (period, area, model) with a few hundred bytes of figures: a
// province's years of reports fit, in a few tens of MB.
inline constexpr size_t kMaxCachedAggregateCells = 200'000;

// Review items a ListConflicts page holds by default and at most: a
// reviewer's screen, and what a CLI table still reads.
inline constexpr int kDefaultReviewPageSize = 100;
inline constexpr int kMaxReviewPageSize = 500;
// Review items one ListConflicts page reads at most after the first
// (whether or not the caller sees them): a district officer paging a
// province's queue gets short pages quickly instead of one call reading
// it all; the next page goes on from where this one stopped.
inline constexpr int kMaxReviewItemsReadPerPage = 5000;

// Bounds of the review queue (sync/review_bounds.h, docs/limits.md): a
// mutation that would open one more item is refused, nothing written.
// Per document: a reviewer reads one document's items on one default page
// (ListConflicts with its key, kDefaultReviewPageSize); a document with more
// open has been fought over without anyone deciding, and further edits of
// it wait until someone does.
inline constexpr uint64_t kMaxOpenReviewItemsPerDocument = 100;
// Per device (the device whose mutation opened the item): ten default pages
// of the queue. A commune's year of reports, a few dozen models edited a
// few times each, opens far fewer even after a lock; past it a device is
// broken or hostile, and its items alone would bury the reviewers. With the
// size bound, one device's items hold at most 64 MiB of values.
inline constexpr uint64_t kMaxOpenReviewItemsPerDevice = 1000;
// Bytes of values one item keeps (base, current and waiting value of each
// path): a catalogue entry is at most ~6 KB of text, so a conflict over all
// of it keeps under 20 KB; a report's values are smaller still.
inline constexpr size_t kMaxReviewItemValueBytes = 64 * 1024;

// Devices a ListDevices page holds by default and at most: a screen of the
// CLI's table, a few hundred bytes each; a province enrols a few thousand
// devices, so a handful of pages.
inline constexpr int kDefaultDevicePageSize = 100;
inline constexpr int kMaxDevicePageSize = 500;
// Versions a ModelHistory page holds by default and at most: each carries
// the whole entry (the catalogue's entries are about 3 KB of text) and the
// values it changed, so 20 are a screen and 100 stay well under a message.
inline constexpr int kDefaultHistoryPageSize = 20;
inline constexpr int kMaxHistoryPageSize = 100;
// A page of an admin list (ListConflicts, ListDevices, ModelHistory) ends
// once its items pass this many bytes, whatever its page size, and the next
// page goes on from there: a gRPC client receives at most 4 MiB in one
// message by default, and a weak link should not carry one page for long.
// A page always holds at least one item.
inline constexpr size_t kMaxListPageBytes = 1024 * 1024;

}  // namespace fieldsync::tuning

#endif  // FIELDSYNC_SYNC_TUNING_H_
