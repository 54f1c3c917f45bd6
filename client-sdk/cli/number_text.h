// Figures as the reader's language writes them.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_NUMBER_TEXT_H_
#define FIELDSYNC_CLIENT_SDK_CLI_NUMBER_TEXT_H_

#include <string>

#include "client-sdk/cli/messages.h"

namespace fieldsync::cli {

// "1.629" and "4,2" in Vietnamese, "1,629" and "4.2" in English; at most two
// decimals.
std::string Number(double value, Language lang);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_NUMBER_TEXT_H_
