#include "client-sdk/secret_file.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client-sdk/certificate_pin.h"

namespace fieldsync::client {

absl::StatusOr<std::string> ReadServerPin(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);  // the secret
  const std::string label = absl::StrCat(kServerPinLabel, " ");
  while (std::getline(file, line)) {
    std::string text(absl::StripAsciiWhitespace(line));
    if (!absl::StartsWith(text, label)) continue;
    std::string pin(absl::StripAsciiWhitespace(text.substr(label.size())));
    if (!IsCertificatePin(pin)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the secret file \"", path, "\": ", kServerPinLabel,
                       " \"", pin, "\" is not 64 hex digits"));
    }
    return absl::AsciiStrToLower(pin);
  }
  return "";
}

}  // namespace fieldsync::client
