#include "server/server_metrics.h"

#include <prometheus/family.h>

#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

using Buckets = prometheus::Histogram::BucketBoundaries;

// A push batch is answered once durable: an fsync or two on a good disk,
// seconds when the writer is behind.
const Buckets& BatchSeconds() {
  static const auto* b = new Buckets{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *b;
}

// A pull lasts as long as the link takes its pages: a tablet's first pull
// of a commune over 2G takes minutes.
const Buckets& PullSeconds() {
  static const auto* b =
      new Buckets{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
  return *b;
}

// One write and fsync of the groups merged meanwhile.
const Buckets& CommitSeconds() {
  static const auto* b = new Buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                     0.05,   0.1,   0.25,   0.5,   1};
  return *b;
}

// Powers of two up to past tuning::kMaxMutationsPerGroup.
Buckets PowersOfTwo(double upto) {
  Buckets b;
  for (double v = 1; v <= upto; v *= 2) b.push_back(v);
  return b;
}

const char* OutcomeLabel(int outcome) {
  switch (outcome) {
    case v1::MUTATION_OUTCOME_APPLIED:
      return "applied";
    case v1::MUTATION_OUTCOME_MERGED:
      return "merged";
    case v1::MUTATION_OUTCOME_CONFLICT:
      return "conflict";
    case v1::MUTATION_OUTCOME_DUPLICATE:
      return "duplicate";
    case v1::MUTATION_OUTCOME_REJECTED:
      return "rejected";
    case v1::MUTATION_OUTCOME_AMENDMENT:
      return "amendment";
    default:
      return nullptr;
  }
}

}  // namespace

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::Registry& r = *registry_;
  push_calls_ = &prometheus::BuildCounter()
                     .Name("fieldsync_push_calls_total")
                     .Help("Push streams opened by authenticated devices.")
                     .Register(r)
                     .Add({});
  pull_calls_ = &prometheus::BuildCounter()
                     .Name("fieldsync_pull_calls_total")
                     .Help("Pulls begun by authenticated devices.")
                     .Register(r)
                     .Add({});
  pull_complete_ = &prometheus::BuildCounter()
                        .Name("fieldsync_pull_completed_total")
                        .Help("Pulls that sent their last page.")
                        .Register(r)
                        .Add({});
  pull_pages_ = &prometheus::BuildCounter()
                     .Name("fieldsync_pull_pages_total")
                     .Help("Pull pages sent.")
                     .Register(r)
                     .Add({});
  push_batch_seconds_ =
      &prometheus::BuildHistogram()
           .Name("fieldsync_push_batch_duration_seconds")
           .Help("From a push batch's arrival to its answer, once durable.")
           .Register(r)
           .Add({}, BatchSeconds());
  pull_seconds_ = &prometheus::BuildHistogram()
                       .Name("fieldsync_pull_duration_seconds")
                       .Help("From a pull's start to its end, any end.")
                       .Register(r)
                       .Add({}, PullSeconds());
  auto& received =
      prometheus::BuildCounter()
          .Name("fieldsync_sync_received_bytes_total")
          .Help(
              "Bytes of sync request messages received, as decoded (before "
              "gRPC's compression).")
          .Register(r);
  push_bytes_in_ = &received.Add({{"rpc", "push"}});
  pull_bytes_in_ = &received.Add({{"rpc", "pull"}});
  auto& sent =
      prometheus::BuildCounter()
          .Name("fieldsync_sync_sent_bytes_total")
          .Help(
              "Bytes of sync answers and pages sent, as encoded by the "
              "server (zstd pages as zstd; before gRPC's compression).")
          .Register(r);
  push_bytes_out_ = &sent.Add({{"rpc", "push"}});
  pull_bytes_out_ = &sent.Add({{"rpc", "pull"}});
  auto& mutations =
      prometheus::BuildCounter()
          .Name("fieldsync_mutations_total")
          .Help(
              "Pushed mutations by result: applied, merged (a parallel "
              "update), conflict (kept for review), amendment (an accepted "
              "report or a locked year: waits for review), duplicate (seen "
              "before), rejected.")
          .Register(r);
  for (int outcome = 0; outcome < v1::MutationOutcome_ARRAYSIZE; ++outcome) {
    if (const char* label = OutcomeLabel(outcome)) {
      mutations_[outcome] = &mutations.Add({{"result", label}});
    }
  }
  const double max_mutations = 2 * tuning::kMaxMutationsPerGroup;
  group_batches_ = &prometheus::BuildHistogram()
                        .Name("fieldsync_group_commit_batches")
                        .Help("Push batches merged into one group.")
                        .Register(r)
                        .Add({}, PowersOfTwo(256));
  group_mutations_ = &prometheus::BuildHistogram()
                          .Name("fieldsync_group_commit_mutations")
                          .Help("Mutations merged into one group.")
                          .Register(r)
                          .Add({}, PowersOfTwo(max_mutations));
  commit_seconds_ =
      &prometheus::BuildHistogram()
           .Name("fieldsync_group_commit_duration_seconds")
           .Help(
               "One write of the groups merged meanwhile, fsync included "
               "(--durability sync).")
           .Register(r)
           .Add({}, CommitSeconds());
  commit_groups_ = &prometheus::BuildCounter()
                        .Name("fieldsync_group_commit_groups_total")
                        .Help("Groups written.")
                        .Register(r)
                        .Add({});
  commit_failures_ =
      &prometheus::BuildCounter()
           .Name("fieldsync_group_commit_failures_total")
           .Help(
               "Writes that failed; the server then refuses every write "
               "until restarted (fail-stop).")
           .Register(r)
           .Add({});
}

void ServerMetrics::PushStreamOpened() { push_calls_->Increment(); }

void ServerMetrics::MutationResults(const v1::PushResponse& applied) {
  for (const v1::MutationResult& result : applied.results()) {
    const int outcome = result.outcome();
    if (outcome > 0 && outcome < v1::MutationOutcome_ARRAYSIZE &&
        mutations_[outcome] != nullptr) {
      mutations_[outcome]->Increment();
    }
  }
}

void ServerMetrics::PushBatchAnswered(const std::string& device_id,
                                      absl::Duration took, size_t request_bytes,
                                      size_t answer_bytes, bool ok) {
  push_batch_seconds_->Observe(absl::ToDoubleSeconds(took));
  push_bytes_in_->Increment(static_cast<double>(request_bytes));
  push_bytes_out_->Increment(static_cast<double>(answer_bytes));
  if (ok) sync_times_.Synced(device_id, absl::Now());
}

void ServerMetrics::PullStarted(size_t request_bytes) {
  pull_calls_->Increment();
  pull_bytes_in_->Increment(static_cast<double>(request_bytes));
}

void ServerMetrics::PullPageSent(size_t bytes) {
  pull_pages_->Increment();
  pull_bytes_out_->Increment(static_cast<double>(bytes));
}

void ServerMetrics::PullEnded(const std::string& device_id, absl::Duration took,
                              bool complete) {
  pull_seconds_->Observe(absl::ToDoubleSeconds(took));
  if (!complete) return;
  pull_complete_->Increment();
  sync_times_.Synced(device_id, absl::Now());
}

void ServerMetrics::GroupMerged(size_t batches, size_t mutations) {
  group_batches_->Observe(static_cast<double>(batches));
  group_mutations_->Observe(static_cast<double>(mutations));
}

void ServerMetrics::GroupsCommitted(size_t groups, absl::Duration took,
                                    bool ok) {
  commit_seconds_->Observe(absl::ToDoubleSeconds(took));
  commit_groups_->Increment(static_cast<double>(groups));
  if (!ok) commit_failures_->Increment();
}

}  // namespace fieldsync::server
