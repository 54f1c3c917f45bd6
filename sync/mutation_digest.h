// What makes two mutations of one device "the same": the server keeps a
// digest of each mutation it takes with its result (MutationResult
// .mutation_digest), so a mutation sent again is answered DUPLICATE while
// another one that reuses its sequence number (a tablet restored from an
// older copy counting again) is refused as SEQ_REUSED instead of being
// swallowed (docs/sync-protocol.md).
#ifndef FIELDSYNC_SYNC_MUTATION_DIGEST_H_
#define FIELDSYNC_SYNC_MUTATION_DIGEST_H_

#include <cstdint>

#include "fieldsync/v1/sync.pb.h"

namespace fieldsync {

// FNV-1a 64 over what the mutation changes: its key, base version, delete
// flag and each set's path and value, every string preceded by its length
// (8 bytes, little-endian). Never 0, which stands for "no digest kept" (a
// result stored before digests).
uint64_t MutationDigest(const v1::Mutation& m);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_MUTATION_DIGEST_H_
