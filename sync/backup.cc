#include "sync/backup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sync/field_error.h"
#include "sync/keys.h"
#include "sync/private_files.h"
#include "sync/status_macros.h"

namespace fieldsync {
namespace {

namespace fs = std::filesystem;

// The first line of a manifest; a later format would change it.
constexpr char kManifestHeader[] = "fieldsync backup 1";

absl::Status BadTarget(const std::string& dir, std::string_view why) {
  return InvalidFieldError("target_dir",
                           absl::StrCat("\"", dir, "\" ", std::string(why)));
}

std::string Errno() { return std::strerror(errno); }

// Whether `dir` is a folder with nothing in it; false with `error` set if
// it cannot be read.
bool IsEmptyDir(const fs::path& dir, std::error_code& error) {
  return fs::is_empty(dir, error) && !error;
}

// Removes what a failed backup or restore made: `dir` itself if it made
// it, else only the entries it added to the empty folder it was given.
void Undo(const fs::path& dir, bool made_dir) {
  std::error_code ignored;
  if (made_dir) {
    fs::remove_all(dir, ignored);
    return;
  }
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ignored)) {
    fs::remove_all(e.path(), ignored);
  }
}

uint64_t BytesUnder(const fs::path& dir) {
  uint64_t bytes = 0;
  std::error_code error;
  for (const fs::directory_entry& e :
       fs::recursive_directory_iterator(dir, error)) {
    std::error_code size_error;
    if (e.is_regular_file(size_error)) {
      const uintmax_t size = e.file_size(size_error);
      if (!size_error) bytes += size;
    }
  }
  return bytes;
}

std::string ManifestText(const BackupSummary& s) {
  return absl::StrCat(kManifestHeader, "\ndocuments ", s.documents, "\nbytes ",
                      s.bytes, "\nlast_sequence ", s.last_sequence, "\n");
}

// The manifest of the backup in `dir`; FailedPrecondition naming the
// folder and why it is not a backup otherwise.
absl::StatusOr<BackupSummary> ReadManifest(const std::string& dir) {
  auto not_a_backup = [&](std::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("--restore-from \"", dir,
                     "\" is not a FieldSync backup: ", std::string(why),
                     " (backups are made by `fieldsync admin backup --to "
                     "DIR`)"));
  };
  std::error_code error;
  if (!fs::exists(dir, error)) return not_a_backup("there is no such folder");
  if (!fs::is_directory(dir, error)) return not_a_backup("it is not a folder");
  const fs::path manifest = fs::path(dir) / kBackupManifestFile;
  std::ifstream in(manifest);
  if (!in) {
    return not_a_backup(absl::StrCat("it has no ", kBackupManifestFile));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> lines =
      absl::StrSplit(text.str(), '\n', absl::SkipEmpty());
  if (lines.empty() || lines[0] != kManifestHeader) {
    return not_a_backup(absl::StrCat(kBackupManifestFile, " does not start \"",
                                     kManifestHeader, "\""));
  }
  BackupSummary summary;
  int found = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(lines[i], absl::MaxSplits(' ', 1));
    uint64_t* field = kv.first == "documents"       ? &summary.documents
                      : kv.first == "bytes"         ? &summary.bytes
                      : kv.first == "last_sequence" ? &summary.last_sequence
                                                    : nullptr;
    if (field == nullptr || !absl::SimpleAtoi(kv.second, field)) {
      return not_a_backup(absl::StrCat(kBackupManifestFile, " line ", i + 1,
                                       " \"", lines[i],
                                       "\" is not understood"));
    }
    ++found;
  }
  if (found != 3) {
    return not_a_backup(absl::StrCat(kBackupManifestFile, " is incomplete"));
  }
  if (!fs::exists(fs::path(dir) / kBackupDbFolder / "CURRENT", error)) {
    return not_a_backup(
        absl::StrCat("it has no store in ", kBackupDbFolder, "/"));
  }
  return summary;
}

}  // namespace

absl::Status CheckBackupTarget(const std::string& dir) {
  if (dir.empty()) return BadTarget(dir, "is empty: name a folder");
  const fs::path path(dir);
  if (!path.is_absolute()) {
    return BadTarget(dir,
                     "is a relative path: give an absolute one, as the "
                     "backup is written on the server's machine");
  }
  std::error_code error;
  const fs::file_status status = fs::symlink_status(path, error);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return BadTarget(dir, "exists and is not a folder");
    }
    if (!IsEmptyDir(path, error)) {
      return BadTarget(
          dir, error ? absl::StrCat("cannot be read: ", error.message())
                     : "exists and is not empty: a backup never overwrites "
                       "anything; name a new folder");
    }
    // Writable: what `access` says is not enough for root, so try it.
    const std::string probe = (path / ".fieldsync-probe").string();
    if (::mkdir(probe.c_str(), 0700) != 0) {
      return BadTarget(dir, absl::StrCat("is not writable: ", Errno()));
    }
    ::rmdir(probe.c_str());
    return absl::OkStatus();
  }
  const fs::path parent = path.parent_path();
  const fs::file_status parent_status = fs::status(parent, error);
  if (!fs::exists(parent_status)) {
    return BadTarget(dir, absl::StrCat("cannot be made: its parent \"",
                                       parent.string(), "\" does not exist"));
  }
  if (!fs::is_directory(parent_status)) {
    return BadTarget(dir, absl::StrCat("cannot be made: its parent \"",
                                       parent.string(), "\" is not a folder"));
  }
  const std::string probe = dir + ".fieldsync-probe";
  if (::mkdir(probe.c_str(), 0700) != 0) {
    return BadTarget(dir, absl::StrCat("cannot be made in \"", parent.string(),
                                       "\": ", Errno()));
  }
  ::rmdir(probe.c_str());
  return absl::OkStatus();
}

absl::StatusOr<BackupSummary> CheckStoreCopy(const std::string& db_dir) {
  FS_ASSIGN_OR_RETURN(
      std::unique_ptr<RocksDbStore> copy,
      RocksDbStore::Open(
          db_dir, {.block_cache_bytes = size_t{8} << 20, .read_only = true}));
  BackupSummary summary;
  FS_ASSIGN_OR_RETURN(std::optional<std::string> last,
                      copy->GetMeta(kLastSequenceMetaKey));
  summary.last_sequence = last ? ReadBigEndian64(*last).value_or(0) : 0;
  absl::Status fault;
  // ScanDocs parses every document: one that does not is DataLoss.
  FS_RETURN_IF_ERROR(copy->ScanDocs("", [&](const v1::Document& doc) {
    if (doc.key().empty()) {
      fault = absl::DataLossError(absl::StrCat(
          "the copy in ", db_dir, " holds a document without a key"));
      return false;
    }
    if (doc.version() > summary.last_sequence) {
      fault = absl::DataLossError(absl::StrCat(
          "the copy in ", db_dir, " holds ", doc.key(), " at version ",
          doc.version(), ", past its last sequence ", summary.last_sequence));
      return false;
    }
    ++summary.documents;
    return true;
  }));
  FS_RETURN_IF_ERROR(fault);
  summary.bytes = BytesUnder(db_dir);
  return summary;
}

absl::StatusOr<BackupSummary> WriteBackup(RocksDbStore& live,
                                          const std::string& dir) {
  FS_RETURN_IF_ERROR(CheckBackupTarget(dir));
  std::error_code error;
  const bool made_dir = !fs::exists(dir, error);
  if (made_dir && ::mkdir(dir.c_str(), 0700) != 0) {
    return BadTarget(dir, absl::StrCat("cannot be made: ", Errno()));
  }
  const std::string db_dir = (fs::path(dir) / kBackupDbFolder).string();
  absl::StatusOr<uint64_t> copied = live.Checkpoint(db_dir);
  absl::StatusOr<BackupSummary> summary =
      copied.ok() ? CheckStoreCopy(db_dir)
                  : absl::StatusOr<BackupSummary>(copied.status());
  if (summary.ok()) {
    if (absl::Status s =
            ReplacePrivateFile((fs::path(dir) / kBackupManifestFile).string(),
                               ManifestText(*summary));
        !s.ok()) {
      summary = s;
    }
  }
  if (!summary.ok()) Undo(dir, made_dir);
  return summary;
}

absl::StatusOr<BackupSummary> RestoreBackup(const std::string& backup_dir,
                                            const std::string& data_dir) {
  FS_ASSIGN_OR_RETURN(BackupSummary expected, ReadManifest(backup_dir));
  std::error_code error;
  const fs::file_status status = fs::symlink_status(data_dir, error);
  const bool made_dir = !fs::exists(status);
  if (!made_dir) {
    if (!fs::is_directory(status)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--data-dir \"", data_dir,
          "\" exists and is not a folder: restore into a new folder"));
    }
    if (!IsEmptyDir(data_dir, error)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--data-dir \"", data_dir, "\" ",
          error ? absl::StrCat("cannot be read: ", error.message())
                : std::string("exists and is not empty: a restore never "
                              "writes over a data folder; name a new one")));
    }
  }
  FS_RETURN_IF_ERROR(MakePrivateDir(data_dir));
  const fs::path from = fs::path(backup_dir) / kBackupDbFolder;
  const fs::path to = fs::path(data_dir) / kBackupDbFolder;
  fs::copy(from, to, fs::copy_options::recursive, error);
  absl::StatusOr<BackupSummary> restored =
      error ? absl::FailedPreconditionError(
                  absl::StrCat("cannot copy ", from.string(), " into ",
                               to.string(), ": ", error.message()))
            : CheckStoreCopy(to.string());
  if (restored.ok() && (restored->documents != expected.documents ||
                        restored->last_sequence != expected.last_sequence)) {
    restored = absl::DataLossError(absl::StrCat(
        "the restored copy in ", to.string(), " holds ", restored->documents,
        " documents up to sequence ", restored->last_sequence, "; ",
        kBackupManifestFile, " in ", backup_dir, " says ", expected.documents,
        " up to ", expected.last_sequence));
  }
  if (!restored.ok()) Undo(data_dir, made_dir);
  return restored;
}

}  // namespace fieldsync
