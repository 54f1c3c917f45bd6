// Every tuning constant of the replica engine, with the reason for its value
// (STYLE.md 15).
#ifndef FIELDSYNC_SYNC_TUNING_H_
#define FIELDSYNC_SYNC_TUNING_H_

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

}  // namespace fieldsync::tuning

#endif  // FIELDSYNC_SYNC_TUNING_H_
