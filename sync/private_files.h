// Folders and files that hold records about people or secrets: the server's
// data folder, a tablet's folder, the secret and login files. They are the
// owner's alone whatever the umask, and a secret is always written into a
// new file of its own (O_EXCL), never through a link someone planted where it
// goes (O_NOFOLLOW) nor into a file another user made and can read.
#ifndef FIELDSYNC_SYNC_PRIVATE_FILES_H_
#define FIELDSYNC_SYNC_PRIVATE_FILES_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace fieldsync {

// Creates `path` and its missing parents, and makes `path` itself 0700
// (also when it was there with a wider mode). FailedPrecondition naming the
// path and the reason otherwise.
absl::Status MakePrivateDir(const std::string& path);

// Puts a new 0600 file holding `text` at `path`, atomically: written under a
// temporary name beside it, created with O_EXCL|O_NOFOLLOW (a stale
// temporary or a link there is removed first, never followed), synced, then
// renamed over whatever `path` was (a file or a link, which is replaced, not
// followed), so a crash leaves the old text or the new. FailedPrecondition
// naming the path otherwise.
absl::Status ReplacePrivateFile(const std::string& path, std::string_view text);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_PRIVATE_FILES_H_
