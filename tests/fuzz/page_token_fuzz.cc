// Page tokens of the list RPCs as a caller sends them back
// (server/page_token.h): any text is a token issued for the request's
// filters, which encodes back to a token decoding the same, or refused as
// InvalidArgument.

#include "google/protobuf/util/message_differencer.h"
#include "server/page_token.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldsync::fuzz;
  const uint64_t fingerprint = TakeNumber(data, size);
  absl::StatusOr<fieldsync::v1::PageToken> token =
      fieldsync::server::DecodePageToken(Bytes(data, size), fingerprint);
  if (!token.ok()) {
    if (token.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("a bad token refused other than as InvalidArgument");
    }
    return 0;
  }
  absl::StatusOr<fieldsync::v1::PageToken> again =
      fieldsync::server::DecodePageToken(
          fieldsync::server::EncodePageToken(*token), fingerprint);
  if (!again.ok() ||
      !google::protobuf::util::MessageDifferencer::Equals(*token, *again)) {
    Fail("a token did not encode back to itself");
  }
  return 0;
}
