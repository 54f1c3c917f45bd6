// Figures as the reader's language writes them.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_NUMBER_TEXT_H_
#define FIELDSYNC_CLIENT_SDK_CLI_NUMBER_TEXT_H_

#include <string>

#include "client-sdk/cli/messages.h"
#include "fieldsync/v1/monitoring_service.pb.h"

namespace fieldsync::cli {

// "1.629" and "4,2" in Vietnamese, "1,629" and "4.2" in English; at most two
// decimals.
std::string Number(double value, Language lang);

// The total of one status's reports: the sum, or the mean of a rate ("TB
// 90"); "≥ " before a lower bound; "" when no report gave a value.
std::string SummaryTotal(const v1::IndicatorSummary& s, Language lang);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_NUMBER_TEXT_H_
