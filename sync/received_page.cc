#include "sync/received_page.h"

#include "sync/deterministic.h"
#include "sync/pull_page.h"

namespace fieldsync {

absl::StatusOr<size_t> ReadReceivedPage(std::string_view wire,
                                        v1::PullResponse& page,
                                        std::string& decoded) {
  if (!page.ParseFromArray(wire.data(), static_cast<int>(wire.size()))) {
    return absl::DataLossError("a pull page does not parse");
  }
  const size_t frame_bytes = page.encoded_documents().size();
  if (absl::Status s = DecodePageDocuments(page, decoded); !s.ok()) return s;
  // The documents' bytes as received: the decoded frame of a zstd page,
  // the page itself otherwise.
  const std::string_view documents = decoded.empty() ? wire : decoded;
  // Stored documents are in their deterministic bytes (a data folder of
  // an older format is migrated to that, sync/server_replica.h), so the
  // bytes received are the bytes summed.
  if (PageDocumentsChecksum(documents) != page.checksum()) {
    return absl::DataLossError("a pull page failed its checksum");
  }
  return wire.size() - frame_bytes + decoded.size();
}

}  // namespace fieldsync
