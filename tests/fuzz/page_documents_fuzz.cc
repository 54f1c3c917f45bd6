// Pull pages as a tablet receives them (sync/pull_page.h): any bytes
// either do not parse, or decode their documents (zstd or plain) and are
// summed without reading past them; a page is refused only as DataLoss or
// InvalidArgument.
#include "fieldsync/v1/sync.pb.h"
#include "sync/pull_page.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldsync::fuzz;
  const std::string_view bytes = Bytes(data, size);
  // The checksum reads the wire bytes itself, parsed or not.
  (void)fieldsync::PageDocumentsChecksum(bytes);
  fieldsync::v1::PullResponse page;
  if (!page.ParseFromArray(data, static_cast<int>(size))) return 0;
  std::string decoded;
  absl::Status s = fieldsync::DecodePageDocuments(page, decoded);
  if (!s.ok()) {
    if (s.code() != absl::StatusCode::kDataLoss &&
        s.code() != absl::StatusCode::kInvalidArgument) {
      Fail("a bad page refused other than as DataLoss or InvalidArgument");
    }
    return 0;
  }
  if (!decoded.empty()) (void)fieldsync::PageDocumentsChecksum(decoded);
  for (const fieldsync::v1::Document& doc : page.documents()) {
    (void)fieldsync::DocumentVersion(doc.SerializeAsString());
  }
  return 0;
}
