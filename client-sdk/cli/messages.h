// Every text the CLI shows a person, in English and Vietnamese, from one
// table (messages.cc). Vietnamese is chosen when the locale says so
// (LC_ALL, LC_MESSAGES or LANG starting with "vi").
#ifndef FIELDSYNC_CLIENT_SDK_CLI_MESSAGES_H_
#define FIELDSYNC_CLIENT_SDK_CLI_MESSAGES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/strings/substitute.h"

namespace fieldsync::cli {

enum class Language { kEnglish, kVietnamese };

// The language of the environment's locale.
Language LanguageFromEnvironment();

enum class Msg : std::size_t {
  kAppDescription,
  kOptServer,
  kOptJson,
  kCmdModels,
  kCmdModelsList,
  kOptLevel,
  kOptArea,
  kOptSector,
  kOptStatus,
  kOptSearch,
  kOptMatchDiacritics,
  kCmdModelsShow,
  kArgModelId,
  kCmdAreas,
  kOptRoot,
  kOptAsOf,
  kCmdSectors,
  kCmdHealth,
  kOptSecretFile,
  kOptTlsCa,
  kOptTlsCert,
  kOptTlsKey,
  kCmdAdmin,
  kCmdDevices,
  kCmdDevicesEnroll,
  kCmdDevicesList,
  kCmdDevicesRevoke,
  kCmdDevicesRotate,
  kOptRole,
  kOptDeviceArea,
  kOptDeviceName,
  kArgDeviceId,
  kColRole,
  kColArea,
  kColState,
  kStateActive,
  kStateRevoked,
  kRoleCommune,
  kRoleDistrict,
  kRoleProvince,
  kRoleAuditor,
  kDeviceEnrolled,
  kSecretShownOnce,
  kDeviceRevoked,
  kDevicesCount,
  kSecretAsQr,
  kSecretRotated,
  kColId,
  kColLevel,
  kColStatus,
  kColOwner,
  kColName,
  kColType,
  kColBlock,
  kColTitle,
  kLevelProvince,
  kLevelDistrict,
  kStatusUnspecified,
  kStatusContinuing,
  kStatusNew,
  kStatusPlanned,
  kStatusPaused,
  kStatusArchived,
  kKindModel,
  kKindGroup,
  kKindSubModel,
  kModelsCount,
  kAreasCount,
  kSectorsCount,
  kNoModels,
  kFieldName,
  kFieldKind,
  kFieldGroup,
  kFieldOwner,
  kFieldSector,
  kFieldImplementer,
  kFieldContext,
  kFieldResults,
  kFieldIssues,
  kFieldPlan,
  kFieldRecommendation,
  kFieldAppendices,
  kFieldAreaRefs,
  kFieldVersion,
  kEmptyCell,
  kHealthServing,
  kHealthNotServing,
  kErrorPrefix,
  kErrUnreachable,
  kErrServerRejected,
  kErrRequestRefused,
  kErrFieldViolation,
  kErrBadChoice,
  kErrNotUtf8,
  kErrNeedSecret,
  kCmdLogin,
  kOptSecret,
  kOptDataDir,
  kCmdReport,
  kCmdReportNew,
  kCmdReportEdit,
  kCmdReportList,
  kCmdReportShow,
  kOptModel,
  kOptPeriod,
  kOptSet,
  kOptResults,
  kOptDifficulties,
  kOptProposals,
  kOptReportId,
  kOptReportStatus,
  kOptAuthor,
  kOptReportModelFilter,
  kOptReportPeriodFilter,
  kArgReportId,
  kCmdSync,
  kOptMaxAttempts,
  kCmdOutbox,
  kCmdConflicts,
  kCmdReview,
  kCmdReviewList,
  kLoggedIn,
  kReportSaved,
  kReportsCount,
  kOutboxCount,
  kNoticesCount,
  kSyncDone,
  kSyncNotices,
  kProgress,
  kReviewCount,
  kColModel,
  kColPeriod,
  kColIndicators,
  kColPending,
  kColSeq,
  kColDocument,
  kColFields,
  kColAuthor,
  kColKind,
  kColField,
  kColMine,
  kColServer,
  kColReason,
  kColBase,
  kColKept,
  kColWaiting,
  kNoticeConflict,
  kNoticeRejected,
  kNoticeAmendment,
  kConflictDelete,
  kReportDraft,
  kReportSubmitted,
  kReportAccepted,
  kReportReturned,
  kYes,
  kFieldReportModel,
  kFieldArea,
  kFieldPeriod,
  kFieldStatus,
  kFieldDifficulties,
  kFieldProposals,
  kFieldReviewComment,
  kFieldIndicators,
  kFieldPending,
  kErrUnknownModel,
  kErrBadPeriod,
  kErrFuturePeriod,
  kErrBadAssignment,
  kErrNotNumber,
  kErrNothingToChange,
  kErrReportExists,
  kErrNoReport,
  kErrNoSecretGiven,
  kErrNothingSaved,
  kCount,
};

// The text of `id` in `language`.
std::string_view Text(Msg id, Language language);

// Debian's Abseil has its own string_view; std::string_view arguments are
// converted for absl::Substitute, anything else passes through.
template <typename T>
const T& SubstituteArg(const T& value) {
  return value;
}
inline absl::string_view SubstituteArg(std::string_view value) {
  return absl::string_view(value.data(), value.size());
}

// The text of `id` with $0, $1, … replaced by `args` (absl::Substitute).
template <typename... Args>
std::string Format(Msg id, Language language, const Args&... args) {
  std::string_view text = Text(id, language);
  return absl::Substitute(absl::string_view(text.data(), text.size()),
                          SubstituteArg(args)...);
}

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_MESSAGES_H_
