// Key encodings of the store, in one place (docs/storage-format.md).
// Numbers are big-endian so that RocksDB's byte order is numeric order.
#ifndef FIELDSYNC_SYNC_KEYS_H_
#define FIELDSYNC_SYNC_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldsync {

// Document kinds, the first component of a document key.
inline constexpr std::string_view kModelKind = "model";
inline constexpr std::string_view kAreaKind = "area";
inline constexpr std::string_view kSectorKind = "sector";
inline constexpr std::string_view kReportKind = "report";

// Meta key of the last server sequence number used (8 bytes, big-endian).
inline constexpr std::string_view kLastSequenceMetaKey = "seq/last";

// Meta key present once every stored document is in its deterministic
// serialization (docs/storage-format.md); ServerReplica::Open rewrites an
// older store's documents once and then writes it.
inline constexpr std::string_view kDeterministicDocsMetaKey =
    "format/deterministic-docs";

// Meta key holding the format of the live aggregates once they hold every
// stored report (sync/aggregates.h): kAggregatesFormat. ServerReplica::Open
// recomputes every cell of a store without it, or with an older format,
// and then writes it.
inline constexpr std::string_view kAggregatesMetaKey = "format/aggregates";
// 1: figures per status column; 2: cells also count their reports per
// status, drafts included (completeness).
inline constexpr std::string_view kAggregatesFormat = "2";

// "<kind>/<id>", e.g. "model/tinh-kt-01".
std::string DocKey(std::string_view kind, std::string_view id);

// The prefix shared by every document key of `kind`: "<kind>/".
std::string DocKeyPrefix(std::string_view kind);

// Keys of the other column families. A NUL separates a variable-length
// prefix from the big-endian number, so "a" sorts apart from "a-b".

// versions: "<doc key>\0<version>"
std::string HistoryKey(std::string_view doc_key, uint64_t version);
// scope_log: "<scope>\0<sequence>"
std::string ScopeLogKey(std::string_view scope, uint64_t sequence);
// dedup: "<device id>\0<mutation seq>"
std::string ResultKey(std::string_view device_id, uint64_t mutation_seq);
// log and conflicts: "<number>"
std::string SequenceKey(uint64_t sequence);

// aggregates: "<period>\0<area>\0<model>", so one area's cells of one
// period are together (AggregatePrefix).
std::string AggregateKey(std::string_view period, std::string_view area,
                         std::string_view model);
// "<period>\0<area>\0": the start of every cell of `area` in `period`.
std::string AggregatePrefix(std::string_view period, std::string_view area);

// The parts of an aggregate key, viewing into it; nullopt if `key` does not
// have three parts.
struct AggregateKeyParts {
  std::string_view period, area, model;
};
std::optional<AggregateKeyParts> SplitAggregateKey(std::string_view key);

// The number at the end of a key built above.
uint64_t TrailingNumber(std::string_view key);

// Appends `value` as 8 big-endian bytes.
void AppendBigEndian64(std::string& out, uint64_t value);

// Reads 8 big-endian bytes at the start of `in`; nullopt if `in` is shorter.
std::optional<uint64_t> ReadBigEndian64(std::string_view in);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_KEYS_H_
