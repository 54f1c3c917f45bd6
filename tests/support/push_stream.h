// A device's push stream on the real server, held open while a test acts
// on the device (revokes it, gives it a new secret) to see what the stream
// does next.
#ifndef FIELDSYNC_TESTS_SUPPORT_PUSH_STREAM_H_
#define FIELDSYNC_TESTS_SUPPORT_PUSH_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>

#include "fieldsync/v1/sync.grpc.pb.h"
#include "tests/support/mutation_builder.h"

namespace fieldsync::testing {

class PushStream {
 public:
  PushStream(v1::SyncService::Stub& stub, const std::string& secret) {
    context_.AddMetadata("authorization", "Bearer " + secret);
    stream_ = stub.Push(&context_);
  }

  // Writes a batch of one new report `key` of `device_id` (its `seq`) in
  // xã Tân Phú Đông; false if the stream is broken.
  bool WriteReport(const std::string& device_id, uint64_t seq,
                   const std::string& key, const std::string& results) {
    v1::PushRequest batch;
    batch.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    *batch.add_mutations() = MutationBuilder(device_id, seq, key)
                                 .AreaId("xa-tan-phu-dong")
                                 .Results(results);
    return stream_->Write(batch);
  }

  // The next answer; false once the server ended the stream.
  bool Read(v1::PushResponse* response) { return stream_->Read(response); }

  // Closes the client's side, reads every answer left and returns them and
  // how the server ended the stream.
  grpc::Status Finish(int* answers_left = nullptr) {
    stream_->WritesDone();
    v1::PushResponse response;
    int left = 0;
    while (stream_->Read(&response)) ++left;
    if (answers_left != nullptr) *answers_left = left;
    return stream_->Finish();
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::PushRequest, v1::PushResponse>>
      stream_;
};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_PUSH_STREAM_H_
