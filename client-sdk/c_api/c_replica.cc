// fs_open, fs_close and fs_edit: the C entry points that open a replica and
// record edits typed as text.
#include <memory>
#include <new>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client-sdk/c_api/c_error.h"
#include "client-sdk/c_api/replica_handle.h"
#include "client-sdk/field_text.h"
#include "sync/field_error.h"
#include "sync/private_files.h"
#include "sync/status_macros.h"
#include "sync/text_fold.h"

namespace fieldsync::capi {
namespace {

absl::StatusOr<std::unique_ptr<fs_replica>> Open(const char* dir,
                                                 const char* device_id,
                                                 const char* server_target,
                                                 const char* secret,
                                                 const char* tls_ca_file) {
  FS_RETURN_IF_ERROR(Required(dir, "dir"));
  FS_RETURN_IF_ERROR(Required(device_id, "device_id"));
  if (*device_id == '\0') return InvalidFieldError("device_id", "is empty");
  // An app hands over a path under its own storage; RocksDB would make
  // only the last folder of it.
  // Owner-only: the replica holds reports about people.
  if (absl::Status made = MakePrivateDir(dir); !made.ok()) {
    return InvalidFieldError("dir", std::string(made.message()));
  }
  auto handle = std::make_unique<fs_replica>();
  FS_ASSIGN_OR_RETURN(handle->replica,
                      client::LocalReplica::Open(dir, device_id));
  if (server_target != nullptr) {
    handle->link = client::SyncClientOptions{
        .target = server_target,
        .device_id = device_id,
        .secret = secret != nullptr ? secret : "",
        .tls = {.ca_file = tls_ca_file != nullptr ? tls_ca_file : ""}};
  }
  return handle;
}

absl::Status Edit(fs_replica* replica, const char* key, const fs_field* fields,
                  size_t n, const char* author) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  FS_RETURN_IF_ERROR(RequiredKey(key));
  FS_RETURN_IF_ERROR(Required(author, "author"));
  FS_RETURN_IF_ERROR(Required(fields, "fields"));
  if (n == 0) return InvalidFieldError("fields", "is empty: nothing to edit");
  // The document as the tablet sees it, so an indicator keeps its unit.
  FS_ASSIGN_OR_RETURN(std::optional<v1::Document> current,
                      replica->replica->Get(key));
  std::vector<v1::FieldSet> sets;
  for (size_t i = 0; i < n; ++i) {
    FS_RETURN_IF_ERROR(Required(fields[i].path, "fields[].path"));
    FS_RETURN_IF_ERROR(Required(fields[i].text, "fields[].text"));
    FS_ASSIGN_OR_RETURN(
        v1::FieldSet set,
        client::FieldSetFromText(key, fields[i].path, fields[i].text,
                                 current ? &*current : nullptr));
    sets.push_back(std::move(set));
  }
  // When the officer made the edit, by the tablet's clock (the C API is the
  // edge where the clock is read; LocalReplica takes the time injected).
  return replica->replica
      ->Edit(key, std::move(sets), absl::ToUnixMicros(absl::Now()), author)
      .status();
}

absl::Status PinServer(fs_replica* replica, const char* sha256_hex) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  FS_RETURN_IF_ERROR(Required(sha256_hex, "sha256_hex"));
  std::string pin = absl::AsciiStrToLower(sha256_hex);
  if (pin.size() != 64 ||
      pin.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return InvalidFieldError(
        "sha256_hex",
        absl::StrCat("\"", EscapeInvalidUtf8(sha256_hex),
                     "\" is not a SHA-256: 64 hex digits are expected"));
  }
  if (!replica->link.has_value()) {
    return absl::FailedPreconditionError(
        "the replica was opened without a server (offline only): there is "
        "nothing to pin");
  }
  replica->link->tls.ca_file.clear();
  replica->link->tls.server_sha256 = std::move(pin);
  return absl::OkStatus();
}

}  // namespace
}  // namespace fieldsync::capi

using fieldsync::capi::Guard;

extern "C" fs_replica* fs_open(const char* dir, const char* device_id,
                               const char* server_target, const char* secret,
                               const char* tls_ca_file,
                               fs_error** err) noexcept {
  fs_replica* out = nullptr;
  Guard(err, [&]() -> absl::Status {
    FS_ASSIGN_OR_RETURN(std::unique_ptr<fs_replica> handle,
                        fieldsync::capi::Open(dir, device_id, server_target,
                                              secret, tls_ca_file));
    out = handle.release();  // the C caller owns it until fs_close
    return absl::OkStatus();
  });
  return out;
}

extern "C" void fs_close(fs_replica* replica) noexcept {
  // Destructors do not throw (RocksDB's included): nothing to guard.
  delete replica;
}

extern "C" int fs_pin_server_certificate(fs_replica* replica,
                                         const char* sha256_hex,
                                         fs_error** err) noexcept {
  return Guard(err,
               [&] { return fieldsync::capi::PinServer(replica, sha256_hex); })
             ? 0
             : -1;
}

extern "C" int fs_edit(fs_replica* replica, const char* key,
                       const fs_field* fields, size_t n, const char* author,
                       fs_error** err) noexcept {
  return Guard(err,
               [&] {
                 return fieldsync::capi::Edit(replica, key, fields, n, author);
               })
             ? 0
             : -1;
}
