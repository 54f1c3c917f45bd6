#include "server/sync_service.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "server/grpc_status.h"
#include "sync/field_error.h"
#include "sync/pull_page.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

absl::Status CheckProtocol(v1::ProtocolVersion version) {
  if (version == v1::PROTOCOL_VERSION_CURRENT) return absl::OkStatus();
  return InvalidFieldError(
      "protocol_version",
      absl::StrCat(static_cast<int>(version),
                   " is not spoken here; this "
                   "server speaks ",
                   static_cast<int>(v1::PROTOCOL_VERSION_CURRENT)));
}

// A device pushes only its own mutations.
absl::Status CheckBatch(const v1::PushRequest& request, const Caller& device) {
  if (absl::Status s = CheckProtocol(request.protocol_version()); !s.ok()) {
    return s;
  }
  if (request.ByteSizeLong() > tuning::kMaxBatchBytes) {
    return InvalidFieldError(
        "mutations",
        absl::StrCat("the batch is ", request.ByteSizeLong(),
                     " bytes; the limit is ", tuning::kMaxBatchBytes));
  }
  for (const v1::Mutation& m : request.mutations()) {
    if (m.device_id() != device.device_id) {
      return InvalidFieldError(
          "device_id",
          absl::StrCat("\"", m.device_id(), "\" is not the calling device \"",
                       device.device_id, "\""));
    }
  }
  return absl::OkStatus();
}

// One push stream: read a batch, apply it on the writer, write the results,
// read the next. Deletes itself in OnDone.
class PushReactor
    : public grpc::ServerBidiReactor<v1::PushRequest, v1::PushResponse> {
 public:
  PushReactor(const SyncServiceOptions& options, Caller device)
      : options_(options), device_(std::move(device)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side: every batch was answered
      Finish(grpc::Status::OK);
      return;
    }
    // A device revoked while its stream is open is cut off at its next
    // message.
    if (!options_.auth->StillActive(device_)) {
      Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "device \"" + device_.device_id + "\" was revoked"));
      return;
    }
    if (absl::Status s = CheckBatch(request_, device_); !s.ok()) {
      Finish(ToGrpcStatus(s));
      return;
    }
    // Moved, not copied: the request is read again only after a Clear.
    // Each mutation is resolved here, on a network thread, so the single
    // writer only merges; with the policy's authority on it first, as the
    // writer puts it there too.
    const WritePolicy* policy = device_.policy ? &*device_.policy : nullptr;
    std::vector<v1::Mutation> batch;
    std::vector<std::shared_ptr<const ResolvedMutation>> resolved;
    batch.reserve(request_.mutations_size());
    resolved.reserve(request_.mutations_size());
    for (v1::Mutation& m : *request_.mutable_mutations()) {
      if (policy != nullptr) m.set_authority(policy->authority);
      resolved.push_back(Resolve(m));
      batch.push_back(std::move(m));
    }
    options_.writer->Submit(
        std::move(batch), std::move(resolved), policy,
        [this](absl::StatusOr<v1::PushResponse> applied) {
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
    if (!applied.ok()) {
      Finish(ToGrpcStatus(applied.status()));
      return;
    }
    response_ = *std::move(applied);
    response_.set_max_batch_bytes(tuning::kMaxBatchBytes);
    StartWrite(&response_);
  }

  void OnDone() override { delete this; }

 private:
  const SyncServiceOptions& options_;
  const Caller device_;
  v1::PushRequest request_;
  v1::PushResponse response_;
};

// One pull. Pages are computed on a reader thread, one ahead: while page N
// is being written, page N+1 is computed, so the server's work and the
// client's overlap. At most one page is written and one waits; the next is
// computed only once the waiting one is handed to gRPC.
//
// The state changes under `mu_`; gRPC is called only after it is released
// (a reaction may run inline, and OnDone deletes the reactor), and each
// change ends in at most one of StartWrite and Finish, called last.
class PullReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  PullReactor(const SyncServiceOptions& options, Caller device,
              const v1::PullRequest& request, v1::PageEncoding encoding)
      : options_(options),
        device_(std::move(device)),
        encoding_(encoding),
        page_bytes_(
            request.max_page_bytes() == 0
                ? tuning::kDefaultPageBytes
                : std::min(request.max_page_bytes(), tuning::kMaxPageBytes)) {
    if (absl::Status s = CheckProtocol(request.protocol_version()); !s.ok()) {
      Finish(ToGrpcStatus(s));
      return;
    }
    Step step;
    {
      absl::MutexLock lock(&mu_);
      computing_ = true;
      step.compute = request.cursor();
      step.estimate = true;
    }
    Run(std::move(step));
  }

  void OnWriteDone(bool ok) override {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        step = EndLocked(
            grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
      } else if (ended_) {
        step = EndLocked(end_status_);
      } else if (wrote_last_) {
        step = EndLocked(grpc::Status::OK);
      } else if (ready_.has_value()) {
        step = WriteLocked(*std::move(ready_));
        ready_.reset();
      }
      // Otherwise the next page is still being computed; Computed() writes
      // it.
    }
    Run(std::move(step));
  }

  void OnDone() override { delete this; }

 private:
  // What to do once `mu_` is released.
  struct Step {
    std::optional<std::string> compute;  // the page after this cursor
    bool estimate = false;  // the first page: say how big the pull is
    bool write = false;     // out_
    bool finish = false;
    grpc::Status status;
  };

  void Run(Step step) ABSL_LOCKS_EXCLUDED(mu_) {
    if (step.compute.has_value()) {
      options_.readers->Submit(
          [this, cursor = *std::move(step.compute), estimate = step.estimate] {
            absl::StatusOr<ServerReplica::PullPage> page =
                options_.replica->PullBytes(device_.read_scopes, cursor,
                                            page_bytes_, encoding_);
            // A progress bar for the device: only on the first page, and only
            // when the pull goes on (the estimate reads the scope log's keys).
            if (estimate && page.ok() && !page->done) {
              absl::StatusOr<uint64_t> size =
                  options_.replica->EstimatePull(device_.read_scopes, cursor);
              if (size.ok()) AppendEstimatedDocuments(page->bytes, *size);
            }
            Computed(std::move(page));
          });
    }
    if (step.write) {
      StartWrite(&out_);
    } else if (step.finish) {
      Finish(step.status);
    }
  }

  void Computed(absl::StatusOr<ServerReplica::PullPage> page)
      ABSL_LOCKS_EXCLUDED(mu_) {
    Step step;
    {
      absl::MutexLock lock(&mu_);
      computing_ = false;
      if (ended_) {
        step = EndLocked(end_status_);
      } else if (!page.ok()) {
        step = EndLocked(ToGrpcStatus(page.status()));
      } else if (writing_) {
        ready_ = *std::move(page);
      } else {
        step = WriteLocked(*std::move(page));
      }
    }
    Run(std::move(step));
  }

  // Makes `page` the one to write, and asks for the next unless it is the
  // last.
  Step WriteLocked(ServerReplica::PullPage page)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Step step;
    wrote_last_ = page.done;
    // The slice owns the page's bytes: no copy.
    auto* bytes = new std::string(std::move(page.bytes));
    grpc::Slice slice(
        bytes->data(), bytes->size(),
        [](void* p) { delete static_cast<std::string*>(p); }, bytes);
    out_ = grpc::ByteBuffer(&slice, 1);
    writing_ = true;
    step.write = true;
    if (!page.done) {
      computing_ = true;
      step.compute = std::move(page.cursor);
    }
    return step;
  }

  // Ends the pull with `status` (the first status given wins) once nothing
  // is under way: a page still computing or being written holds `this`.
  Step EndLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!ended_) {
      ended_ = true;
      end_status_ = status;
    }
    Step step;
    if (!computing_ && !writing_ && !finished_) {
      finished_ = true;
      step.finish = true;
      step.status = end_status_;
    }
    return step;
  }

  const SyncServiceOptions& options_;
  const Caller device_;
  const v1::PageEncoding encoding_;
  const uint32_t page_bytes_;
  absl::Mutex mu_;
  grpc::ByteBuffer out_;  // the page being written; one write at a time
  std::optional<ServerReplica::PullPage> ready_ ABSL_GUARDED_BY(mu_);
  bool computing_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool wrote_last_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status end_status_ ABSL_GUARDED_BY(mu_);
};

// The page encoding to send a pull in: zstd if the client reads it.
v1::PageEncoding PageEncodingFor(const v1::PullRequest& request) {
  for (int e : request.accepted_page_encodings()) {
    if (e == v1::PAGE_ENCODING_ZSTD) return v1::PAGE_ENCODING_ZSTD;
  }
  return v1::PAGE_ENCODING_UNSPECIFIED;
}

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
  return new PushReactor(options_, *std::move(device));
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
  // zstd pages, when the client reads them, are sent as they are: gzip
  // over them would cost the server time for next to nothing.
  const v1::PageEncoding encoding = PageEncodingFor(parsed);
  auto header = context->client_metadata().find(kPullEncodingHeader);
  if (encoding != v1::PAGE_ENCODING_UNSPECIFIED ||
      (header != context->client_metadata().end() &&
       header->second == "identity")) {
    context->set_compression_algorithm(GRPC_COMPRESS_NONE);
  }
  return new PullReactor(options_, *std::move(device), parsed, encoding);
}

}  // namespace fieldsync::server
