#include "sync/error_info.h"

#include "absl/strings/cord.h"
#include "absl/types/optional.h"

namespace fieldsync {
namespace {

absl::string_view Url() {
  return absl::string_view(kErrorInfoTypeUrl.data(), kErrorInfoTypeUrl.size());
}

}  // namespace

absl::Status WithReason(absl::Status status, std::string_view reason,
                        const std::map<std::string, std::string>& metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata)
    (*info.mutable_metadata())[key] = value;
  status.SetPayload(Url(), absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<google::rpc::ErrorInfo> AttachedErrorInfo(
    const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(Url());
  if (!payload.has_value()) return std::nullopt;
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info;
}

google::rpc::ErrorInfo ErrorInfoOf(const absl::Status& status) {
  if (std::optional<google::rpc::ErrorInfo> attached =
          AttachedErrorInfo(status)) {
    return *std::move(attached);
  }
  google::rpc::ErrorInfo info;
  if (status.ok()) return info;
  // "NOT_FOUND", "INVALID_ARGUMENT": gRPC's names of the codes too.
  info.set_reason(absl::StatusCodeToString(status.code()));
  info.set_domain(std::string(kErrorDomain));
  return info;
}

std::string ReasonOf(const absl::Status& status) {
  return ErrorInfoOf(status).reason();
}

}  // namespace fieldsync
