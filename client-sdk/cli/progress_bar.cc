#include "client-sdk/cli/progress_bar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace fieldsync::cli {
namespace {

constexpr int kBarWidth = 20;

}  // namespace

std::string RenderProgress(const client::SyncProgress& p, Language language) {
  // The bar covers what is known: the edits to send, and the documents to
  // receive once the server has estimated them.
  const int64_t total = p.push_total_documents + p.pull_total_documents;
  const int64_t done = p.pushed_documents + p.pulled_documents;
  const double fraction = total == 0
                              ? (done > 0 ? 1.0 : 0.0)
                              : std::min(1.0, double(done) / double(total));
  const int filled = static_cast<int>(fraction * kBarWidth + 0.5);
  std::string bar = absl::StrCat(
      "[", std::string(filled, '#'), std::string(kBarWidth - filled, '-'), "] ",
      absl::StrFormat("%3d%% ", int(fraction * 100)));
  return bar + Format(Msg::kProgress, language, p.pushed_documents,
                      p.push_total_documents, p.pulled_documents,
                      p.pull_total_documents, (p.pulled_bytes + 1023) / 1024);
}

void ProgressBar::Update(const client::SyncProgress& progress) {
  if (terminal_) {
    *out_ << "\r" << RenderProgress(progress, language_) << std::flush;
  } else {
    *out_ << RenderProgress(progress, language_) << "\n" << std::flush;
  }
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (terminal_ && drawn_) *out_ << "\n";
}

}  // namespace fieldsync::cli
