// Small server pieces: listen addresses, data directories, gRPC status
// translation, page tokens.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/data_dir.h"
#include "server/grpc_status.h"
#include "server/listen_address.h"
#include "server/page_token.h"
#include "sync/error_info.h"
#include "sync/field_error.h"
#include "sync/mutation_reason.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync::server {
namespace {

TEST(ListenAddressTest, ParsesHostAndPort) {
  auto v4 = ParseListenAddress("127.0.0.1:7443");
  ASSERT_OK(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 7443);
  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_OK(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->ToString(), "[::1]:0");
}

TEST(ListenAddressTest, RejectsBadValuesNamingThem) {
  for (const char* bad : {"7443", "localhost:http", "127.0.0.1:70000", ":80"}) {
    auto parsed = ParseListenAddress(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find(bad), std::string::npos)
        << parsed.status();
  }
}

TEST(ListenAddressTest, ProbeBindReportsAPortInUse) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ListenAddress taken{"127.0.0.1", ntohs(addr.sin_port)};
  absl::Status probe = ProbeBind(taken);
  EXPECT_FALSE(probe.ok());
  EXPECT_NE(probe.message().find("in use"), std::string::npos) << probe;
  close(fd);
}

TEST(DataDirTest, CreatesMissingFolders) {
  testing::TempDir dir;
  EXPECT_OK(PrepareDataDir(dir.Sub("a/b/c")));
}

TEST(DataDirTest, AFileInTheWayIsAPreciseError) {
  testing::TempDir dir;
  std::ofstream(dir.Sub("file")) << "x";
  absl::Status s = PrepareDataDir(dir.Sub("file/data"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find(dir.Sub("file/data")), std::string::npos) << s;
  absl::Status t = PrepareDataDir(dir.Sub("file"));
  EXPECT_NE(t.message().find("not a directory"), std::string::npos) << t;
}

// The details are google.rpc's own messages under their own type URLs, so
// that grpc-status libraries in any language read them.
TEST(GrpcStatusTest, FieldViolationsBecomeGoogleRpcDetails) {
  grpc::Status g = ToGrpcStatus(InvalidFieldError("page_size", "600 is big"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(g.error_message(), "page_size: 600 is big");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  EXPECT_EQ(details.code(), 3);
  EXPECT_EQ(details.message(), "page_size: 600 is big");
  ASSERT_EQ(details.details_size(), 2);
  EXPECT_EQ(details.details(0).type_url(),
            "type.googleapis.com/google.rpc.ErrorInfo");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(info.domain(), "fieldsync.v1");
  EXPECT_EQ(details.details(1).type_url(),
            "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(1).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
  EXPECT_EQ(bad_request.field_violations(0).description(), "600 is big");
}

// Every refusal says why as a code, not only those about a field.
TEST(GrpcStatusTest, EveryRefusalCarriesAnErrorInfo) {
  EXPECT_OK(ToGrpcStatus(absl::OkStatus()));
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).error_details().empty());
  grpc::Status missing = ToGrpcStatus(absl::NotFoundError("no model x"));
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(missing.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "NOT_FOUND");
  EXPECT_EQ(info.domain(), "fieldsync.v1");

  grpc::Status throttled = ToGrpcStatus(
      WithReason(absl::ResourceExhaustedError("wait"), "AUTH_THROTTLED",
                 {{"retry_after_seconds", "30"}}));
  ASSERT_TRUE(details.ParseFromString(throttled.error_details()));
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "AUTH_THROTTLED");
  EXPECT_EQ(info.metadata().at("retry_after_seconds"), "30");
}

// A refused admin write says which rule refused it.
TEST(GrpcStatusTest, ARefusedWriteCarriesItsMutationReason) {
  v1::MutationResult result;
  result.set_outcome(v1::MUTATION_OUTCOME_REJECTED);
  result.set_reason_code(v1::MUTATION_REASON_STATUS_TRANSITION);
  result.set_reason("status: REPORT_STATUS_DRAFT -> REPORT_STATUS_ACCEPTED");
  grpc::Status g = ToGrpcStatus(RefusedWrite(result, "report/r1"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "STATUS_TRANSITION");
  EXPECT_EQ(info.metadata().at("key"), "report/r1");
}

// A message quoting bytes that are not UTF-8 still makes details a proto3
// parser accepts.
TEST(GrpcStatusTest, DetailsStayUtf8) {
  grpc::Status g = ToGrpcStatus(absl::NotFoundError("no key \xff\xfe"));
  EXPECT_EQ(g.error_message(), "no key \xff\xfe");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  EXPECT_EQ(details.message(), "no key \\xff\\xfe");  // the bytes, named
}

TEST(PageTokenTest, RoundTripsAndChecksFilters) {
  v1::PageToken token;
  token.set_after_id("tinh-kt-05");
  token.set_filter_fingerprint(42);
  std::string text = EncodePageToken(token);
  auto back = DecodePageToken(text, 42);
  ASSERT_OK(back);
  EXPECT_EQ(back->after_id(), "tinh-kt-05");
  EXPECT_FALSE(DecodePageToken(text, 43).ok());
  EXPECT_FALSE(DecodePageToken("", 42).ok());
  EXPECT_FALSE(DecodePageToken(std::string(1000, 'A'), 42).ok());
}

}  // namespace
}  // namespace fieldsync::server
