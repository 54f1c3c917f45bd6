#include "sync/server_pin.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace fieldsync {

absl::StatusOr<std::string> PemCertificateSha256(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) {
    return absl::InvalidArgumentError("no PEM certificate to fingerprint");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const int digested = X509_digest(cert, EVP_sha256(), digest, &length);
  X509_free(cert);
  if (digested != 1) return absl::InternalError("OpenSSL cannot hash it");
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string SecretFileText(const std::string& secret,
                           const std::string& server_sha256) {
  if (server_sha256.empty()) return secret + "\n";
  return absl::StrCat(secret, "\n", kServerPinLabel, " ", server_sha256, "\n");
}

}  // namespace fieldsync
