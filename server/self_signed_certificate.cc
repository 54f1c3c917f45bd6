#include "server/self_signed_certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "sync/private_files.h"
#include "sync/server_pin.h"

namespace fieldsync::server {
namespace {

constexpr long kValidSeconds = 10L * 366 * 24 * 3600;  // ten years

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Ext = std::unique_ptr<X509_EXTENSION,
                            Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

absl::Status CertError(const std::string& path, std::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the self-signed TLS certificate \"", path, "\": ", std::string(why)));
}

// The contents of a memory BIO.
std::string Drain(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, length);
}

// Writes `bytes` to `path`, owner-only (the certificate too: the data
// folder holds nothing for others), never through a planted link.
absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  if (absl::Status s = ReplacePrivateFile(path, bytes); !s.ok()) {
    return CertError(path, std::string(s.message()));
  }
  return absl::OkStatus();
}

bool AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A new key and certificate, as PEM; the certificate's fingerprint.
absl::StatusOr<SelfSignedCertificate> Make(const std::string& cert_file,
                                           const std::string& key_file) {
  Key key(EVP_EC_gen("P-256"));
  Cert cert(X509_new());
  if (key == nullptr || cert == nullptr) {
    return CertError(cert_file, "OpenSSL cannot make an ECDSA P-256 key");
  }
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof(serial));
  serial[0] &= 0x7f;  // a positive serial number
  BIGNUM* serial_bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  BN_to_ASN1_INTEGER(serial_bn, X509_get_serialNumber(cert.get()));
  BN_free(serial_bn);
  X509_set_version(cert.get(), 2);  // v3, for the extensions
  // An hour back: a client whose clock is a little behind still accepts it.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidSeconds);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string common_name = absl::StrCat("FieldSync server ", host);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_UTF8,
      reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string names = "DNS:localhost,IP:127.0.0.1,IP:::1";
  if (host[0] != '\0' && std::string_view(host) != "localhost") {
    absl::StrAppend(&names, ",DNS:", host);
  }
  if (!AddExtension(cert.get(), NID_subject_alt_name, names) ||
      !AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !AddExtension(cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return CertError(cert_file, "OpenSSL cannot sign the certificate");
  }
  Bio key_pem(BIO_new(BIO_s_mem()));
  Bio cert_pem(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1 ||
      PEM_write_bio_X509(cert_pem.get(), cert.get()) != 1) {
    return CertError(cert_file, "OpenSSL cannot write PEM");
  }
  // The key first: a certificate on disk always has its key beside it.
  if (absl::Status s = WriteFile(key_file, Drain(key_pem.get())); !s.ok()) {
    return s;
  }
  const std::string pem = Drain(cert_pem.get());
  if (absl::Status s = WriteFile(cert_file, pem); !s.ok()) return s;
  absl::StatusOr<std::string> sha256 = PemCertificateSha256(pem);
  if (!sha256.ok()) return CertError(cert_file, sha256.status().ToString());
  return SelfSignedCertificate{.cert_file = cert_file,
                               .key_file = key_file,
                               .sha256 = *sha256,
                               .created = true};
}

}  // namespace

absl::StatusOr<SelfSignedCertificate> EnsureSelfSignedCertificate(
    const std::string& data_dir) {
  const std::string dir = data_dir + "/tls";
  const std::string cert_file = dir + "/server.pem";
  const std::string key_file = dir + "/server.key";
  if (absl::Status s = MakePrivateDir(dir); !s.ok()) {
    return CertError(dir, std::string(s.message()));
  }
  std::error_code error;
  struct stat key_stat;
  const bool have_key = stat(key_file.c_str(), &key_stat) == 0;
  if (!have_key || !std::filesystem::exists(cert_file, error)) {
    return Make(cert_file, key_file);
  }
  // A key others can read is a key others may have copied: say so rather
  // than serve with it.
  if ((key_stat.st_mode & 077) != 0) {
    return CertError(key_file,
                     "is readable by other users; chmod 600 it, or delete "
                     "both files of that folder to make new ones");
  }
  std::ifstream in(cert_file, std::ios::binary);
  std::stringstream pem;
  pem << in.rdbuf();
  absl::StatusOr<std::string> sha256 = PemCertificateSha256(pem.str());
  if (!sha256.ok()) {
    return CertError(cert_file,
                     "holds no PEM certificate; delete both files "
                     "of that folder to make new ones");
  }
  return SelfSignedCertificate{
      .cert_file = cert_file, .key_file = key_file, .sha256 = *sha256};
}

}  // namespace fieldsync::server
