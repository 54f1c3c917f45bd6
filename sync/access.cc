#include "sync/access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/scopes.h"

namespace fieldsync {
namespace {

// The district an area lies in ("" if none).
std::string DistrictOf(const std::string& area_id, const AreaTree& areas) {
  for (const v1::Area* a : areas.Ancestry(area_id)) {
    if (a->level() == v1::AREA_LEVEL_DISTRICT) return a->id();
  }
  return "";
}

bool InScopes(const v1::Document& doc,
              const std::vector<std::string>& allowed) {
  return std::any_of(
      doc.scopes().begin(), doc.scopes().end(), [&](const std::string& s) {
        return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
      });
}

}  // namespace

absl::Status CheckRoleArea(v1::Role role, const std::string& area_id,
                           const AreaTree& areas) {
  const v1::Area* area = areas.Find(area_id);
  if (area == nullptr) {
    return InvalidFieldError("area_id",
                             absl::StrCat("unknown area \"", area_id, "\""));
  }
  v1::AreaLevel needed = v1::AREA_LEVEL_PROVINCE;
  if (role == v1::ROLE_COMMUNE_OFFICER) needed = v1::AREA_LEVEL_COMMUNE;
  if (role == v1::ROLE_DISTRICT_OFFICER) needed = v1::AREA_LEVEL_DISTRICT;
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
    return InvalidFieldError("role", "a role is required");
  }
  if (area->level() != needed) {
    return InvalidFieldError(
        "area_id",
        absl::StrCat("a ", v1::Role_Name(role), " needs an area of level ",
                     v1::AreaLevel_Name(needed), "; \"", area_id, "\" is ",
                     v1::AreaLevel_Name(area->level())));
  }
  return absl::OkStatus();
}

std::vector<std::string> ReadScopes(v1::Role role, const std::string& area_id,
                                    const AreaTree& areas) {
  switch (role) {
    case v1::ROLE_COMMUNE_OFFICER: {
      std::vector<std::string> scopes = {absl::StrCat("commune/", area_id),
                                         kCatalogueScope};
      if (std::string d = DistrictOf(area_id, areas); !d.empty()) {
        scopes.push_back(absl::StrCat("catalogue/", d));
      }
      return scopes;
    }
    case v1::ROLE_DISTRICT_OFFICER:
      return {absl::StrCat("district/", area_id), kCatalogueScope};
    case v1::ROLE_PROVINCE_ADMIN:
    case v1::ROLE_AUDITOR:
      return {kProvinceScope};
    default:
      return {};
  }
}

bool MayReadFiguresOf(v1::Role role, const std::string& area_id,
                      const std::string& target, const AreaTree& areas) {
  switch (role) {
    case v1::ROLE_PROVINCE_ADMIN:
    case v1::ROLE_AUDITOR:
      return true;
    case v1::ROLE_DISTRICT_OFFICER:
    case v1::ROLE_COMMUNE_OFFICER:
      return !area_id.empty() && areas.IsWithin(target, area_id);
    default:
      return false;
  }
}

bool MayExportAppendix(v1::Role role) {
  return role == v1::ROLE_PROVINCE_ADMIN || role == v1::ROLE_AUDITOR ||
         role == v1::ROLE_DISTRICT_OFFICER;
}

bool MayExportAppendixOf(v1::Role role, const std::string& area_id,
                         const std::string& target) {
  switch (role) {
    case v1::ROLE_PROVINCE_ADMIN:
    case v1::ROLE_AUDITOR:
      return true;
    case v1::ROLE_DISTRICT_OFFICER:
      return !area_id.empty() && target == area_id;
    default:
      return false;
  }
}

std::string DefaultAppendixArea(v1::Role role, const std::string& area_id,
                                const std::string& province_id) {
  return role == v1::ROLE_DISTRICT_OFFICER ? area_id : province_id;
}

WritePolicy WritePolicyFor(v1::Role role, const std::string& area_id,
                           const AreaTree& /*areas*/) {
  switch (role) {
    case v1::ROLE_COMMUNE_OFFICER:
      return {.may_write = true,
              .authority = v1::AUTHORITY_COMMUNE,
              .scopes = {absl::StrCat("commune/", area_id)},
              .may_write_models = false};
    case v1::ROLE_DISTRICT_OFFICER:
      return {.may_write = true,
              .authority = v1::AUTHORITY_DISTRICT,
              .scopes = {absl::StrCat("district/", area_id)},
              .may_write_models = true};
    case v1::ROLE_PROVINCE_ADMIN:
      return {.may_write = true,
              .authority = v1::AUTHORITY_PROVINCE,
              .scopes = {},
              .may_write_models = true};
    default:
      return {.may_write = false,
              .authority = v1::AUTHORITY_UNSPECIFIED,
              .scopes = {},
              .may_write_models = false};
  }
}

absl::Status CheckWrite(const WritePolicy& policy, DocKind kind,
                        const v1::Document* before, const v1::Document& after) {
  if (!policy.may_write) {
    return absl::PermissionDeniedError("this role reads but does not write");
  }
  if (kind == DocKind::kModel && !policy.may_write_models) {
    return absl::PermissionDeniedError(
        absl::StrCat(after.key(),
                     ": catalogue models are written by district or province "
                     "admins; communes file proposals"));
  }
  if (policy.scopes.empty()) return absl::OkStatus();
  if ((before != nullptr && !InScopes(*before, policy.scopes)) ||
      !InScopes(after, policy.scopes)) {
    return absl::PermissionDeniedError(
        absl::StrCat(after.key(), " is outside what this device may write (",
                     policy.scopes.front(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace fieldsync
