#include "sync/sync_session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sync/clock.h"
#include "sync/error_info.h"
#include "sync/field_error.h"
#include "sync/memory_store.h"
#include "sync/push_results.h"
#include "sync/received_page.h"
#include "sync/server_replica.h"
#include "sync/tuning.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

namespace t = testing;
using ::testing::HasSubstr;

class SyncSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto replica = ServerReplica::Open(
        {.store = &store_, .areas = &areas_, .clock = &clock_});
    ASSERT_OK(replica);
    replica_ = std::move(*replica);
  }

  SyncSession Session(std::optional<WritePolicy> policy = std::nullopt) {
    return SyncSession(replica_.get(),
                       {.device_id = "tablet-a",
                        .read_scopes = {"commune/xa-tan-phu-dong"},
                        .policy = std::move(policy)},
                       [this] { return revoked_; });
  }

  static v1::Mutation Report(const std::string& device, uint64_t seq,
                             const std::string& key) {
    return t::MutationBuilder(device, seq, key)
        .AreaId("xa-tan-phu-dong")
        .Period("2025")
        .Results("Tân Phú Đông: 40 hộ")
        .Authority(v1::AUTHORITY_PROVINCE);
  }

  static v1::PushRequest Request(std::vector<v1::Mutation> mutations) {
    v1::PushRequest request;
    request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    for (v1::Mutation& m : mutations) *request.add_mutations() = std::move(m);
    return request;
  }

  // Pushes `count` reports of tablet-a through a session, as the writer
  // would apply them.
  void Store(int count) {
    SyncSession session = Session();
    std::vector<v1::Mutation> reports;
    for (int i = 1; i <= count; ++i) {
      reports.push_back(Report("tablet-a", i, "report/r" + std::to_string(i)));
    }
    v1::PushRequest request = Request(std::move(reports));
    absl::StatusOr<AcceptedBatch> batch = session.AcceptBatch(request);
    ASSERT_OK(batch);
    ASSERT_OK(replica_->Push(std::move(batch->mutations), {}, batch->resolved));
  }

  MemoryStore store_;
  AreaTree areas_ = t::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<ServerReplica> replica_;
  absl::Status revoked_;  // what the registry says of tablet-a
};

TEST_F(SyncSessionTest, AnUnknownProtocolVersionIsRefusedNamingTheField) {
  SyncSession session = Session();
  v1::PushRequest request = Request({Report("tablet-a", 1, "report/r1")});
  request.set_protocol_version(v1::PROTOCOL_VERSION_UNSPECIFIED);
  absl::StatusOr<AcceptedBatch> batch = session.AcceptBatch(request);
  ASSERT_EQ(batch.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolations(batch.status()).size(), 1u);
  EXPECT_EQ(FieldViolations(batch.status())[0].field(), "protocol_version");
  EXPECT_EQ(ReasonOf(batch.status()), "PROTOCOL_VERSION");
  EXPECT_EQ(ErrorInfoOf(batch.status()).metadata().at("server_version"), "1");

  v1::PullRequest pull;
  pull.set_protocol_version(static_cast<v1::ProtocolVersion>(7));
  EXPECT_EQ(session.AcceptPull(pull).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SyncSessionTest, AnotherDevicesMutationIsRefusedNamingItsIndex) {
  SyncSession session = Session();
  v1::PushRequest request = Request({Report("tablet-a", 1, "report/r1"),
                                     Report("tablet-a", 2, "report/r2"),
                                     Report("tablet-b", 1, "report/r3")});
  absl::StatusOr<AcceptedBatch> batch = session.AcceptBatch(request);
  ASSERT_EQ(batch.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> violations = FieldViolations(batch.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "mutations[2].device_id");
  EXPECT_THAT(violations[0].description(), HasSubstr("\"tablet-b\""));
  EXPECT_EQ(ReasonOf(batch.status()), "NOT_CALLING_DEVICE");
}

TEST_F(SyncSessionTest, ABatchOverTheLimitIsRefused) {
  SyncSession session = Session();
  v1::Mutation big = Report("tablet-a", 1, "report/r1");
  big.mutable_sets(0)->set_value(std::string(tuning::kMaxBatchBytes, 'x'));
  v1::PushRequest request = Request({big});
  absl::StatusOr<AcceptedBatch> batch = session.AcceptBatch(request);
  ASSERT_EQ(batch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolations(batch.status())[0].field(), "mutations");
  EXPECT_EQ(ReasonOf(batch.status()), "BATCH_TOO_LARGE");
  EXPECT_EQ(ErrorInfoOf(batch.status()).metadata().at("max_batch_bytes"),
            std::to_string(tuning::kMaxBatchBytes));
}

TEST_F(SyncSessionTest, TheAuthorityIsTheRolesWhateverTheMutationClaims) {
  SyncSession session = Session(
      WritePolicyFor(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong", areas_));
  v1::PushRequest request = Request({Report("tablet-a", 1, "report/r1")});
  request.add_accepted_result_encodings(v1::PAGE_ENCODING_ZSTD);
  absl::StatusOr<AcceptedBatch> batch = session.AcceptBatch(request);
  ASSERT_OK(batch);
  ASSERT_EQ(batch->mutations.size(), 1u);
  EXPECT_EQ(batch->mutations[0].authority(), v1::AUTHORITY_COMMUNE);
  EXPECT_EQ(batch->resolved.size(), 1u);
  EXPECT_TRUE(batch->zstd_results);
  EXPECT_EQ(request.mutations_size(), 0);  // moved out
}

TEST_F(SyncSessionTest, ARevokedDeviceGetsNoFurtherBatchOrPage) {
  Store(40);
  SyncSession session = Session();
  v1::PullRequest pull;
  pull.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  pull.set_max_page_bytes(200);  // a page or two per report
  absl::StatusOr<PullPlan> plan = session.AcceptPull(pull);
  ASSERT_OK(plan);
  int pages = 0;
  absl::Status pulled =
      session.PullPages(*plan, [&](std::string, bool) -> absl::Status {
        // Revoked while the first page is on its way.
        if (++pages == 1) revoked_ = absl::UnauthenticatedError("revoked");
        return absl::OkStatus();
      });
  EXPECT_EQ(pulled.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(pages, 1);

  v1::PushRequest request = Request({Report("tablet-a", 41, "report/r41")});
  EXPECT_EQ(session.AcceptBatch(request).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(session.AcceptPull(pull).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SyncSessionTest, PagesAreBoundedAndEncodedAsTheDeviceReadsThem) {
  v1::PullRequest pull;
  pull.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  SyncSession session = Session();
  absl::StatusOr<PullPlan> plan = session.AcceptPull(pull);
  ASSERT_OK(plan);
  EXPECT_EQ(plan->page_bytes, tuning::kDefaultPageBytes);
  EXPECT_EQ(plan->encoding, v1::PAGE_ENCODING_UNSPECIFIED);

  pull.set_max_page_bytes(100 * 1024 * 1024);
  pull.add_accepted_page_encodings(v1::PAGE_ENCODING_ZSTD);
  plan = session.AcceptPull(pull);
  ASSERT_OK(plan);
  EXPECT_EQ(plan->page_bytes, tuning::kMaxPageBytes);
  EXPECT_EQ(plan->encoding, v1::PAGE_ENCODING_ZSTD);
}

TEST_F(SyncSessionTest, EveryPageLeavesWithAChecksumATabletAccepts) {
  Store(30);
  for (bool zstd : {false, true}) {
    SCOPED_TRACE(zstd ? "zstd" : "plain");
    v1::PullRequest pull;
    pull.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    pull.set_max_page_bytes(600);
    if (zstd) pull.add_accepted_page_encodings(v1::PAGE_ENCODING_ZSTD);
    SyncSession session = Session();
    absl::StatusOr<PullPlan> plan = session.AcceptPull(pull);
    ASSERT_OK(plan);
    int documents = 0, pages = 0;
    std::string decoded;
    ASSERT_OK(
        session.PullPages(*plan, [&](std::string bytes, bool) -> absl::Status {
          v1::PullResponse page;
          absl::StatusOr<size_t> read = ReadReceivedPage(bytes, page, decoded);
          if (!read.ok()) return read.status();
          // Only the first page of a pull that goes on carries an estimate.
          EXPECT_EQ(page.estimated_documents() > 0, pages == 0);
          v1::PullResponse as_sent;
          EXPECT_TRUE(as_sent.ParseFromString(bytes));
          EXPECT_EQ(!as_sent.encoded_documents().empty(), zstd);
          documents += page.documents_size();
          ++pages;
          // One byte changed on the way: the page is refused.
          bytes[bytes.size() / 2] ^= 0x20;
          v1::PullResponse damaged;
          EXPECT_EQ(ReadReceivedPage(bytes, damaged, decoded).status().code(),
                    absl::StatusCode::kDataLoss);
          return absl::OkStatus();
        }));
    EXPECT_EQ(documents, 30);
    EXPECT_GT(pages, 2);
  }
}

TEST_F(SyncSessionTest, AnAnswerCarriesTheBatchLimitAndItsEncoding) {
  SyncSession session = Session();
  v1::PushResponse applied;
  applied.add_results()->set_mutation_seq(1);
  v1::PushResponse plain = session.Answer(applied, /*zstd_results=*/false);
  EXPECT_EQ(plain.max_batch_bytes(), tuning::kMaxBatchBytes);
  EXPECT_EQ(plain.results_size(), 1);
  v1::PushResponse zstd = session.Answer(applied, /*zstd_results=*/true);
  EXPECT_EQ(zstd.results_size(), 0);
  EXPECT_FALSE(zstd.encoded_results().empty());
  ASSERT_OK(DecodePushResults(zstd));
  ASSERT_EQ(zstd.results_size(), 1);
  EXPECT_EQ(zstd.results(0).mutation_seq(), 1u);
}

}  // namespace
}  // namespace fieldsync
