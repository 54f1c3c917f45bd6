#include "server/refusal_log.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace fieldsync::server {
namespace {

// What a caller was told, kept for the summary, cut to this length.
constexpr size_t kMaxWhyBytes = 200;

}  // namespace

RefusalLog::RefusalLog(AuditLog* audit, std::chrono::seconds interval,
                       size_t capacity)
    : audit_(audit), counts_(capacity) {
  thread_ = std::thread([this, interval] {
    while (!stop_.WaitForNotificationWithTimeout(absl::FromChrono(interval))) {
      Flush();
    }
  });
}

RefusalLog::~RefusalLog() {
  stop_.Notify();
  thread_.join();
  Flush();
}

void RefusalLog::Count(const std::string& address, const std::string& device,
                       RefusalKind refusal, const std::string& why) {
  absl::MutexLock lock(&mu_);
  std::optional<std::pair<Key, Counts>> evicted;
  Counts& counts = counts_.FindOrAdd(Key{address, device}, &evicted);
  ++counts.by_refusal[static_cast<int>(refusal)];
  counts.last_why = why.substr(0, kMaxWhyBytes);
  if (evicted.has_value()) {
    Add(evicted->second, others_);
    ++other_entries_;
  }
}

void RefusalLog::Add(const Counts& from, Counts& to) {
  for (size_t i = 0; i < from.by_refusal.size(); ++i) {
    to.by_refusal[i] += from.by_refusal[i];
  }
  to.last_why = from.last_why;
}

std::string RefusalLog::Detail(const Counts& counts) {
  const auto& n = counts.by_refusal;
  return absl::StrCat(
      n[0] + n[1] + n[2], " calls refused: ", n[0], " without a secret, ", n[1],
      " with a wrong or revoked secret, ", n[2],
      " slowed down after wrong secrets; last: ", counts.last_why);
}

void RefusalLog::Flush() {
  std::list<std::pair<Key, Counts>> all;
  Counts others;
  int64_t other_entries = 0;
  {
    absl::MutexLock lock(&mu_);
    all = counts_.TakeAll();
    others = std::exchange(others_, Counts());
    other_entries = std::exchange(other_entries_, 0);
  }
  for (const auto& [key, counts] : all) {
    audit_->Record("refused", key.second, "", Detail(counts), key.first);
  }
  if (other_entries > 0) {
    audit_->Record("refused", "", "",
                   absl::StrCat(Detail(others), " (from ", other_entries,
                                " other addresses and devices)"));
  }
}

}  // namespace fieldsync::server
