// The wire bytes of a pull page (v1::PullResponse), built from documents
// that are already serialized, and read back without parsing them.
//
// The store keeps each document's deterministic bytes (docs/storage-
// format.md), so a server page is those bytes, each framed as field 1 of
// PullResponse, and its checksum is computed on the same bytes: no document
// is parsed or serialized again to serve a pull. A client checks the
// checksum on the bytes it received (PageDocumentsChecksum).
#ifndef FIELDSYNC_SYNC_PULL_PAGE_H_
#define FIELDSYNC_SYNC_PULL_PAGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/tuning.h"

namespace fieldsync {

// Appends PullResponse.estimated_documents to a finished page's bytes (a
// serialized message may be extended field by field).
void AppendEstimatedDocuments(std::string& page_bytes, uint64_t estimate);

// Metadata a client sends on a Pull to have its pages sent uncompressed: on
// a fast link gzip costs more time than it saves (docs/benchmarks.md). The
// value is the encoding wanted; only "identity" is understood.
inline constexpr char kPullEncodingHeader[] = "x-fieldsync-pull-encoding";

// Builds one serialized PullResponse. Not thread-safe.
class PullPageBuilder {
 public:
  PullPageBuilder();

  // Appends one document, given as its deterministic bytes.
  void AddDocument(std::string_view doc_bytes);

  int documents() const { return documents_; }
  // The documents' bytes so far (without framing): what max_page_bytes
  // bounds.
  size_t document_bytes() const { return document_bytes_; }

  // Appends the other fields and returns the page, its documents first;
  // the builder is spent.
  std::string Finish(std::string_view cursor, bool snapshot, bool done);

 private:
  std::string bytes_;
  uint32_t checksum_;
  int documents_ = 0;
  size_t document_bytes_ = 0;
};

// A page Finish() built, with its documents in `encoding`: for
// PAGE_ENCODING_ZSTD, one zstd frame in `encoded_documents`
// (sync/zstd_codec.h). A page without documents stays plain. Internal if
// the page's documents are not all at its start, as Finish puts them.
absl::StatusOr<std::string> EncodePageDocuments(
    std::string page, v1::PageEncoding encoding,
    int zstd_level = tuning::kPageZstdLevelSmall);

// Decodes a parsed page's `encoded_documents` (sync.proto) into its
// `documents`: the frame's content is parsed into `page` itself, and
// `decoded` keeps that content (for PageDocumentsChecksum). A plain page is
// left as it is and `decoded` emptied. DataLoss on a frame that does not
// decode or parse, InvalidArgument on an encoding this client never asks
// for.
absl::Status DecodePageDocuments(v1::PullResponse& page, std::string& decoded);

// The `version` field of a serialized v1::Document, read from its wire
// bytes; nullopt if the bytes do not parse that far.
std::optional<uint64_t> DocumentVersion(std::string_view doc_bytes);

// The checksum of a serialized PullResponse's documents as received: the
// CRC-32 over each document's bytes (field 1), in order. Equal to the
// page's `checksum` when the sender sent deterministic bytes, as this
// server does; nullopt if the bytes are not a well-formed message.
std::optional<uint32_t> PageDocumentsChecksum(std::string_view page_bytes);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_PULL_PAGE_H_
