#include "sync/push_results.h"

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "sync/tuning.h"
#include "sync/zstd_codec.h"

namespace fieldsync {

void EncodePushResults(v1::PushResponse& response, int zstd_level) {
  if (response.results_size() == 0) return;
  v1::PushResponse results_only;
  results_only.mutable_results()->Swap(response.mutable_results());
  ZstdCompress(results_only.SerializeAsString(), zstd_level,
               *response.mutable_encoded_results());
  response.set_results_encoding(v1::PAGE_ENCODING_ZSTD);
}

absl::Status DecodePushResults(v1::PushResponse& response) {
  switch (response.results_encoding()) {
    case v1::PAGE_ENCODING_UNSPECIFIED:
      return absl::OkStatus();
    case v1::PAGE_ENCODING_ZSTD:
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "a push answer is in encoding ", response.results_encoding(),
          ", which this client did not ask for"));
  }
  if (response.results_size() > 0) {
    return absl::DataLossError("a zstd push answer also carries plain results");
  }
  std::string decoded;
  if (absl::Status s = ZstdDecompress(response.encoded_results(),
                                      tuning::kMaxDecodedPageBytes, decoded);
      !s.ok()) {
    return absl::DataLossError(
        absl::StrCat("a push answer's results: ", s.message()));
  }
  google::protobuf::io::ArrayInputStream in(decoded.data(),
                                            static_cast<int>(decoded.size()));
  v1::PushResponse results_only;
  if (!results_only.ParseFromBoundedZeroCopyStream(
          &in, static_cast<int>(decoded.size())) ||
      results_only.has_summary() || results_only.max_batch_bytes() != 0 ||
      !results_only.encoded_results().empty()) {
    return absl::DataLossError(
        "a push answer's decoded results do not parse as results");
  }
  response.mutable_results()->Swap(results_only.mutable_results());
  response.clear_encoded_results();
  response.clear_results_encoding();
  return absl::OkStatus();
}

}  // namespace fieldsync
