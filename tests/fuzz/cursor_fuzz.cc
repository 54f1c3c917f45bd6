// Pull cursors as a device sends them back (sync/cursor.h): any bytes are
// a cursor this server issued, given back unchanged, or refused as
// InvalidArgument.
#include "sync/cursor.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldsync::fuzz;
  const std::string_view cursor = Bytes(data, size);
  absl::StatusOr<uint64_t> sequence = fieldsync::DecodeCursor(cursor);
  if (!sequence.ok()) {
    if (sequence.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("a bad cursor refused other than as InvalidArgument");
    }
    return 0;
  }
  if (!cursor.empty() && fieldsync::EncodeCursor(*sequence) != cursor) {
    Fail("a cursor did not encode back to itself");
  }
  return 0;
}
