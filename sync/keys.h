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

// Meta key of the last server sequence number used (8 bytes, big-endian).
inline constexpr std::string_view kLastSequenceMetaKey = "seq/last";

// "<kind>/<id>", e.g. "model/tinh-kt-01".
std::string DocKey(std::string_view kind, std::string_view id);

// The prefix shared by every document key of `kind`: "<kind>/".
std::string DocKeyPrefix(std::string_view kind);

// Appends `value` as 8 big-endian bytes.
void AppendBigEndian64(std::string& out, uint64_t value);

// Reads 8 big-endian bytes at the start of `in`; nullopt if `in` is shorter.
std::optional<uint64_t> ReadBigEndian64(std::string_view in);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_KEYS_H_
