#include "sync/access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/mutation_reason.h"
#include "sync/scopes.h"
#include "sync/status_macros.h"

namespace fieldsync {
namespace {

// The district an area lies in ("" if none).
std::string DistrictOf(const std::string& area_id, const AreaTree& areas) {
  for (const v1::Area* a : areas.Ancestry(area_id)) {
    if (a->level() == v1::AREA_LEVEL_DISTRICT) return a->id();
  }
  return "";
}

template <typename Scopes>
bool InScopes(const Scopes& scopes, const std::vector<std::string>& allowed) {
  return std::any_of(scopes.begin(), scopes.end(), [&](const std::string& s) {
    return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
  });
}

bool InScopes(const v1::Document& doc,
              const std::vector<std::string>& allowed) {
  return InScopes(doc.scopes(), allowed);
}

}  // namespace

std::string WorkingAreaOf(const std::string& area_id, const AreaTree& areas,
                          std::string_view date) {
  return areas.MergedSuccessorOn(area_id, date);
}

absl::Status CheckRoleArea(v1::Role role, const std::string& area_id,
                           const AreaTree& areas, std::string_view date) {
  const v1::Area* area = areas.Find(area_id);
  if (area == nullptr) {
    return InvalidFieldError("area_id",
                             absl::StrCat("unknown area \"", area_id, "\""));
  }
  if (!date.empty())
    FS_RETURN_IF_ERROR(CheckAreaOn("area_id", area_id, date, areas));
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

namespace {

// `area_id` and the areas merged into it: an officer of a merged commune
// holds the history of every commune it was made of.
std::vector<std::string> AreaAndMerged(const std::string& area_id,
                                       const AreaTree& areas) {
  std::vector<std::string> out = {area_id};
  for (std::string& merged : areas.MergedFrom(area_id)) {
    out.push_back(std::move(merged));
  }
  return out;
}

void AddOnce(std::vector<std::string>& scopes, std::string scope) {
  if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
    scopes.push_back(std::move(scope));
  }
}

}  // namespace

std::vector<std::string> ReadScopes(v1::Role role, const std::string& area_id,
                                    const AreaTree& areas) {
  switch (role) {
    case v1::ROLE_COMMUNE_OFFICER: {
      std::vector<std::string> scopes;
      const std::vector<std::string> own = AreaAndMerged(area_id, areas);
      for (const std::string& a : own) {
        AddOnce(scopes, absl::StrCat("commune/", a));
      }
      AddOnce(scopes, kCatalogueScope);
      // The models of the districts its communes lay in, dissolved ones
      // included: they are the models its people carry on.
      for (const std::string& a : own) {
        if (std::string d = DistrictOf(a, areas); !d.empty()) {
          AddOnce(scopes, absl::StrCat("catalogue/", d));
        }
      }
      return scopes;
    }
    case v1::ROLE_DISTRICT_OFFICER: {
      std::vector<std::string> scopes;
      for (const std::string& a : AreaAndMerged(area_id, areas)) {
        AddOnce(scopes, absl::StrCat("district/", a));
      }
      AddOnce(scopes, kCatalogueScope);
      return scopes;
    }
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
    case v1::ROLE_COMMUNE_OFFICER: {
      if (area_id.empty()) return false;
      const std::vector<std::string> own = AreaAndMerged(area_id, areas);
      return std::any_of(own.begin(), own.end(), [&](const std::string& a) {
        return areas.IsWithin(target, a);
      });
    }
    default:
      return false;
  }
}

bool MayReadAuditTrail(v1::Role role) {
  return role == v1::ROLE_PROVINCE_ADMIN || role == v1::ROLE_AUDITOR;
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

bool MayBackUp(v1::Role role) { return role == v1::ROLE_PROVINCE_ADMIN; }

std::string DefaultAppendixArea(v1::Role role, const std::string& area_id,
                                const std::string& province_id) {
  return role == v1::ROLE_DISTRICT_OFFICER ? area_id : province_id;
}

WritePolicy WritePolicyFor(v1::Role role, const std::string& area_id,
                           const AreaTree& areas) {
  // An officer writes its area's documents and those of the areas merged
  // into it (a report of a former commune is still reviewed); new ones only
  // under an area that exists (merge_checks.h).
  auto scopes_of = [&](const char* prefix) {
    std::vector<std::string> scopes;
    for (const std::string& a : AreaAndMerged(area_id, areas)) {
      scopes.push_back(absl::StrCat(prefix, a));
    }
    return scopes;
  };
  switch (role) {
    case v1::ROLE_COMMUNE_OFFICER:
      return {.may_write = true,
              .authority = v1::AUTHORITY_COMMUNE,
              .scopes = scopes_of("commune/"),
              .may_write_models = false};
    case v1::ROLE_DISTRICT_OFFICER:
      return {.may_write = true,
              .authority = v1::AUTHORITY_DISTRICT,
              .scopes = scopes_of("district/"),
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
    return WithMutationReason(
        absl::PermissionDeniedError("this role reads but does not write"),
        v1::MUTATION_REASON_AUTHORITY);
  }
  if (kind == DocKind::kModel && !policy.may_write_models) {
    return WithMutationReason(
        absl::PermissionDeniedError(absl::StrCat(
            after.key(),
            ": catalogue models are written by district or province "
            "admins; communes file proposals")),
        v1::MUTATION_REASON_AUTHORITY);
  }
  if (policy.scopes.empty()) return absl::OkStatus();
  if ((before != nullptr && !InScopes(*before, policy.scopes)) ||
      !InScopes(after, policy.scopes)) {
    return OutsideScope(after.key());
  }
  return absl::OkStatus();
}

absl::Status OutsideScope(const std::string& key) {
  return WithMutationReason(
      absl::PermissionDeniedError(absl::StrCat(key, " is outside your scope")),
      v1::MUTATION_REASON_OUTSIDE_SCOPE);
}

std::string AreaNamedBy(DocKind kind, std::string_view id,
                        const AreaTree& areas) {
  if (kind != DocKind::kReport && kind != DocKind::kProposal) return "";
  const size_t dot = id.find('.');
  if (dot == std::string_view::npos) return "";
  std::string area(id.substr(0, dot));
  return areas.Find(area) != nullptr ? area : "";
}

namespace {

// The area named by `key`'s id, or "" (no area, or not a document key).
std::string AreaNamedByKey(const std::string& key, const AreaTree& areas) {
  absl::StatusOr<ParsedKey> parsed = ParseDocKey(key);
  if (!parsed.ok()) return "";
  return AreaNamedBy(parsed->kind, parsed->id, areas);
}

}  // namespace

absl::Status CheckWriteKey(const WritePolicy& policy, const std::string& key,
                           const AreaTree& areas) {
  if (!policy.may_write || policy.scopes.empty()) return absl::OkStatus();
  const std::string area = AreaNamedByKey(key, areas);
  if (area.empty() || InScopes(AreaScopes(area, areas), policy.scopes)) {
    return absl::OkStatus();
  }
  return OutsideScope(key);
}

bool MayRead(const std::vector<std::string>& read_scopes,
             const google::protobuf::RepeatedPtrField<std::string>& scopes) {
  return InScopes(scopes, read_scopes);
}

bool MayReadKey(const std::vector<std::string>& read_scopes,
                const std::string& key, const AreaTree& areas) {
  const std::string area = AreaNamedByKey(key, areas);
  return area.empty() || InScopes(AreaScopes(area, areas), read_scopes);
}

}  // namespace fieldsync
