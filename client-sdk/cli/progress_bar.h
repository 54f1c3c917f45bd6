// The sync progress line: a bar for the edits sent, a count of documents
// received. On a terminal it redraws in place; otherwise (logs, tests) each
// update is its own line.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_PROGRESS_BAR_H_
#define FIELDSYNC_CLIENT_SDK_CLI_PROGRESS_BAR_H_

#include <ostream>
#include <string>

#include "client-sdk/cli/messages.h"
#include "client-sdk/sync_options.h"

namespace fieldsync::cli {

// "[#####-----]  50% sending 5/10 · receiving 120 documents (64 KB)"
std::string RenderProgress(const client::SyncProgress& progress,
                           Language language);

class ProgressBar {
 public:
  ProgressBar(std::ostream* out, Language language, bool terminal)
      : out_(out), language_(language), terminal_(terminal) {}
  void Update(const client::SyncProgress& progress);
  // Ends the line on a terminal.
  void Finish();

 private:
  std::ostream* out_;
  Language language_;
  bool terminal_;
  bool drawn_ = false;
};

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_PROGRESS_BAR_H_
