// The state machines of documents with a status, and who may move them.
// Pure functions; the merge rejects a mutation whose transition is invalid.
#ifndef FIELDSYNC_SYNC_STATUS_RULES_H_
#define FIELDSYNC_SYNC_STATUS_RULES_H_

#include "absl/status/status.h"
#include "fieldsync/v1/authority.pb.h"
#include "fieldsync/v1/catalogue.pb.h"
#include "fieldsync/v1/proposal.pb.h"
#include "fieldsync/v1/report.pb.h"

namespace fieldsync {

// draft -> submitted -> accepted | returned; returned -> draft | submitted;
// submitted -> draft (withdrawn); accepted -> returned (reopened). Only a
// district or province reviewer accepts, returns or reopens.
// REPORT_STATUS_UNSPECIFIED is "no report yet": a report starts as draft or
// submitted. InvalidArgument naming both states otherwise.
absl::Status CheckReportTransition(v1::ReportStatus from, v1::ReportStatus to,
                                   v1::Authority authority);

// Models move freely between continuing, new, planned, paused and
// unspecified; archiving and restoring take a district or province
// authority.
absl::Status CheckModelTransition(v1::ModelStatus from, v1::ModelStatus to,
                                  v1::Authority authority);

// proposed -> forwarded (district or province) -> approved | returned |
// merged (province); returned -> proposed. A proposal starts as proposed.
absl::Status CheckProposalTransition(v1::ProposalStatus from,
                                     v1::ProposalStatus to,
                                     v1::Authority authority);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_STATUS_RULES_H_
