// Push and pull through the real fieldsync-server binary with several real
// tablet processes (fieldsync_test_tablet), and bad input at the stream.
#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <random>
#include <regex>

#include "absl/synchronization/notification.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/sync_client.h"
#include "fieldsync/v1/sync.grpc.pb.h"
#include "sync/deterministic.h"
#include "sync/field_error.h"
#include "sync/pull_page.h"
#include "sync/push_results.h"
#include "sync/tuning.h"
#include "sync/zstd_codec.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

std::string DigestOf(const std::string& out) {
  std::smatch m;
  static const std::regex kDigest(R"(digest=([0-9a-f]+) docs=(\d+))");
  return std::regex_search(out, m, kDigest) ? m[0].str() : "none: " + out;
}

class SyncBinaryTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> args = {"--dev-device-header"}) {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"), args);
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
  }

  client::SyncClient Client(const std::string& device) {
    return client::SyncClient({.target = server_->address(),
                               .device_id = device,
                               .scopes = {"province"}});
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
};

TEST_F(SyncBinaryTest, SeveralTabletProcessesEndEqualToTheServer) {
  Start();
  std::vector<std::unique_ptr<t::Subprocess>> tablets;
  for (int i = 0; i < 4; ++i) {
    tablets.push_back(std::make_unique<t::Subprocess>(std::vector<std::string>{
        FS_TABLET_BINARY, "--server", server_->address(), "--device",
        "tablet-" + std::to_string(i), "--reports", "40", "--shared", "4",
        "--seed", std::to_string(100 + i)}));
  }
  for (auto& tablet : tablets) {
    ASSERT_EQ(tablet->Wait(), 0) << tablet->err();
  }
  // Once every tablet has pushed, each pulls everything again: all equal.
  std::set<std::string> digests;
  for (int i = 0; i < 4; ++i) {
    t::RunResult r =
        t::Run({FS_TABLET_BINARY, "--server", server_->address(), "--device",
                "tablet-" + std::to_string(i), "--pull-only"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    digests.insert(DigestOf(r.out));
  }
  EXPECT_EQ(digests.size(), 1u) << ::testing::PrintToString(digests);
  EXPECT_THAT(*digests.begin(), ::testing::Not(HasSubstr("none")));
  // 4 x 40 mutations; the private reports are about two thirds of them.
  std::smatch m;
  std::string d = *digests.begin();
  ASSERT_TRUE(std::regex_search(d, m, std::regex(R"(docs=(\d+))")));
  EXPECT_GT(std::stoi(m[1]), 80);
}

TEST_F(SyncBinaryTest, ResultsAndDuplicatesOverTheStream) {
  Start();
  client::SyncClient tablet = Client("t1");
  v1::Mutation m = t::MutationBuilder("t1", 1, "report/a")
                       .AreaId("xa-tan-phu-dong")
                       .Results("một");
  auto first = tablet.Push({m});
  ASSERT_OK(first);
  EXPECT_EQ((*first)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED);
  auto again = tablet.Push({m});
  ASSERT_OK(again);
  EXPECT_EQ((*again)[0].outcome(), v1::MUTATION_OUTCOME_DUPLICATE);
  EXPECT_EQ((*again)[0].original_outcome(), v1::MUTATION_OUTCOME_APPLIED);

  auto gap = tablet.Push({t::MutationBuilder("t1", 5, "report/b")
                              .AreaId("xa-tan-phu-dong")
                              .Results("năm")});
  ASSERT_OK(gap);
  EXPECT_EQ((*gap)[0].outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT((*gap)[0].reason(), HasSubstr("expects 2"));

  auto bad_path = tablet.Push(
      {t::MutationBuilder("t1", 2, "report/a").Base(99).SetRaw("colour", "")});
  ASSERT_OK(bad_path);
  EXPECT_EQ((*bad_path)[0].outcome(), v1::MUTATION_OUTCOME_REJECTED);
  EXPECT_THAT((*bad_path)[0].reason(), HasSubstr("colour"));

  auto wrong_type = tablet.Push({t::MutationBuilder("t1", 3, "report/a")
                                     .Base(1)
                                     .SetRaw("results", "\x08\x01")});
  ASSERT_OK(wrong_type);
  EXPECT_EQ((*wrong_type)[0].outcome(), v1::MUTATION_OUTCOME_REJECTED);

  auto unknown_key = tablet.Push(
      {t::MutationBuilder("t1", 4, "report/zzz").Base(7).Results("x")});
  ASSERT_OK(unknown_key);
  EXPECT_THAT((*unknown_key)[0].reason(), HasSubstr("no document report/zzz"));

  // The document holds only what was applied.
  std::string cursor;
  std::map<std::string, v1::Document> docs;
  ASSERT_TRUE(tablet
                  .Pull(cursor,
                        [&](const v1::PullResponse& p) {
                          for (const auto& d : p.documents()) {
                            // Not the Sa Đéc reports the server loads.
                            if (d.key().starts_with("report/") &&
                                d.report().imported_from().empty()) {
                              docs[d.key()] = d;
                            }
                          }
                        })
                  .ok());
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs["report/a"].report().results(), "một");
  EXPECT_EQ(docs["report/a"].version(),
            docs["report/a"].field_versions().at("results"));
}

// zstd pages (the SDK's default), gzip and none carry the same documents in
// the same order with the same cursors; zstd's pages are the smallest.
TEST_F(SyncBinaryTest, EveryPullCompressionBringsTheSameDocuments) {
  Start();
  client::SyncClient tablet = Client("t1");
  std::vector<v1::Mutation> reports;
  for (int i = 1; i <= 400; ++i) {
    reports.push_back(
        t::MutationBuilder("t1", i, "report/r" + std::to_string(i))
            .AreaId("xa-tan-phu-dong")
            .Results("Hội quán họp " + std::to_string(i) + " lần"));
  }
  auto pushed = tablet.Push(reports);
  ASSERT_OK(pushed);

  struct Pulled {
    std::vector<std::string> documents;  // deterministic bytes, in order
    std::vector<std::string> cursors;
    client::SyncClient::PullBytes bytes;
  };
  auto pull = [&](client::PullCompression compression) {
    client::SyncClientOptions options{.target = server_->address(),
                                      .device_id = "reader",
                                      .scopes = {"province"},
                                      .max_page_bytes = 16 * 1024};
    options.pull_compression = compression;
    client::SyncClient reader(options);
    Pulled pulled;
    std::string cursor;
    absl::Status s = reader.Pull(cursor, [&](const v1::PullResponse& page) {
      for (const v1::Document& d : page.documents()) {
        pulled.documents.push_back(DeterministicBytes(d));
      }
      pulled.cursors.push_back(page.cursor());
    });
    EXPECT_OK(s);
    pulled.bytes = reader.last_pull_bytes();
    return pulled;
  };
  const Pulled zstd = pull(client::PullCompression::kZstd);
  const Pulled gzip = pull(client::PullCompression::kGzip);
  const Pulled none = pull(client::PullCompression::kNone);

  // The catalogue's 147 models and areas come first, then the reports.
  EXPECT_GT(zstd.documents.size(), 400u);
  EXPECT_GT(zstd.cursors.size(), 5u);  // several pages
  EXPECT_EQ(zstd.documents, gzip.documents);
  EXPECT_EQ(zstd.documents, none.documents);
  EXPECT_EQ(zstd.cursors, gzip.cursors);
  EXPECT_EQ(zstd.cursors, none.cursors);
  // gRPC hands the client gzip pages decompressed, so only zstd's are
  // smaller as received; decoded, all are the same bytes.
  EXPECT_EQ(none.bytes.page_bytes, none.bytes.plain_bytes);
  EXPECT_EQ(gzip.bytes.page_bytes, none.bytes.page_bytes);
  // (A zstd page's frame takes a few bytes of framing per page.)
  EXPECT_NEAR(zstd.bytes.plain_bytes, none.bytes.plain_bytes,
              8 * zstd.cursors.size());
  EXPECT_LT(zstd.bytes.page_bytes * 3, none.bytes.page_bytes);
}

// The server compresses harder on a slow link: once the link's buffers are
// full, a client that takes its pages slowly receives them at zstd's small
// level; the first ones, which the buffers took at once, at the fast one.
TEST_F(SyncBinaryTest, ASlowReaderGetsSmallerZstdPages) {
  Start();
  client::SyncClient tablet = Client("t1");
  std::vector<v1::Mutation> reports;
  // More bytes, even compressed, than the link's buffers take (gRPC's
  // flow-control window and the sockets'), so a slow reader holds pages up.
  std::mt19937 random(42);
  for (int i = 1; i <= 4000; ++i) {
    std::string results = "Hội quán nông dân họp lần " + std::to_string(i);
    for (int w = 0; w < 150; ++w) {
      results += " " + std::to_string(random() % 100000);
    }
    reports.push_back(
        t::MutationBuilder("t1", i, "report/r" + std::to_string(i))
            .AreaId("xa-tan-phu-dong")
            .Results(results));
  }
  ASSERT_OK(tablet.Push(reports));

  // A reader on a slow link: gRPC's flow-control window stays at 64 KiB
  // (no bandwidth probing), and it takes a page every 30 ms: about 1 MB/s,
  // below tuning::kFastLinkBytesPerSecond.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 64 * 1024);
  auto stub = v1::SyncService::NewStub(grpc::CreateCustomChannel(
      server_->address(), grpc::InsecureChannelCredentials(), args));
  grpc::ClientContext context;
  context.AddMetadata("x-fieldsync-device", "slow");
  context.AddMetadata("x-fieldsync-scopes", "province");
  v1::PullRequest request;
  request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  request.set_max_page_bytes(64 * 1024);
  request.add_accepted_page_encodings(v1::PAGE_ENCODING_ZSTD);
  auto reader = stub->Pull(&context, request);
  // Each page is encoded again here at both levels: zstd is deterministic,
  // so the page as received is one of the two, byte for byte.
  int small = 0;
  int fast = 0;
  int small_after_first_ten = 0;
  int pages = 0;
  v1::PullResponse page;
  std::string decoded;
  while (reader->Read(&page)) {
    const std::string frame = page.encoded_documents();
    ASSERT_OK(DecodePageDocuments(page, decoded));
    if (!frame.empty()) {
      auto frame_at = [&](int level) {
        std::string f;
        ZstdCompress(decoded, level, f);
        return f;
      };
      if (frame == frame_at(tuning::kPageZstdLevelSmall)) {
        ++small;
        if (pages >= 10) ++small_after_first_ten;
      } else if (frame == frame_at(tuning::kPageZstdLevelFast)) {
        ++fast;
      } else {
        ADD_FAILURE() << "page " << pages << " is at neither level";
      }
    }
    ++pages;
    absl::SleepFor(absl::Milliseconds(30));
  }
  ASSERT_OK(reader->Finish());
  std::printf(
      "%d pages: %d at the small level (%d after the first ten), %d "
      "at the fast one\n",
      pages, small, small_after_first_ten, fast);
  EXPECT_GT(pages, 40);
  // Once the buffers are full, the link's pace shows: small pages.
  EXPECT_GE(small_after_first_ten, (pages - 10) * 9 / 10);
}

TEST_F(SyncBinaryTest, APushAnswerIsZstdOnlyForAClientThatAsks) {
  Start();
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::SyncService::NewStub(channel);
  // Two devices push the same shape of batch, one asking for zstd results.
  auto push = [&](const std::string& device, bool zstd) {
    v1::PushRequest request;
    request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    if (zstd) request.add_accepted_result_encodings(v1::PAGE_ENCODING_ZSTD);
    for (uint64_t seq = 1; seq <= 200; ++seq) {
      *request.add_mutations() =
          t::MutationBuilder(device, seq,
                             "report/" + device + "-" + std::to_string(seq))
              .AreaId("xa-tan-phu-dong")
              .Results("kết quả");
    }
    grpc::ClientContext context;
    context.AddMetadata("x-fieldsync-device", device);
    auto stream = stub->Push(&context);
    v1::PushResponse response;
    EXPECT_TRUE(stream->Write(request));
    EXPECT_TRUE(stream->Read(&response));
    stream->WritesDone();
    EXPECT_OK(stream->Finish());
    return response;
  };
  v1::PushResponse plain = push("t-plain", false);
  v1::PushResponse encoded = push("t-zstd", true);
  EXPECT_EQ(plain.results_encoding(), v1::PAGE_ENCODING_UNSPECIFIED);
  EXPECT_EQ(plain.results_size(), 200);
  ASSERT_EQ(encoded.results_encoding(), v1::PAGE_ENCODING_ZSTD);
  EXPECT_EQ(encoded.results_size(), 0);
  EXPECT_EQ(encoded.summary().applied(), 200u);
  EXPECT_LT(encoded.ByteSizeLong() * 4, plain.ByteSizeLong());
  ASSERT_OK(DecodePushResults(encoded));
  ASSERT_EQ(encoded.results_size(), 200);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(encoded.results(i).device_id(), "t-zstd");
    EXPECT_EQ(encoded.results(i).mutation_seq(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(encoded.results(i).outcome(), plain.results(i).outcome());
    // The zstd device pushed second: its sequences follow the other's.
    EXPECT_EQ(encoded.results(i).sequence(), plain.results(i).sequence() + 200);
  }
}

TEST_F(SyncBinaryTest, AStreamThatBreaksTheRulesIsRefusedWithDetails) {
  Start();
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::SyncService::NewStub(channel);
  auto push = [&](const v1::PushRequest& request, const std::string& device) {
    grpc::ClientContext context;
    context.AddMetadata("x-fieldsync-device", device);
    auto stream = stub->Push(&context);
    stream->Write(request);
    stream->WritesDone();
    v1::PushResponse ignored;
    while (stream->Read(&ignored)) {
    }
    return stream->Finish();
  };
  v1::PushRequest no_version;
  *no_version.add_mutations() =
      t::MutationBuilder("t1", 1, "report/a").Results("x");
  grpc::Status s = push(no_version, "t1");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("protocol_version"));

  // The mutation at fault is named by its index in the batch.
  v1::PushRequest someone_else = no_version;
  someone_else.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  someone_else.mutable_mutations(0)->set_device_id("t2");
  *someone_else.add_mutations() =
      t::MutationBuilder("t1", 2, "report/a").Results("y");
  s = push(someone_else, "t2");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("\"t1\" is not the calling device"));
  std::vector<FieldViolation> violations =
      FieldViolations(client::FromGrpcStatus(s));
  ASSERT_EQ(violations.size(), 1u);  // a BadRequest rides along
  EXPECT_EQ(violations[0].field(), "mutations[1].device_id");

  v1::PushRequest huge;
  huge.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  for (int i = 1; i <= 400; ++i) {
    *huge.add_mutations() = t::MutationBuilder("t1", i, "report/big")
                                .Results(std::string(1000, 'x'));
  }
  s = push(huge, "t1");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("limit"));

  // None of it was written.
  client::SyncClient tablet = Client("t1");
  auto first = tablet.Push({t::MutationBuilder("t1", 1, "report/a")
                                .AreaId("xa-tan-phu-dong")
                                .Results("ok")});
  ASSERT_OK(first);
  EXPECT_EQ((*first)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED);

  grpc::ClientContext context;
  context.AddMetadata("x-fieldsync-device", "t1");
  v1::PullRequest bad_cursor;
  bad_cursor.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  bad_cursor.set_cursor("garbage");
  auto reader = stub->Pull(&context, bad_cursor);
  v1::PullResponse page;
  while (reader->Read(&page)) {
  }
  s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("cursor"));
}

TEST_F(SyncBinaryTest, GarbageOnTheWireIsRefusedAndNothingIsWritten) {
  Start();
  // Bytes that are not HTTP/2 at all.
  {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    const std::string junk(4096, '\xa5');
    ASSERT_GT(write(fd, junk.data(), junk.size()), 0);
    close(fd);
  }
  // A well-formed gRPC call whose message is not a PushRequest.
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  grpc::GenericStub generic(channel);
  const std::string junk = "\xff\xff\xff\xff garbage";
  grpc::Slice slice(junk.data(), junk.size());
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::ClientContext context;
  context.AddMetadata("x-fieldsync-device", "t1");
  absl::Notification done;
  grpc::Status status;
  generic.UnaryCall(&context, "/fieldsync.v1.SyncService/Pull",
                    grpc::StubOptions(), &request, &response,
                    [&](grpc::Status s) {
                      status = s;
                      done.Notify();
                    });
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();

  // The server is still serving, and holds no report but the Sa Đéc ones
  // it loaded itself.
  client::SyncClient tablet = Client("t1");
  std::string cursor;
  int reports = 0;
  ASSERT_TRUE(tablet
                  .Pull(cursor,
                        [&](const v1::PullResponse& p) {
                          for (const auto& d : p.documents()) {
                            reports += d.key().starts_with("report/") &&
                                       d.report().imported_from().empty();
                          }
                        })
                  .ok());
  EXPECT_EQ(reports, 0);
}

TEST_F(SyncBinaryTest, ASyncedCatalogueEditShowsInTheReadApi) {
  Start();
  auto secret = client::ReadSecretFile(dir_.Sub("data/admin-secret"));
  ASSERT_OK(secret);
  client::CatalogueClient catalogue(server_->address(), *secret);
  auto before = catalogue.GetModel("huyen-tp-sa-dec-05");
  ASSERT_OK(before);

  v1::Model plan;
  plan.set_plan_2021_2025("Nhân rộng mô hình Hội quán ra toàn thành phố");
  v1::Mutation edit =
      t::MutationBuilder("district-pc", 1, "model/huyen-tp-sa-dec-05")
          .Base(before->version())
          .Authority(v1::AUTHORITY_DISTRICT)
          .Set("plan_2021_2025", plan);
  auto pushed = Client("district-pc").Push({edit});
  ASSERT_OK(pushed);
  ASSERT_EQ((*pushed)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << (*pushed)[0].reason();

  auto after = catalogue.GetModel("huyen-tp-sa-dec-05");
  ASSERT_OK(after);
  EXPECT_EQ(after->model().plan_2021_2025(), plan.plan_2021_2025());
  EXPECT_GT(after->version(), before->version());
  v1::ListModelsRequest search;
  search.set_search("nhan rong mo hinh hoi quan ra toan");
  auto found = catalogue.ListAllModels(search);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id(), "huyen-tp-sa-dec-05");
}

TEST_F(SyncBinaryTest, WithoutDeviceAuthenticationSyncIsRefused) {
  Start({});
  client::SyncClient tablet = Client("t1");
  auto r = tablet.Push(
      {t::MutationBuilder("t1", 1, "report/a").Results("x").Build()});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnauthenticated);
  std::string cursor;
  EXPECT_EQ(tablet.Pull(cursor, [](const v1::PullResponse&) {}).code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace fieldsync
