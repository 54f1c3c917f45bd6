#include "client-sdk/cli/labels.h"

namespace fieldsync::cli {

std::string_view RoleLabel(v1::Role role, Language lang) {
  switch (role) {
    case v1::ROLE_COMMUNE_OFFICER:
      return Text(Msg::kRoleCommune, lang);
    case v1::ROLE_DISTRICT_OFFICER:
      return Text(Msg::kRoleDistrict, lang);
    case v1::ROLE_PROVINCE_ADMIN:
      return Text(Msg::kRoleProvince, lang);
    case v1::ROLE_AUDITOR:
      return Text(Msg::kRoleAuditor, lang);
    default:
      return "-";
  }
}

std::string_view LevelLabel(v1::ModelLevel level, Language language) {
  switch (level) {
    case v1::MODEL_LEVEL_PROVINCE:
      return Text(Msg::kLevelProvince, language);
    case v1::MODEL_LEVEL_DISTRICT:
      return Text(Msg::kLevelDistrict, language);
    default:
      return "-";
  }
}

std::string_view StatusLabel(v1::ModelStatus status, Language language) {
  switch (status) {
    case v1::MODEL_STATUS_CONTINUING:
      return Text(Msg::kStatusContinuing, language);
    case v1::MODEL_STATUS_NEW:
      return Text(Msg::kStatusNew, language);
    case v1::MODEL_STATUS_PLANNED:
      return Text(Msg::kStatusPlanned, language);
    case v1::MODEL_STATUS_PAUSED:
      return Text(Msg::kStatusPaused, language);
    case v1::MODEL_STATUS_ARCHIVED:
      return Text(Msg::kStatusArchived, language);
    default:
      return Text(Msg::kStatusUnspecified, language);
  }
}

std::string_view KindLabel(v1::ModelKind kind, Language language) {
  switch (kind) {
    case v1::MODEL_KIND_GROUP:
      return Text(Msg::kKindGroup, language);
    case v1::MODEL_KIND_SUB_MODEL:
      return Text(Msg::kKindSubModel, language);
    default:
      return Text(Msg::kKindModel, language);
  }
}

std::optional<v1::ModelLevel> ParseLevel(std::string_view text) {
  if (text == "province" || text == "tinh") return v1::MODEL_LEVEL_PROVINCE;
  if (text == "district" || text == "huyen") return v1::MODEL_LEVEL_DISTRICT;
  return std::nullopt;
}

std::optional<v1::ModelStatus> ParseStatus(std::string_view text) {
  if (text == "continuing") return v1::MODEL_STATUS_CONTINUING;
  if (text == "new") return v1::MODEL_STATUS_NEW;
  if (text == "planned") return v1::MODEL_STATUS_PLANNED;
  if (text == "paused") return v1::MODEL_STATUS_PAUSED;
  if (text == "archived") return v1::MODEL_STATUS_ARCHIVED;
  return std::nullopt;
}

}  // namespace fieldsync::cli
