// A refusal shown from its code, never from the server's English: the
// server's reason codes (google.rpc.ErrorInfo.reason of a refused call, a
// MutationResult's reason_code kept in a notice) as texts of the one
// message table, in the user's language.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_REASON_TEXT_H_
#define FIELDSYNC_CLIENT_SDK_CLI_REASON_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include "client-sdk/cli/messages.h"
#include "fieldsync/v1/sync.pb.h"
#include "google/rpc/error_details.pb.h"

namespace fieldsync::cli {

// The message for reason `reason` ("DEVICE_REVOKED", "NOT_FOUND",
// "YEAR_LOCKED"); nullopt for one this CLI does not know (a newer server's).
std::optional<Msg> ReasonMessage(std::string_view reason);

// The text of a refused call's reason, its metadata filled in
// ("retry_after_seconds"); nullopt for a reason this CLI does not know or
// another domain's.
std::optional<std::string> ReasonText(const google::rpc::ErrorInfo& info,
                                      Language language);

// The text of a mutation's reason code; nullopt for none or an unknown one.
std::optional<std::string> ReasonText(v1::MutationReason reason,
                                      Language language);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_REASON_TEXT_H_
