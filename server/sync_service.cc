#include "server/sync_service.h"

#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/grpc_status.h"
#include "server/server_metrics.h"
#include "sync/pull_page.h"
#include "sync/sync_session.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

// The session of an authenticated device: the protocol's rules, with the
// device checked against the registry before each batch and page.
SyncSession SessionFor(const SyncServiceOptions& options,
                       const Caller& device) {
  return SyncSession(
      options.replica,
      {.device_id = device.device_id,
       .read_scopes = device.read_scopes,
       .policy = device.policy},
      [auth = options.auth, device] { return auth->StillValid(device); });
}

// One push stream: read a batch, apply it on the writer, write the results,
// read the next. Deletes itself in OnDone.
class PushReactor
    : public grpc::ServerBidiReactor<v1::PushRequest, v1::PushResponse> {
 public:
  PushReactor(const SyncServiceOptions& options,
              grpc::CallbackServerContext* context, const Caller& device)
      : options_(options),
        session_(SessionFor(options, device)),
        device_id_(device.device_id),
        stream_id_(options_.streams->Add(device, context)) {
    if (options_.metrics != nullptr) options_.metrics->PushStreamOpened();
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side: every batch was answered
      Finish(grpc::Status::OK);
      return;
    }
    batch_arrived_ = absl::Now();
    if (options_.metrics != nullptr) request_bytes_ = request_.ByteSizeLong();
    // Checked and resolved here, on a network thread, so the single writer
    // only merges. A device revoked, or given a new secret, while its
    // stream is open is cut off at its next batch.
    absl::StatusOr<AcceptedBatch> batch = session_.AcceptBatch(request_);
    if (!batch.ok()) {
      Finish(ToGrpcStatus(batch.status()));
      return;
    }
    zstd_results_ = batch->zstd_results;
    options_.writer->Submit(
        std::move(batch->mutations), std::move(batch->resolved),
        session_.policy(), [this](absl::StatusOr<v1::PushResponse> applied) {
          if (options_.responders == nullptr) {
            Respond(std::move(applied));
            return;
          }
          options_.responders->Submit(
              [this, applied = std::move(applied)]() mutable {
                Respond(std::move(applied));
              });
        });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
      return;
    }
    StartRead(&request_);
  }

  // Sends a batch's answer once it is durable (or fails the stream).
  void Respond(absl::StatusOr<v1::PushResponse> applied) {
    ServerMetrics* metrics = options_.metrics;
    if (!applied.ok()) {
      if (metrics != nullptr) {
        metrics->PushBatchAnswered(device_id_, absl::Now() - batch_arrived_,
                                   request_bytes_, 0, false);
      }
      Finish(ToGrpcStatus(applied.status()));
      return;
    }
    if (metrics != nullptr) metrics->MutationResults(*applied);
    response_ = session_.Answer(*std::move(applied), zstd_results_);
    if (metrics != nullptr) {
      metrics->PushBatchAnswered(device_id_, absl::Now() - batch_arrived_,
                                 request_bytes_, response_.ByteSizeLong(),
                                 true);
    }
    // A zstd answer is not compressed again by gRPC.
    StartWrite(&response_, zstd_results_
                               ? grpc::WriteOptions().set_no_compression()
                               : grpc::WriteOptions());
  }

  void OnDone() override {
    options_.streams->Remove(stream_id_);
    delete this;
  }

 private:
  const SyncServiceOptions& options_;
  const SyncSession session_;
  const std::string device_id_;
  const uint64_t stream_id_;  // in options_.streams
  // The batch being applied: when it arrived and its size, for metrics.
  // Reactions of one stream do not overlap (one read or write at a time).
  absl::Time batch_arrived_;
  size_t request_bytes_ = 0;
  v1::PushRequest request_;
  v1::PushResponse response_;
  // Whether the batch being answered accepted zstd results.
  bool zstd_results_ = false;
};

// One pull, as a pipeline of pages on the reader threads. Reading page
// N+1 needs page N's cursor, so pages are read one after another; but as
// soon as page N is read, page N+1's read starts on another reader thread
// while page N is encoded (zstd) on this one, and the pages already
// encoded are written in order as the client takes them. So reading,
// encoding and the client's work overlap. At most kPagesAhead pages are
// read (or being read) and not yet written: a slow client holds the server
// to that much memory.
//
// The state changes under `mu_`; gRPC is called only after it is released
// (a reaction may run inline, and OnDone deletes the reactor), and each
// change ends in at most one of StartWrite and Finish, called last.
class PullReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  PullReactor(const SyncServiceOptions& options,
              grpc::CallbackServerContext* context, const Caller& device,
              SyncSession session, PullPlan plan)
      : options_(options),
        session_(std::move(session)),
        plan_(std::move(plan)),
        device_id_(device.device_id),
        started_(absl::Now()),
        stream_id_(options_.streams->Add(device, context)) {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      step.read = ReadLocked(plan_.cursor);
    }
    Run(std::move(step));
  }

  void OnWriteDone(bool ok) override {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      ++written_;
      bytes_written_ += writing_bytes_;
      last_write_done_ = absl::Now();
      if (!ok) {
        step = EndLocked(
            grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
      } else if (ended_) {
        step = EndLocked(end_status_);
      } else if (last_ != kNone && written_ > last_) {
        step = EndLocked(grpc::Status::OK);
      } else {
        step = WriteLocked();
        // A page left the window: the read it held back may start.
        if (waiting_cursor_.has_value() && ReadAllowedLocked()) {
          step.read = ReadLocked(*std::move(waiting_cursor_));
          waiting_cursor_.reset();
        }
      }
    }
    Run(std::move(step));
  }

  void OnDone() override {
    options_.streams->Remove(stream_id_);
    delete this;
  }

 private:
  static constexpr uint64_t kNone = UINT64_MAX;
  // Pages read or being read and not yet written, at most: the one being
  // written, one encoded or being encoded, and the next being read.
  static constexpr uint64_t kPagesAhead = 3;

  // A page read and not yet encoded.
  struct Read {
    uint64_t index = 0;
    std::string cursor;  // the page after this cursor
  };

  // What to do once `mu_` is released.
  struct Step {
    std::optional<Read> read;
    bool write = false;  // out_
    bool finish = false;
    grpc::Status status;
  };

  void Run(Step step) ABSL_LOCKS_EXCLUDED(mu_) {
    if (step.read.has_value()) {
      options_.readers->Submit(
          [this, read = *std::move(step.read)] { ReadPage(read); });
    }
    if (step.write) {
      StartWrite(&out_);
    } else if (step.finish) {
      Finish(step.status);
    }
  }

  // On a reader thread: reads the page, starts the next one's read, then
  // encodes this one.
  void ReadPage(const Read& read) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::StatusOr<ServerReplica::PullPage> page =
        session_.ReadPage(plan_, read.cursor);
    Step step;
    bool link_bound = false;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      link_bound = SlowLinkLocked();
      if (!page.ok()) {
        --busy_;
        step = EndLocked(ToGrpcStatus(page.status()));
      } else if (page->done) {
        last_ = read.index;
      } else if (!ended_) {
        if (ReadAllowedLocked()) {
          step.read = ReadLocked(page->cursor);
        } else {
          waiting_cursor_ = page->cursor;
        }
      }
    }
    Run(std::move(step));
    if (!page.ok()) return;
    Encoded(read.index, session_.EncodePage(plan_, *std::move(page),
                                            read.index == 0, link_bound));
  }

  void Encoded(uint64_t index, absl::StatusOr<std::string> bytes)
      ABSL_LOCKS_EXCLUDED(mu_) {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      --busy_;
      if (ended_) {
        step = EndLocked(end_status_);
      } else if (!bytes.ok()) {
        step = EndLocked(ToGrpcStatus(bytes.status()));
      } else {
        ready_.emplace(index, *std::move(bytes));
        step = WriteLocked();
      }
    }
    Run(std::move(step));
  }

  // Whether the link has been taking pages more slowly than
  // tuning::kFastLinkBytesPerSecond, over two pages or more: then zstd's
  // small level, else its fast one. Buffers take the first pages at once on
  // any link, so the rate only falls below once they are full.
  bool SlowLinkLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (written_ < 2) return false;
    const double seconds =
        absl::ToDoubleSeconds(last_write_done_ - first_write_);
    return static_cast<double>(bytes_written_) <
           seconds * tuning::kFastLinkBytesPerSecond;
  }

  bool ReadAllowedLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !reading_ && next_read_ - written_ < kPagesAhead;
  }

  // Starts the read of the next page.
  Read ReadLocked(std::string cursor) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    reading_ = true;
    ++busy_;
    return Read{.index = next_read_++, .cursor = std::move(cursor)};
  }

  // Writes the next page in order if it is ready and nothing is being
  // written; ends the pull instead if the device was revoked or its secret
  // replaced since: no page leaves after that.
  Step WriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Step step;
    if (writing_) return step;
    auto next = ready_.find(written_);
    if (next == ready_.end()) return step;
    if (absl::Status s = session_.StillValid(); !s.ok()) {
      return EndLocked(ToGrpcStatus(s));
    }
    // The slice owns the page's bytes: no copy.
    auto* bytes = new std::string(std::move(next->second));
    ready_.erase(next);
    grpc::Slice slice(
        bytes->data(), bytes->size(),
        [](void* p) { delete static_cast<std::string*>(p); }, bytes);
    out_ = grpc::ByteBuffer(&slice, 1);
    writing_bytes_ = bytes->size();
    if (options_.metrics != nullptr) {
      options_.metrics->PullPageSent(writing_bytes_);
    }
    if (first_write_ == absl::InfinitePast()) first_write_ = absl::Now();
    writing_ = true;
    step.write = true;
    return step;
  }

  // Ends the pull with `status` (the first status given wins) once nothing
  // is under way: a page still read, encoded or written holds `this`.
  Step EndLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!ended_) {
      ended_ = true;
      end_status_ = status;
      waiting_cursor_.reset();
      ready_.clear();
    }
    Step step;
    if (busy_ == 0 && !writing_ && !finished_) {
      finished_ = true;
      step.finish = true;
      step.status = end_status_;
      // Only the last page written ends a pull with OK.
      if (options_.metrics != nullptr) {
        options_.metrics->PullEnded(device_id_, absl::Now() - started_,
                                    end_status_.ok());
      }
    }
    return step;
  }

  const SyncServiceOptions& options_;
  const SyncSession session_;
  const PullPlan plan_;
  const std::string device_id_;
  const absl::Time started_;
  const uint64_t stream_id_;  // in options_.streams
  absl::Mutex mu_;
  grpc::ByteBuffer out_;  // the page being written; one write at a time
  size_t writing_bytes_ ABSL_GUARDED_BY(mu_) = 0;  // out_'s size
  // Encoded pages by index, waiting for the ones before them.
  std::map<uint64_t, std::string> ready_ ABSL_GUARDED_BY(mu_);
  // The next page's cursor, when the window was full as its read was due.
  std::optional<std::string> waiting_cursor_ ABSL_GUARDED_BY(mu_);
  uint64_t next_read_ ABSL_GUARDED_BY(mu_) = 0;  // index of the next read
  uint64_t written_ ABSL_GUARDED_BY(mu_) = 0;    // pages written
  uint64_t last_ ABSL_GUARDED_BY(mu_) = kNone;   // index of the done page
  int busy_ ABSL_GUARDED_BY(mu_) = 0;            // pages being read or encoded
  // What the link has taken so far: the bytes of the pages written, from
  // the start of the first write to the end of the last.
  absl::Time first_write_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_write_done_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t bytes_written_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status end_status_ ABSL_GUARDED_BY(mu_);
};

// Ends a call at once with `status`.
template <typename Reactor>
class Refusal : public Reactor {
 public:
  explicit Refusal(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerBidiReactor<v1::PushRequest, v1::PushResponse>* SyncService::Push(
    grpc::CallbackServerContext* context) {
  absl::StatusOr<Caller> device = options_.auth->Authenticate(*context);
  if (!device.ok()) {
    return new Refusal<
        grpc::ServerBidiReactor<v1::PushRequest, v1::PushResponse>>(
        ToGrpcStatus(device.status()));
  }
  return new PushReactor(options_, context, *device);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* SyncService::Pull(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  using Reactor = grpc::ServerWriteReactor<grpc::ByteBuffer>;
  absl::StatusOr<Caller> device = options_.auth->Authenticate(*context);
  if (!device.ok()) {
    return new Refusal<Reactor>(ToGrpcStatus(device.status()));
  }
  v1::PullRequest parsed;
  grpc::Slice bytes;
  if (!request->DumpToSingleSlice(&bytes).ok() ||
      !parsed.ParseFromArray(bytes.begin(), static_cast<int>(bytes.size()))) {
    return new Refusal<Reactor>(grpc::Status(
        grpc::StatusCode::INTERNAL, "the pull request does not parse"));
  }
  SyncSession session = SessionFor(options_, *device);
  absl::StatusOr<PullPlan> plan = session.AcceptPull(parsed);
  if (!plan.ok()) return new Refusal<Reactor>(ToGrpcStatus(plan.status()));
  if (options_.metrics != nullptr) options_.metrics->PullStarted(bytes.size());
  // zstd pages, when the client reads them, are sent as they are: gzip
  // over them would cost the server time for next to nothing.
  auto header = context->client_metadata().find(kPullEncodingHeader);
  if (plan->encoding != v1::PAGE_ENCODING_UNSPECIFIED ||
      (header != context->client_metadata().end() &&
       header->second == "identity")) {
    context->set_compression_algorithm(GRPC_COMPRESS_NONE);
  }
  return new PullReactor(options_, context, *device, std::move(session),
                         *std::move(plan));
}

}  // namespace fieldsync::server
