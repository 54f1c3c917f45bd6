#include "client-sdk/cli/reason_text.h"

#include <array>
#include <utility>

#include "sync/error_info.h"
#include "sync/mutation_reason.h"

namespace fieldsync::cli {
namespace {

// Every reason the server sends (sync/error_info.h, sync.proto's
// MutationReason) with its message; a status code's name stands for a
// refusal with nothing more precise.
constexpr std::array<std::pair<std::string_view, Msg>, 36> kReasons = {{
    {"OUT_OF_ORDER", Msg::kReasonOutOfOrder},
    {"SEQ_REUSED", Msg::kReasonSeqReused},
    {"REVIEW_QUEUE_FULL", Msg::kReasonReviewQueueFull},
    {"REVIEW_ITEM_TOO_LARGE", Msg::kReasonReviewItemTooLarge},
    {"INVALID_MUTATION", Msg::kReasonInvalidMutation},
    {"INVALID_VALUE", Msg::kReasonInvalidValue},
    {"OUTSIDE_SCOPE", Msg::kReasonOutsideScope},
    {"AUTHORITY", Msg::kReasonAuthority},
    {"STATUS_TRANSITION", Msg::kReasonStatusTransition},
    {"AREA_SUPERSEDED", Msg::kReasonAreaSuperseded},
    {"UNKNOWN_BASE", Msg::kReasonUnknownBase},
    {"DOCUMENT_DELETED", Msg::kReasonDocumentDeleted},
    {"FIELD_CONFLICT", Msg::kReasonFieldConflict},
    {"DELETE_CONFLICT", Msg::kReasonDeleteConflict},
    {"YEAR_LOCKED", Msg::kReasonYearLocked},
    {"REPORT_ACCEPTED", Msg::kReasonReportAccepted},
    {reason::kSecretMissing, Msg::kReasonSecretMissing},
    {reason::kSecretInvalid, Msg::kReasonSecretInvalid},
    {reason::kDeviceRevoked, Msg::kReasonDeviceRevoked},
    {reason::kSecretReplaced, Msg::kReasonSecretReplaced},
    {reason::kDevelopmentSecret, Msg::kReasonDevelopmentSecret},
    {reason::kCertificateMismatch, Msg::kReasonCertificateMismatch},
    {reason::kAuthThrottled, Msg::kReasonAuthThrottled},
    {reason::kProtocolVersion, Msg::kReasonProtocolVersion},
    {reason::kBatchTooLarge, Msg::kReasonBatchTooLarge},
    {reason::kNotCallingDevice, Msg::kReasonNotCallingDevice},
    {"INVALID_ARGUMENT", Msg::kReasonInvalidArgument},
    {"NOT_FOUND", Msg::kReasonNotFound},
    {"ALREADY_EXISTS", Msg::kReasonAlreadyExists},
    {"PERMISSION_DENIED", Msg::kReasonPermissionDenied},
    {"FAILED_PRECONDITION", Msg::kReasonFailedPrecondition},
    {"RESOURCE_EXHAUSTED", Msg::kReasonResourceExhausted},
    {"UNAUTHENTICATED", Msg::kReasonUnauthenticated},
    {"INTERNAL", Msg::kReasonInternal},
    {"DATA_LOSS", Msg::kReasonDataLoss},
    {"OUT_OF_RANGE", Msg::kReasonInvalidArgument},
}};

}  // namespace

std::optional<Msg> ReasonMessage(std::string_view reason) {
  for (const auto& [name, message] : kReasons) {
    if (name == reason) return message;
  }
  return std::nullopt;
}

std::optional<std::string> ReasonText(const google::rpc::ErrorInfo& info,
                                      Language language) {
  if (info.domain() != kErrorDomain) return std::nullopt;
  std::optional<Msg> message = ReasonMessage(info.reason());
  if (!message.has_value()) return std::nullopt;
  if (*message == Msg::kReasonAuthThrottled) {
    auto retry = info.metadata().find("retry_after_seconds");
    return Format(*message, language,
                  retry == info.metadata().end() ? "?" : retry->second);
  }
  return std::string(Text(*message, language));
}

std::optional<std::string> ReasonText(v1::MutationReason reason,
                                      Language language) {
  std::optional<Msg> message = ReasonMessage(MutationReasonName(reason));
  if (!message.has_value()) return std::nullopt;
  return std::string(Text(*message, language));
}

}  // namespace fieldsync::cli
