#include "sync/mutation_reason.h"

#include "sync/error_info.h"

namespace fieldsync {
namespace {

constexpr std::string_view kPrefix = "MUTATION_REASON_";

}  // namespace

std::string MutationReasonName(v1::MutationReason reason) {
  if (reason == v1::MUTATION_REASON_UNSPECIFIED ||
      !v1::MutationReason_IsValid(reason)) {
    return "";
  }
  return v1::MutationReason_Name(reason).substr(kPrefix.size());
}

v1::MutationReason MutationReasonNamed(std::string_view name) {
  v1::MutationReason reason = v1::MUTATION_REASON_UNSPECIFIED;
  if (name.empty() || !v1::MutationReason_Parse(
                          std::string(kPrefix) + std::string(name), &reason)) {
    return v1::MUTATION_REASON_UNSPECIFIED;
  }
  return reason;
}

absl::Status WithMutationReason(absl::Status status,
                                v1::MutationReason reason) {
  return WithReason(std::move(status), MutationReasonName(reason));
}

v1::MutationReason MutationReasonOf(const absl::Status& status,
                                    v1::MutationReason fallback) {
  std::optional<google::rpc::ErrorInfo> info = AttachedErrorInfo(status);
  if (!info.has_value()) return fallback;
  const v1::MutationReason named = MutationReasonNamed(info->reason());
  return named == v1::MUTATION_REASON_UNSPECIFIED ? fallback : named;
}

absl::Status RefusedWrite(const v1::MutationResult& result,
                          const std::string& key) {
  absl::Status refused = absl::FailedPreconditionError(result.reason());
  const std::string name = MutationReasonName(result.reason_code());
  if (name.empty()) return refused;
  return WithReason(std::move(refused), name, {{"key", key}});
}

}  // namespace fieldsync
