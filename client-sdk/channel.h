// The gRPC channel every FieldSync client opens: TLS when a CA is given
// (mutual TLS when a client certificate is too), plaintext otherwise.
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
};

// Credentials for `tls`; plaintext when no CA is given. A file that cannot
// be read yields credentials that fail every call with a clear message.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const TlsFiles& tls);

// The contents of `path`, or "" if it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace fieldsync::client

#endif  // FIELDSYNC_CLIENT_SDK_CHANNEL_H_
