// Enum values as the CLI shows and accepts them: localized labels for
// tables, and the English keywords (plus Vietnamese aliases) for options.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_LABELS_H_
#define FIELDSYNC_CLIENT_SDK_CLI_LABELS_H_

#include <optional>
#include <string>
#include <string_view>

#include "client-sdk/cli/messages.h"
#include "fieldsync/v1/area.pb.h"
#include "fieldsync/v1/catalogue.pb.h"
#include "fieldsync/v1/device.pb.h"

namespace fieldsync::cli {

std::string_view RoleLabel(v1::Role role, Language language);
std::string_view LevelLabel(v1::ModelLevel level, Language language);
std::string_view StatusLabel(v1::ModelStatus status, Language language);
std::string_view KindLabel(v1::ModelKind kind, Language language);

// Parses an option value: "province"/"tinh", "district"/"huyen".
std::optional<v1::ModelLevel> ParseLevel(std::string_view text);
// Parses "continuing", "new", "planned", "paused", "archived".
std::optional<v1::ModelStatus> ParseStatus(std::string_view text);

// The accepted keywords, for error messages.
inline constexpr std::string_view kLevelChoices = "province, district";
inline constexpr std::string_view kStatusChoices =
    "continuing, new, planned, paused, archived";

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_LABELS_H_
