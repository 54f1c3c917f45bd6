#include "bench/ceiling_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "bench/ceiling.grpc.pb.h"

namespace fieldsync::bench {
namespace {

class CeilingBatchPusher : public BatchPusher {
 public:
  explicit CeilingBatchPusher(const std::string& target) {
    // SyncClient's channel arguments (client-sdk/sync_client.cc).
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(4 * 1024 * 1024);
    args.SetCompressionAlgorithm(GRPC_COMPRESS_GZIP);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stub_ = IngestService::NewStub(grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args));
  }

  absl::StatusOr<Answer> Push(const std::vector<v1::Mutation>& batch) override {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::minutes(5));
    auto stream = stub_->Ingest(&context);
    v1::PushRequest request;
    request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    for (const v1::Mutation& m : batch) *request.add_mutations() = m;
    v1::PushResponse response;
    const bool answered = stream->Write(request) && stream->Read(&response);
    stream->WritesDone();
    grpc::Status status = stream->Finish();
    if (!status.ok()) {
      return absl::UnavailableError(
          absl::StrCat("ingest: ", status.error_message()));
    }
    if (!answered || response.results_size() != request.mutations_size()) {
      return absl::UnavailableError("ingest: the stream ended early");
    }
    return Answer{.stored = response.results_size()};
  }

 private:
  std::unique_ptr<IngestService::Stub> stub_;
};

}  // namespace

std::unique_ptr<BatchPusher> CeilingPusher(const std::string& target) {
  return std::make_unique<CeilingBatchPusher>(target);
}

}  // namespace fieldsync::bench
