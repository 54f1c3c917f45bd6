#include "client-sdk/admin_client.h"

#include <grpcpp/grpcpp.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client-sdk/catalogue_client.h"

namespace fieldsync::client {

AdminClient::AdminClient(const std::string& target, std::string secret,
                         std::chrono::milliseconds timeout, const TlsFiles& tls)
    : secret_(std::move(secret)),
      timeout_(timeout),
      stub_(v1::AdminService::NewStub(
          grpc::CreateChannel(target, ChannelCredentials(tls)))) {}

std::unique_ptr<grpc::ClientContext> AdminClient::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout_);
  context->AddMetadata("authorization", "Bearer " + secret_);
  return context;
}

absl::StatusOr<v1::EnrollDeviceResponse> AdminClient::Enroll(
    const v1::EnrollDeviceRequest& request) {
  v1::EnrollDeviceResponse response;
  grpc::Status s = stub_->EnrollDevice(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::ListDevicesResponse> AdminClient::ListDevices() {
  v1::ListDevicesResponse response;
  grpc::Status s = stub_->ListDevices(NewContext().get(),
                                      v1::ListDevicesRequest(), &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::WhoAmIResponse> AdminClient::WhoAmI() {
  v1::WhoAmIResponse response;
  grpc::Status s =
      stub_->WhoAmI(NewContext().get(), v1::WhoAmIRequest(), &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::ListConflictsResponse> AdminClient::ListConflicts(
    const v1::ListConflictsRequest& request) {
  v1::ListConflictsResponse response;
  grpc::Status s = stub_->ListConflicts(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::RevokeDeviceResponse> AdminClient::Revoke(
    const std::string& id) {
  v1::RevokeDeviceRequest request;
  request.set_device_id(id);
  v1::RevokeDeviceResponse response;
  grpc::Status s = stub_->RevokeDevice(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<v1::RotateDeviceSecretResponse> AdminClient::Rotate(
    const std::string& id) {
  v1::RotateDeviceSecretRequest request;
  request.set_device_id(id);
  v1::RotateDeviceSecretResponse response;
  grpc::Status s =
      stub_->RotateDeviceSecret(NewContext().get(), request, &response);
  if (!s.ok()) return FromGrpcStatus(s);
  return response;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read the secret file \"", path, "\": ", std::strerror(errno)));
  }
  std::string line;
  std::getline(file, line);
  std::string secret(absl::StripAsciiWhitespace(line));
  if (secret.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the secret file \"", path, "\" is empty"));
  }
  return secret;
}

}  // namespace fieldsync::client
