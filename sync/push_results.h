// A push answer's results as one zstd frame (sync.proto,
// PushResponse.encoded_results), for clients that ask for it: the answer to
// a batch of 500 repeats one device id and one outcome 500 times, and gzip
// of it cost the server more CPU than any other part of answering.
#ifndef FIELDSYNC_SYNC_PUSH_RESULTS_H_
#define FIELDSYNC_SYNC_PUSH_RESULTS_H_

#include "absl/status/status.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync {

// Moves `response`'s results into `encoded_results`, a zstd frame at
// `zstd_level`. A response without results is left as it is.
void EncodePushResults(v1::PushResponse& response, int zstd_level);

// Puts `encoded_results` back into `results` (nothing to do for a plain
// answer). InvalidArgument for an encoding the client did not ask for,
// DataLoss for a frame that does not decode or parse.
absl::Status DecodePushResults(v1::PushResponse& response);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_PUSH_RESULTS_H_
