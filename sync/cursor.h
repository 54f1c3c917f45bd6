// A pull cursor (sync.proto PullRequest.cursor): the server sequence a
// device has read up to, as 8 big-endian bytes. Opaque to clients, which
// send back what a page gave them; so anything else is refused, not
// guessed at.
#ifndef FIELDSYNC_SYNC_CURSOR_H_
#define FIELDSYNC_SYNC_CURSOR_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace fieldsync {

// The cursor bytes of a sequence number.
std::string EncodeCursor(uint64_t sequence);

// The sequence of `cursor`, 0 for "" (from the start); InvalidArgument
// naming the cursor if it is not one this server issued.
absl::StatusOr<uint64_t> DecodeCursor(std::string_view cursor);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_CURSOR_H_
