#include "client-sdk/channel.h"

#include <fstream>
#include <sstream>

#include "client-sdk/certificate_pin.h"

namespace fieldsync::client {

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const TlsFiles& tls) {
  if (tls.ca_file.empty() && !tls.server_sha256.empty()) {
    return PinnedCredentials(
        tls.server_sha256,
        tls.cert_file.empty() ? "" : ReadFileOrEmpty(tls.cert_file),
        tls.key_file.empty() ? "" : ReadFileOrEmpty(tls.key_file));
  }
  if (tls.ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFileOrEmpty(tls.ca_file);
  if (!tls.cert_file.empty()) {
    options.pem_cert_chain = ReadFileOrEmpty(tls.cert_file);
    options.pem_private_key = ReadFileOrEmpty(tls.key_file);
  }
  return grpc::SslCredentials(options);
}

}  // namespace fieldsync::client
