// TLS to a server that made its own certificate (fieldsync-server
// --tls-self-signed): no CA vouches for it, so the client checks that the
// certificate is the one it was told of, by the SHA-256 of its DER bytes
// (the "server-certificate-sha256" line of a secret file, and of the
// enrolment QR code). Host names are not checked: a pinned certificate is
// the server whatever address reaches it (a tablet on the LAN dials an IP
// the certificate cannot know).
#ifndef FIELDSYNC_CLIENT_SDK_CERTIFICATE_PIN_H_
#define FIELDSYNC_CLIENT_SDK_CERTIFICATE_PIN_H_

#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "sync/server_pin.h"

namespace fieldsync::client {

// True for 64 lowercase or uppercase hex digits.
bool IsCertificatePin(const std::string& text);

// The SHA-256 a pin is compared with (sync/server_pin.h).
using ::fieldsync::PemCertificateSha256;

// TLS credentials that accept only a server whose certificate has SHA-256
// `pin`; with a client certificate and key (PEM text) when both are given,
// for servers that require one.
std::shared_ptr<grpc::ChannelCredentials> PinnedCredentials(
    const std::string& pin, const std::string& cert_pem,
    const std::string& key_pem);

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_CERTIFICATE_PIN_H_
