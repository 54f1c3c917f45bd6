// Revocation and rotation end a device's open streams, through the real
// server: a slow reader that took one page of a pull gets no further page
// once its device is revoked or its secret replaced, and its next read
// fails with a status that says why; a push stream opened with a replaced
// secret is refused at its next batch.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "fieldsync/v1/sync.grpc.pb.h"
#include "sync/pull_page.h"
#include "tests/support/cli_server_test.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/push_stream.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

class RevocationBinaryTest : public t::CliServerTest {
 protected:
  void SetUp() override {
    t::CliServerTest::SetUp();
    auto enrolled = EnrolDevice(v1::ROLE_AUDITOR, "dong-thap");
    ASSERT_OK(enrolled);
    device_id_ = enrolled->device().id();
    secret_ = enrolled->secret();
    // A slow reader for real: its HTTP/2 window is not grown ahead of its
    // reads (no BDP probing, a small window), so the server cannot have
    // sent it pages it has not asked for, and pages buffered in the client
    // before the revocation do not count as sent after it.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
    stub_ = v1::SyncService::NewStub(grpc::CreateCustomChannel(
        server_->address(), grpc::InsecureChannelCredentials(), args));
  }

  // Opens a pull of everything the auditor reads, in pages small enough
  // that there are dozens of them, and reads its first page only.
  std::unique_ptr<grpc::ClientReader<v1::PullResponse>> PullOnePage(
      grpc::ClientContext* context) {
    context->AddMetadata("authorization", "Bearer " + secret_);
    // Pages as they are, not gzipped: each fills the window many times.
    context->AddMetadata(kPullEncodingHeader, "identity");
    v1::PullRequest request;
    request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    request.set_max_page_bytes(4096);
    auto reader = stub_->Pull(context, request);
    v1::PullResponse page;
    EXPECT_TRUE(reader->Read(&page));
    EXPECT_FALSE(page.cursor().empty());
    return reader;
  }

  // Reads the rest of a pull: the pages received, and how it ended.
  std::pair<int, grpc::Status> ReadToEnd(
      grpc::ClientReader<v1::PullResponse>& reader) {
    int pages = 0;
    v1::PullResponse page;
    while (reader.Read(&page)) ++pages;
    return {pages, reader.Finish()};
  }

  std::string device_id_;
  std::string secret_;
  std::unique_ptr<v1::SyncService::Stub> stub_;
};

TEST_F(RevocationBinaryTest, ARevokedDevicesPullGetsNoFurtherPage) {
  grpc::ClientContext context;
  auto reader = PullOnePage(&context);
  ASSERT_OK(Admin().Revoke(device_id_));
  auto [pages, status] = ReadToEnd(*reader);
  EXPECT_EQ(pages, 0) << "pages sent after the revocation";
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("revoked"));
}

TEST_F(RevocationBinaryTest, APullWithAReplacedSecretGetsNoFurtherPage) {
  grpc::ClientContext context;
  auto reader = PullOnePage(&context);
  ASSERT_OK(Admin().Rotate(device_id_));
  auto [pages, status] = ReadToEnd(*reader);
  EXPECT_EQ(pages, 0) << "pages sent after the rotation";
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("secret was replaced"));
}

TEST_F(RevocationBinaryTest, APushStreamWithAReplacedSecretIsRefused) {
  auto commune = EnrolDevice(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  ASSERT_OK(commune);
  const std::string id = commune->device().id();
  t::PushStream stream(*stub_, commune->secret());
  v1::PushResponse response;
  ASSERT_TRUE(stream.WriteReport(id, 1, "report/r1", "trước"));
  ASSERT_TRUE(stream.Read(&response));
  EXPECT_EQ(response.results(0).outcome(), v1::MUTATION_OUTCOME_APPLIED);

  ASSERT_OK(Admin().Rotate(id));
  stream.WriteReport(id, 2, "report/r2", "sau");
  // The client closes its side, so that a server that answers the batch
  // ends the stream rather than wait for another.
  int answered = 0;
  grpc::Status status = stream.Finish(&answered);
  EXPECT_EQ(answered, 0);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("secret was replaced"));
}

}  // namespace
}  // namespace fieldsync
