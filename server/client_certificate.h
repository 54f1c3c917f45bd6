// Mutual TLS binds a client certificate to one device. With --tls-client-ca
// a call shows both a certificate and a device secret; a certificate
// issued for one tablet must not lend its standing to another tablet's
// secret (a secret copied off a tablet is then useless without that
// tablet's key too), so the certificate has to name the device: its
// subject CN or one of its subject alternative names is the device id.
#ifndef FIELDSYNC_SERVER_CLIENT_CERTIFICATE_H_
#define FIELDSYNC_SERVER_CLIENT_CERTIFICATE_H_

#include <grpcpp/security/auth_context.h>

#include <string>

#include "absl/status/status.h"

namespace fieldsync::server {

// OK if the verified client certificate of the call whose `auth` this is
// names `device_id` (subject CN or a SAN equal to it); Unauthenticated
// naming the device and what the certificate names otherwise, also when
// the call brought no certificate.
absl::Status CheckCertificateNamesDevice(const grpc::AuthContext& auth,
                                         const std::string& device_id);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CLIENT_CERTIFICATE_H_
