// The gRPC channel every FieldSync client opens: TLS when a CA is given
// (mutual TLS when a client certificate is too), TLS to a pinned
// certificate when its SHA-256 is given instead (client-sdk/
// certificate_pin.h), plaintext otherwise.
#ifndef FIELDSYNC_CLIENT_SDK_CHANNEL_H_
#define FIELDSYNC_CLIENT_SDK_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace fieldsync::client {

struct TlsFiles {
  // PEM file of the CA that signed the server's certificate; empty:
  // plaintext.
  std::string ca_file;
  // PEM files of this client's certificate and key, for servers that
  // require client certificates (mTLS); both or neither.
  std::string cert_file;
  std::string key_file;
  // Lowercase hex SHA-256 of the server's own certificate (what a secret
  // file's "server-certificate-sha256" line gives), used when no CA is:
  // TLS that accepts that certificate only.
  std::string server_sha256;
};

// Credentials for `tls`; plaintext when neither a CA nor a pin is given. A
// file that cannot be read yields credentials that fail every call with a
// clear message.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const TlsFiles& tls);

// The contents of `path`, or "" if it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_CHANNEL_H_
