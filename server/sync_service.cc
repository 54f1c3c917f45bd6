#include "server/sync_service.h"

#include "absl/strings/str_cat.h"
#include "server/grpc_status.h"
#include "sync/field_error.h"
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
    std::vector<v1::Mutation> batch(request_.mutations().begin(),
                                    request_.mutations().end());
    options_.writer->Submit(
        std::move(batch), device_.policy ? &*device_.policy : nullptr,
        [this](absl::StatusOr<v1::PushResponse> applied) {
          if (!applied.ok()) {
            Finish(ToGrpcStatus(applied.status()));
            return;
          }
          response_ = *std::move(applied);
          response_.set_max_batch_bytes(tuning::kMaxBatchBytes);
          StartWrite(&response_);
        });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const SyncServiceOptions& options_;
  const Caller device_;
  v1::PushRequest request_;
  v1::PushResponse response_;
};

// One pull: compute a page on a reader thread, write it, repeat until done.
class PullReactor : public grpc::ServerWriteReactor<v1::PullResponse> {
 public:
  PullReactor(const SyncServiceOptions& options, Caller device,
              const v1::PullRequest& request)
      : options_(options),
        device_(std::move(device)),
        cursor_(request.cursor()),
        page_bytes_(
            request.max_page_bytes() == 0
                ? tuning::kDefaultPageBytes
                : std::min(request.max_page_bytes(), tuning::kMaxPageBytes)) {
    if (absl::Status s = CheckProtocol(request.protocol_version()); !s.ok()) {
      Finish(ToGrpcStatus(s));
      return;
    }
    NextPage();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
    } else if (page_.done()) {
      Finish(grpc::Status::OK);
    } else {
      NextPage();
    }
  }

  void OnDone() override { delete this; }

 private:
  void NextPage() {
    options_.readers->Submit([this] {
      absl::StatusOr<v1::PullResponse> page =
          options_.replica->Pull(device_.read_scopes, cursor_, page_bytes_);
      if (!page.ok()) {
        Finish(ToGrpcStatus(page.status()));
        return;
      }
      page_ = *std::move(page);
      cursor_ = page_.cursor();
      StartWrite(&page_);
    });
  }

  const SyncServiceOptions& options_;
  const Caller device_;
  std::string cursor_;
  const uint32_t page_bytes_;
  v1::PullResponse page_;
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
  return new PushReactor(options_, *std::move(device));
}

grpc::ServerWriteReactor<v1::PullResponse>* SyncService::Pull(
    grpc::CallbackServerContext* context, const v1::PullRequest* request) {
  absl::StatusOr<Caller> device = options_.auth->Authenticate(*context);
  if (!device.ok()) {
    return new Refusal<grpc::ServerWriteReactor<v1::PullResponse>>(
        ToGrpcStatus(device.status()));
  }
  return new PullReactor(options_, *std::move(device), *request);
}

}  // namespace fieldsync::server
