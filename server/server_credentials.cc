#include "server/server_credentials.h"

#include <arpa/inet.h>
#include <grpcpp/security/server_credentials.h>
#include <netinet/in.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace fieldsync::server {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& option,
                                    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in || bytes.str().find("-----BEGIN") == std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(option, " \"", path, "\": cannot read a PEM file there"));
  }
  return bytes.str();
}

}  // namespace

bool IsLoopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6) ||
           (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  return false;
}

absl::Status CheckTlsOptions(const TlsOptions& tls,
                             const ListenAddress& address) {
  if (tls.self_signed && (!tls.cert_file.empty() || !tls.key_file.empty())) {
    return absl::InvalidArgumentError(
        "--tls-self-signed and --tls-cert/--tls-key are alternatives: give "
        "one or the other");
  }
  if (tls.self_signed && tls.plaintext) {
    return absl::InvalidArgumentError(
        "--tls-self-signed and --plaintext contradict each other: give one");
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together: give both or neither");
  }
  const bool tls_on = tls.self_signed || !tls.cert_file.empty();
  if (!tls_on && !tls.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls-client-ca needs --tls-cert and --tls-key (or "
        "--tls-self-signed)");
  }
  if (!tls_on && !tls.plaintext) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to serve plaintext on ", address.ToString(),
        IsLoopback(address.host)
            ? ": pass --tls-cert and --tls-key, --tls-self-signed, or "
              "--plaintext to accept it"
            : ": pass --tls-self-signed (a certificate made in the data "
              "folder, that clients pin), or --tls-cert and --tls-key"));
  }
  if (!tls_on && !IsLoopback(address.host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--plaintext on ", address.ToString(),
        ": plaintext is served on loopback only (127.0.0.1, ::1, localhost), "
        "where no one else can read the device secrets in every call; on "
        "this address pass --tls-self-signed (a certificate made in the data "
        "folder, that clients pin), or --tls-cert and --tls-key"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsOptions& tls, const ListenAddress& address) {
  if (absl::Status s = CheckTlsOptions(tls, address); !s.ok()) return s;
  if (tls.cert_file.empty()) {
    std::cerr << "fieldsync-server: WARNING: serving plaintext on "
              << address.ToString() << " (no TLS), as --plaintext asks"
              << std::endl;
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert = ReadPem("--tls-cert", tls.cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem("--tls-key", tls.key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!tls.client_ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadPem("--tls-client-ca", tls.client_ca_file);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace fieldsync::server
