// A pull page as a tablet takes it off any link: parsed, its zstd
// documents decoded, and its checksum checked on the bytes received, before
// a single document is applied. The SDK's gRPC client and in-memory
// transport and the convergence simulation all read pages through it, so a
// test over an in-memory link checks what a tablet checks.
#ifndef FIELDSYNC_SYNC_RECEIVED_PAGE_H_
#define FIELDSYNC_SYNC_RECEIVED_PAGE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync {

// Parses `wire` (a serialized PullResponse) into `page` and decodes its
// documents (`decoded` keeps a zstd page's decoded documents; it is
// emptied for a plain page). Returns the page's size once decoded. DataLoss
// if the page does not parse, its frame does not decode, or its checksum
// does not match: nothing of such a page may be applied.
absl::StatusOr<size_t> ReadReceivedPage(std::string_view wire,
                                        v1::PullResponse& page,
                                        std::string& decoded);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_RECEIVED_PAGE_H_
