// Opaque page tokens for list RPCs: base64url of a PageToken message that
// records where the next page starts and which filters it belongs to.
#ifndef FIELDSYNC_SERVER_PAGE_TOKEN_H_
#define FIELDSYNC_SERVER_PAGE_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "fieldsync/v1/page_token.pb.h"
#include "google/protobuf/message.h"

namespace fieldsync::server {

// A fingerprint of `request` with its paging fields cleared by the caller;
// stable across processes (deterministic serialization, FNV-1a).
uint64_t FilterFingerprint(const google::protobuf::Message& request);

std::string EncodePageToken(const v1::PageToken& token);

// Decodes `text`; InvalidArgument naming field "page_token" and the value if
// it is not a token this server issued for `fingerprint`.
absl::StatusOr<v1::PageToken> DecodePageToken(std::string_view text,
                                              uint64_t fingerprint);

// Where a page of a list request starts: the fingerprint of its filters
// (the request without page_size and page_token) and the row after which
// the page begins ("" for the first page).
struct PageStart {
  uint64_t fingerprint = 0;
  std::string after;
};

// The PageStart of `request`, whose page token must have been issued for
// the same filters; InvalidArgument naming "page_token" otherwise.
template <typename Request>
absl::StatusOr<PageStart> PageStartOf(Request request) {
  const std::string token = request.page_token();
  request.clear_page_size();
  request.clear_page_token();
  PageStart start{.fingerprint = FilterFingerprint(request), .after = ""};
  if (!token.empty()) {
    absl::StatusOr<v1::PageToken> decoded =
        DecodePageToken(token, start.fingerprint);
    if (!decoded.ok()) return decoded.status();
    start.after = decoded->after_id();
  }
  return start;
}

// The page size a request asked for: `default_size` for 0; InvalidArgument
// naming "page_size" and the value outside 0..`max_size`.
absl::StatusOr<int> PageSizeOf(int32_t requested, int default_size,
                               int max_size);

// The `next_page_token` of a page of `start`'s list that ended after the
// row `last`.
std::string NextPageToken(const PageStart& start, std::string last);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_PAGE_TOKEN_H_
