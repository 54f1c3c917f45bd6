// Zstandard compression of pull pages' documents (PAGE_ENCODING_ZSTD).
//
// zstd at a low level compresses several times faster than zlib's default
// level, which gRPC's gzip uses, and decompresses faster still, at a better
// ratio on documents (docs/benchmarks.md): a bootstrap is bound by that CPU
// on a fast link and by the bytes on a slow one.
#ifndef FIELDSYNC_SYNC_ZSTD_CODEC_H_
#define FIELDSYNC_SYNC_ZSTD_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace fieldsync {

// One zstd frame of `bytes` at `level` (1 is fast; see zstd's levels),
// appended to `out`. The frame records its content size.
void ZstdCompress(std::string_view bytes, int level, std::string& out);

// The content of one zstd frame, into `out` (replaced). DataLoss if it is
// not a whole, valid frame with a recorded size; ResourceExhausted if that
// size is over `max_bytes`, before anything is allocated.
absl::Status ZstdDecompress(std::string_view frame, size_t max_bytes,
                            std::string& out);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_ZSTD_CODEC_H_
