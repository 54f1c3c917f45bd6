#include "server/backup_admin.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "sync/backup.h"
#include "sync/field_error.h"

namespace fieldsync::server {
namespace {

// Whether `path` lies in `folder` (or is it), by their absolute, normal forms.
bool IsWithin(const std::string& path, const std::string& folder) {
  std::error_code error;
  const std::filesystem::path p =
      std::filesystem::weakly_canonical(path, error).lexically_normal();
  const std::filesystem::path f =
      std::filesystem::weakly_canonical(folder, error).lexically_normal();
  if (error) return false;
  return std::mismatch(f.begin(), f.end(), p.begin(), p.end()).first == f.end();
}

}  // namespace

absl::StatusOr<v1::BackupResponse> BackupAdmin::Run(
    const Caller& caller, const v1::BackupRequest& request) {
  const std::string& target = request.target_dir();
  auto refuse = [&](absl::Status why) {
    audit_->Record("backup_refused", caller.device_id, target,
                   std::string(why.message()), caller.peer);
    return why;
  };
  // Inside the data folder is refused before anything is tried there.
  absl::Status target_ok =
      std::filesystem::path(target).is_absolute() && !data_dir_.empty() &&
              IsWithin(target, data_dir_)
          ? InvalidFieldError(
                "target_dir",
                absl::StrCat("\"", target,
                             "\" is inside the live data folder \"", data_dir_,
                             "\": put backups elsewhere, on another disk at "
                             "best"))
          : CheckBackupTarget(target);
  if (!target_ok.ok()) return refuse(target_ok);
  if (!running_.TryLock()) {
    return refuse(absl::FailedPreconditionError(
        "another backup is running; try again once it has finished"));
  }
  const int64_t start = clock_->NowMicros();
  absl::StatusOr<BackupSummary> made = WriteBackup(*store_, target);
  running_.Unlock();
  if (!made.ok()) {
    audit_->Record("backup_failed", caller.device_id, target,
                   std::string(made.status().message()), caller.peer);
    return made.status();
  }
  v1::BackupResponse out;
  out.set_target_dir(target);
  out.set_documents(made->documents);
  out.set_bytes(made->bytes);
  out.set_last_sequence(made->last_sequence);
  out.set_duration_millis(
      static_cast<uint64_t>(std::max<int64_t>(0, clock_->NowMicros() - start)) /
      1000);
  audit_->Record("backup", caller.device_id, target,
                 absl::StrCat(out.documents(), " documents, ", out.bytes(),
                              " bytes, up to sequence ", out.last_sequence()),
                 caller.peer);
  return out;
}

}  // namespace fieldsync::server
