// A MutationReason (proto/fieldsync/v1/sync.proto) travels inside the
// replica as the ErrorInfo reason of a refusal (error_info.h): the checks a
// merge runs attach the reason they know, the merge puts it in the result's
// reason_code, and a refused admin write turns the result back into a
// status with the same reason.
#ifndef FIELDSYNC_SYNC_MUTATION_REASON_H_
#define FIELDSYNC_SYNC_MUTATION_REASON_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync {

// "STATUS_TRANSITION" for MUTATION_REASON_STATUS_TRANSITION: the enum
// value's name without its prefix; "" for MUTATION_REASON_UNSPECIFIED.
std::string MutationReasonName(v1::MutationReason reason);

// The MutationReason named `name` (MutationReasonName's inverse);
// MUTATION_REASON_UNSPECIFIED for any other word.
v1::MutationReason MutationReasonNamed(std::string_view name);

// `status` with the ErrorInfo reason of `reason`.
absl::Status WithMutationReason(absl::Status status, v1::MutationReason reason);

// The MutationReason of the reason attached to `status`, or `fallback` if
// it has none that names one.
v1::MutationReason MutationReasonOf(const absl::Status& status,
                                    v1::MutationReason fallback);

// A REJECTED result of an admin's write as the call's status:
// FailedPrecondition with the result's sentence and its code as the
// ErrorInfo reason (metadata "key": the document).
absl::Status RefusedWrite(const v1::MutationResult& result,
                          const std::string& key);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_MUTATION_REASON_H_
