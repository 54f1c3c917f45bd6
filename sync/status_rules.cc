#include "sync/status_rules.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sync/field_error.h"
#include "sync/mutation_reason.h"

namespace fieldsync {
namespace {

// A refused step: STATUS_TRANSITION when the state machine has no such
// step, AUTHORITY when it belongs to a higher level.
template <typename Enum>
absl::Status Invalid(
    Enum from, Enum to, std::string_view (*name)(Enum), std::string_view why,
    v1::MutationReason reason = v1::MUTATION_REASON_STATUS_TRANSITION) {
  return WithMutationReason(
      InvalidFieldError(
          "status",
          absl::StrCat(std::string(name(from)), " -> ", std::string(name(to)),
                       " is not allowed: ", std::string(why))),
      reason);
}

// A status value the enum does not have.
absl::Status NotAStatus(int value, std::string_view what) {
  return WithMutationReason(
      InvalidFieldError("status", absl::StrCat(value, " is not a ",
                                               std::string(what), " status")),
      v1::MUTATION_REASON_INVALID_VALUE);
}

std::string_view ReportName(v1::ReportStatus s) {
  return v1::ReportStatus_Name(s);
}
std::string_view ModelName(v1::ModelStatus s) {
  return v1::ModelStatus_Name(s);
}
std::string_view ProposalName(v1::ProposalStatus s) {
  return v1::ProposalStatus_Name(s);
}

bool IsReviewer(v1::Authority a) {
  return a == v1::AUTHORITY_DISTRICT || a == v1::AUTHORITY_PROVINCE;
}

}  // namespace

absl::Status CheckReportTransition(v1::ReportStatus from, v1::ReportStatus to,
                                   v1::Authority authority) {
  using S = v1::ReportStatus;
  if (from == to) return absl::OkStatus();
  if (!v1::ReportStatus_IsValid(to) || to == v1::REPORT_STATUS_UNSPECIFIED) {
    return NotAStatus(static_cast<int>(to), "report");
  }
  static constexpr std::pair<S, S> kAllowed[] = {
      {v1::REPORT_STATUS_UNSPECIFIED, v1::REPORT_STATUS_DRAFT},
      {v1::REPORT_STATUS_UNSPECIFIED, v1::REPORT_STATUS_SUBMITTED},
      {v1::REPORT_STATUS_DRAFT, v1::REPORT_STATUS_SUBMITTED},
      {v1::REPORT_STATUS_SUBMITTED, v1::REPORT_STATUS_DRAFT},
      {v1::REPORT_STATUS_SUBMITTED, v1::REPORT_STATUS_ACCEPTED},
      {v1::REPORT_STATUS_SUBMITTED, v1::REPORT_STATUS_RETURNED},
      {v1::REPORT_STATUS_RETURNED, v1::REPORT_STATUS_DRAFT},
      {v1::REPORT_STATUS_RETURNED, v1::REPORT_STATUS_SUBMITTED},
      {v1::REPORT_STATUS_ACCEPTED, v1::REPORT_STATUS_RETURNED},
  };
  bool allowed = false;
  for (const auto& [f, t] : kAllowed) allowed |= (f == from && t == to);
  if (!allowed) {
    return Invalid(from, to, &ReportName,
                   "reports go draft -> submitted -> accepted or returned");
  }
  const bool review =
      to == v1::REPORT_STATUS_ACCEPTED || to == v1::REPORT_STATUS_RETURNED;
  if (review && !IsReviewer(authority)) {
    return Invalid(from, to, &ReportName,
                   "only a district or province reviewer accepts or returns "
                   "a report",
                   v1::MUTATION_REASON_AUTHORITY);
  }
  return absl::OkStatus();
}

absl::Status CheckModelTransition(v1::ModelStatus from, v1::ModelStatus to,
                                  v1::Authority authority) {
  if (from == to) return absl::OkStatus();
  if (!v1::ModelStatus_IsValid(to)) {
    return NotAStatus(static_cast<int>(to), "model");
  }
  const bool archiving =
      to == v1::MODEL_STATUS_ARCHIVED || from == v1::MODEL_STATUS_ARCHIVED;
  if (archiving && !IsReviewer(authority)) {
    return Invalid(from, to, &ModelName,
                   "only a district or province admin archives or restores a "
                   "model",
                   v1::MUTATION_REASON_AUTHORITY);
  }
  return absl::OkStatus();
}

absl::Status CheckProposalTransition(v1::ProposalStatus from,
                                     v1::ProposalStatus to,
                                     v1::Authority authority) {
  using S = v1::ProposalStatus;
  if (from == to) return absl::OkStatus();
  struct Rule {
    S from, to;
    v1::Authority min_authority;
  };
  static constexpr Rule kRules[] = {
      {v1::PROPOSAL_STATUS_UNSPECIFIED, v1::PROPOSAL_STATUS_PROPOSED,
       v1::AUTHORITY_COMMUNE},
      {v1::PROPOSAL_STATUS_PROPOSED, v1::PROPOSAL_STATUS_FORWARDED,
       v1::AUTHORITY_DISTRICT},
      {v1::PROPOSAL_STATUS_PROPOSED, v1::PROPOSAL_STATUS_RETURNED,
       v1::AUTHORITY_DISTRICT},
      {v1::PROPOSAL_STATUS_FORWARDED, v1::PROPOSAL_STATUS_APPROVED,
       v1::AUTHORITY_PROVINCE},
      {v1::PROPOSAL_STATUS_FORWARDED, v1::PROPOSAL_STATUS_RETURNED,
       v1::AUTHORITY_PROVINCE},
      {v1::PROPOSAL_STATUS_FORWARDED, v1::PROPOSAL_STATUS_MERGED,
       v1::AUTHORITY_PROVINCE},
      {v1::PROPOSAL_STATUS_RETURNED, v1::PROPOSAL_STATUS_PROPOSED,
       v1::AUTHORITY_COMMUNE},
  };
  for (const Rule& rule : kRules) {
    if (rule.from != from || rule.to != to) continue;
    if (authority < rule.min_authority) {
      return Invalid(from, to, &ProposalName,
                     "this step belongs to a higher level",
                     v1::MUTATION_REASON_AUTHORITY);
    }
    return absl::OkStatus();
  }
  return Invalid(from, to, &ProposalName,
                 "proposals go proposed -> forwarded -> approved, returned "
                 "or merged");
}

}  // namespace fieldsync
