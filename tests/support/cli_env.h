// The environment tests run the CLI in: a fixed language (the messages are
// compared) and no home folder (nothing of the machine's user is read).
#ifndef FIELDSYNC_TESTS_SUPPORT_CLI_ENV_H_
#define FIELDSYNC_TESTS_SUPPORT_CLI_ENV_H_

#include <string>
#include <vector>

namespace fieldsync::testing {

inline const std::vector<std::string> kEnglishEnv = {
    "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "HOME=/nonexistent"};
inline const std::vector<std::string> kVietnameseEnv = {
    "LANG=vi_VN.UTF-8", "LC_ALL=", "LC_MESSAGES=", "HOME=/nonexistent"};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_CLI_ENV_H_
