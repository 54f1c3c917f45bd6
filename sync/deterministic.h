// Byte-exact encodings: protobuf serializes maps in no fixed order unless
// asked, and checksums, fingerprints and comparisons need the same bytes
// for the same message on every machine.
#ifndef FIELDSYNC_SYNC_DETERMINISTIC_H_
#define FIELDSYNC_SYNC_DETERMINISTIC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "fieldsync/v1/sync.pb.h"
#include "google/protobuf/message.h"

namespace fieldsync {

// `message` serialized deterministically (map entries in key order).
std::string DeterministicBytes(const google::protobuf::Message& message);

// The same bytes into `out` (replacing its contents), reusing its capacity.
void DeterministicBytesTo(const google::protobuf::Message& message,
                          std::string& out);

// The CRC-32 (zlib) a pull page's `checksum` holds: over each document's
// deterministic bytes, in order.
uint32_t PageChecksum(const v1::PullResponse& page);

// The same checksum built one document at a time, for a server that already
// has each document's bytes: start from ChecksumStart().
uint32_t ChecksumStart();
uint32_t ChecksumAppend(uint32_t checksum, std::string_view doc_bytes);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_DETERMINISTIC_H_
