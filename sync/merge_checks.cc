#include "sync/merge_checks.h"

#include <google/protobuf/message.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/mutation_reason.h"
#include "sync/status_macros.h"
#include "sync/status_rules.h"
#include "sync/tuning.h"

namespace fieldsync::merge_internal {
namespace {

std::string Quote(std::string_view s) {
  return absl::StrCat("\"", std::string(s), "\"");
}

// "2025", "2025-Q2", "2025-06": the year comes first.
bool PeriodStartsWithYear(std::string_view period) {
  if (period.size() < 4) return false;
  for (int i = 0; i < 4; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(period[i]))) {
      return false;
    }
  }
  return period.size() == 4 || period[4] == '-';
}

absl::Status CheckArea(std::string_view field, const std::string& area_id,
                       const MergeContext& context) {
  if (area_id.empty() || context.areas->Find(area_id) != nullptr) {
    return absl::OkStatus();
  }
  return InvalidFieldError(field,
                           absl::StrCat("unknown area ", Quote(area_id)));
}

// A report or proposal filed under `area_id` anew (a new document, or one
// moved there) needs an area that exists on the server's day in Vietnam;
// one that ended is refused naming where its work went.
absl::Status CheckAreaExistsToday(const v1::Document* before,
                                  const std::string& old_area,
                                  const std::string& area_id,
                                  const MergeContext& context) {
  if (area_id.empty() || context.server_time_micros == 0 ||
      (before != nullptr && old_area == area_id)) {
    return absl::OkStatus();
  }
  const v1::Area* area = context.areas->Find(area_id);
  if (area == nullptr) return absl::OkStatus();  // CheckArea said so
  return CheckAreaOn("area_id", area_id,
                     DateInVietnam(context.server_time_micros), *context.areas);
}

// A document whose id names an area stays in it (access.h, AreaNamedBy):
// checked when its area is set, on creation or by a change (`old_area`,
// null for a new document), so one stored before the rule keeps working.
absl::Status CheckAreaNamedById(DocKind kind, const std::string& id,
                                const std::string* old_area,
                                const std::string& area_id,
                                const MergeContext& context) {
  if (old_area != nullptr && *old_area == area_id) return absl::OkStatus();
  const std::string named = AreaNamedBy(kind, id, *context.areas);
  if (named.empty() || named == area_id) return absl::OkStatus();
  return InvalidFieldError(
      "area_id", absl::StrCat(Quote(area_id), " is not ", Quote(named),
                              ", the area the id names: a document stays in "
                              "the area its id begins with"));
}

bool IsReviewer(v1::Authority a) {
  return a == v1::AUTHORITY_DISTRICT || a == v1::AUTHORITY_PROVINCE;
}

}  // namespace

absl::StatusOr<std::vector<ResolvedSet>> ResolveMutation(
    const v1::Mutation& mutation, DocKind kind) {
  if (mutation.device_id().empty()) {
    return InvalidFieldError("device_id", "is empty");
  }
  if (mutation.authority() < v1::AUTHORITY_COMMUNE ||
      mutation.authority() > v1::AUTHORITY_PROVINCE) {
    return InvalidFieldError(
        "authority", absl::StrCat(static_cast<int>(mutation.authority()),
                                  " is not commune, district or province"));
  }
  if (mutation.delete_() && mutation.sets_size() > 0) {
    return InvalidFieldError("sets", "a delete sets no fields");
  }
  if (!mutation.delete_() && mutation.sets_size() == 0) {
    return InvalidFieldError("sets", "the mutation sets nothing");
  }
  if (mutation.sets_size() > tuning::kMaxSetsPerMutation) {
    return InvalidFieldError(
        "sets", absl::StrCat(mutation.sets_size(), " field sets; the limit is ",
                             tuning::kMaxSetsPerMutation));
  }
  // The body type's prototype, to parse each value as its field once.
  const google::protobuf::Message* body = &BodyPrototype(kind);
  const google::protobuf::Descriptor* type = body->GetDescriptor();
  std::vector<ResolvedSet> sets;
  sets.reserve(mutation.sets_size());
  for (int i = 0; i < mutation.sets_size(); ++i) {
    const v1::FieldSet& set = mutation.sets(i);
    if (set.path().size() > tuning::kMaxPathBytes ||
        set.value().size() > tuning::kMaxValueBytes) {
      return InvalidFieldError(
          "sets", absl::StrCat("path ", Quote(set.path().substr(0, 64)),
                               " or its value is over the size limit"));
    }
    // Mutations set a handful of fields: a linear scan beats a hash set.
    if (std::any_of(sets.begin(), sets.end(), [&](const ResolvedSet& earlier) {
          return PathOf(earlier, mutation) == set.path();
        })) {
      return InvalidFieldError(
          "sets", absl::StrCat("path ", Quote(set.path()), " is set twice"));
    }
    if (set.path() == "id") {
      return InvalidFieldError("sets", "\"id\" is fixed by the document key");
    }
    FS_ASSIGN_OR_RETURN(FieldRef ref, ResolvePath(type, set.path()));
    FS_ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> parsed,
                        ParseValue(*body, ref, set.value()));
    sets.push_back(
        {.index = i, .ref = std::move(ref), .parsed = std::move(parsed)});
  }
  return sets;
}

absl::Status CheckStatusChange(DocKind kind, const v1::Document* before,
                               const v1::Document& after,
                               v1::Authority authority) {
  switch (kind) {
    case DocKind::kReport:
      return CheckReportTransition(
          before ? before->report().status() : v1::REPORT_STATUS_UNSPECIFIED,
          after.report().status(), authority);
    case DocKind::kModel:
      return CheckModelTransition(
          before ? before->model().status() : after.model().status(),
          after.model().status(), authority);
    case DocKind::kProposal:
      return CheckProposalTransition(before ? before->proposal().status()
                                            : v1::PROPOSAL_STATUS_UNSPECIFIED,
                                     after.proposal().status(), authority);
    default:
      return absl::OkStatus();
  }
}

absl::Status CheckDocument(DocKind kind, const v1::Document* before,
                           const v1::Document& doc, v1::Authority authority,
                           const MergeContext& context) {
  switch (kind) {
    case DocKind::kReport: {
      const v1::Report& r = doc.report();
      FS_RETURN_IF_ERROR(CheckArea("area_id", r.area_id(), context));
      FS_RETURN_IF_ERROR(CheckAreaNamedById(
          kind, r.id(),
          before == nullptr ? nullptr : &before->report().area_id(),
          r.area_id(), context));
      FS_RETURN_IF_ERROR(CheckAreaExistsToday(
          before, before == nullptr ? "" : before->report().area_id(),
          r.area_id(), context));
      if (!r.period().empty() && !PeriodStartsWithYear(r.period())) {
        return InvalidFieldError(
            "period", absl::StrCat(Quote(r.period()),
                                   " does not start with a year (e.g. 2025, "
                                   "2025-Q2)"));
      }
      return absl::OkStatus();
    }
    case DocKind::kProposal:
      FS_RETURN_IF_ERROR(
          CheckArea("area_id", doc.proposal().area_id(), context));
      FS_RETURN_IF_ERROR(CheckAreaNamedById(
          kind, doc.proposal().id(),
          before == nullptr ? nullptr : &before->proposal().area_id(),
          doc.proposal().area_id(), context));
      return CheckAreaExistsToday(
          before, before == nullptr ? "" : before->proposal().area_id(),
          doc.proposal().area_id(), context);
    case DocKind::kModel:
      if (!IsReviewer(authority)) {
        return WithMutationReason(
            InvalidFieldError("authority",
                              "catalogue models are edited by district or "
                              "province admins; communes file proposals"),
            v1::MUTATION_REASON_AUTHORITY);
      }
      if (doc.model().level() == v1::MODEL_LEVEL_PROVINCE &&
          authority != v1::AUTHORITY_PROVINCE) {
        return WithMutationReason(
            InvalidFieldError(
                "authority",
                "province-level models are edited by the province"),
            v1::MUTATION_REASON_AUTHORITY);
      }
      for (int i = 0; i < doc.model().assigned_area_ids_size(); ++i) {
        FS_RETURN_IF_ERROR(CheckArea(absl::StrCat("assigned_area_ids[", i, "]"),
                                     doc.model().assigned_area_ids(i),
                                     context));
      }
      return CheckArea("owner_area_id", doc.model().owner_area_id(), context);
    default:
      return absl::OkStatus();
  }
}

ReviewCause YearLockReason(const v1::Document& doc,
                           const v1::Mutation& mutation,
                           const MergeContext& context) {
  if (!doc.has_report()) return {};
  const std::string year = doc.report().period().substr(0, 4);
  if (context.locked_years != nullptr && !year.empty() &&
      context.locked_years->contains(year) &&
      mutation.authority() != v1::AUTHORITY_PROVINCE) {
    return {
        .code = v1::MUTATION_REASON_YEAR_LOCKED,
        .why = absl::StrCat(
            "year ", year, " is locked: the change waits in the review queue")};
  }
  return {};
}

ReviewCause LockReason(const v1::Document& doc,
                       const std::vector<ResolvedSet>& sets,
                       const v1::Mutation& mutation,
                       const MergeContext& context) {
  if (!doc.has_report()) return {};
  const v1::Report& report = doc.report();
  if (ReviewCause locked = YearLockReason(doc, mutation, context)) {
    return locked;
  }
  if (report.status() != v1::REPORT_STATUS_ACCEPTED) return {};
  // A reviewer may still reopen an accepted report (status and comment).
  bool review_only = !mutation.delete_() && IsReviewer(mutation.authority());
  for (const ResolvedSet& set : sets) {
    const std::string& path = PathOf(set, mutation);
    review_only &= path == "status" || path == "review_comment";
  }
  if (review_only) return {};
  return {.code = v1::MUTATION_REASON_REPORT_ACCEPTED,
          .why = absl::StrCat("report ", doc.key(),
                              " is accepted: the change waits in the review "
                              "queue as an amendment")};
}

}  // namespace fieldsync::merge_internal
