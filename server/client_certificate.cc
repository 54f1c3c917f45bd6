#include "server/client_certificate.h"

#include <grpc/grpc_security_constants.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sync/error_info.h"

namespace fieldsync::server {

absl::Status CheckCertificateNamesDevice(const grpc::AuthContext& auth,
                                         const std::string& device_id) {
  std::vector<std::string> names;
  for (const char* property :
       {GRPC_X509_CN_PROPERTY_NAME, GRPC_X509_SAN_PROPERTY_NAME}) {
    for (const grpc::string_ref& value : auth.FindPropertyValues(property)) {
      std::string name(value.data(), value.size());
      if (name == device_id) return absl::OkStatus();
      names.push_back(std::move(name));
    }
  }
  if (names.empty()) {
    return WithReason(
        absl::UnauthenticatedError(absl::StrCat(
            "device \"", device_id,
            "\" called without a client certificate; this server requires "
            "one naming the device (mutual TLS)")),
        reason::kCertificateMismatch);
  }
  return WithReason(
      absl::UnauthenticatedError(absl::StrCat(
          "the client certificate names ", absl::StrJoin(names, ", "),
          ", not device \"", device_id,
          "\": with mutual TLS each device presents its own certificate, "
          "whose subject CN or a subject alternative name is the device id")),
      reason::kCertificateMismatch);
}

}  // namespace fieldsync::server
