#include "client-sdk/certificate_pin.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace fieldsync::client {
namespace {

namespace gx = grpc::experimental;

// Checks the server's leaf certificate against the pin, synchronously.
class PinVerifier : public gx::ExternalCertificateVerifier {
 public:
  explicit PinVerifier(std::string pin) : pin_(std::move(pin)) {}

  bool Verify(gx::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> /*callback*/,
              grpc::Status* sync_status) override {
    const grpc::string_ref pem = request->peer_cert();
    absl::StatusOr<std::string> seen =
        PemCertificateSha256(std::string(pem.data(), pem.size()));
    if (seen.ok() && *seen == pin_) {
      *sync_status = grpc::Status::OK;
    } else {
      *sync_status =
          grpc::Status(grpc::StatusCode::UNAVAILABLE,
                       absl::StrCat("the server's TLS certificate has SHA-256 ",
                                    seen.ok() ? *seen : "(none)",
                                    ", not the pinned ", pin_));
    }
    return true;
  }

  void Cancel(gx::TlsCustomVerificationCheckRequest*) override {}

 private:
  const std::string pin_;
};

}  // namespace

bool IsCertificatePin(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::shared_ptr<grpc::ChannelCredentials> PinnedCredentials(
    const std::string& pin, const std::string& cert_pem,
    const std::string& key_pem) {
  gx::TlsChannelCredentialsOptions options;
  // No CA and no host name: the pin alone decides (the verifier above).
  options.set_verify_server_certs(false);
  options.set_check_call_host(false);
  options.set_certificate_verifier(
      gx::ExternalCertificateVerifier::Create<PinVerifier>(
          absl::AsciiStrToLower(pin)));
  if (!cert_pem.empty() && !key_pem.empty()) {
    options.set_certificate_provider(
        std::make_shared<gx::StaticDataCertificateProvider>(
            std::vector<gx::IdentityKeyCertPair>{
                {.private_key = key_pem, .certificate_chain = cert_pem}}));
    options.watch_identity_key_cert_pairs();
  }
  return gx::TlsCredentials(options);
}

}  // namespace fieldsync::client
