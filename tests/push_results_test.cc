// A push answer's results as a zstd frame: the same results back, and
// precise errors for a broken or unexpected answer.
#include "sync/push_results.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/protobuf/util/message_differencer.h"
#include "sync/zstd_codec.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

using ::testing::HasSubstr;

v1::PushResponse Answer(int results) {
  v1::PushResponse response;
  for (int i = 1; i <= results; ++i) {
    v1::MutationResult* r = response.add_results();
    r->set_device_id("dev-4a729dbd5a18");
    r->set_mutation_seq(i);
    r->set_outcome(v1::MUTATION_OUTCOME_APPLIED);
    r->set_version(1000 + i);
    r->set_sequence(1000 + i);
  }
  response.mutable_summary()->set_applied(results);
  response.set_max_batch_bytes(262144);
  return response;
}

TEST(PushResultsTest, DecodingGivesBackTheResultsEncoded) {
  const v1::PushResponse plain = Answer(500);
  v1::PushResponse encoded = plain;
  EncodePushResults(encoded, 3);
  EXPECT_EQ(encoded.results_size(), 0);
  EXPECT_EQ(encoded.results_encoding(), v1::PAGE_ENCODING_ZSTD);
  // The answer repeats itself: zstd makes it far smaller.
  EXPECT_LT(encoded.ByteSizeLong() * 5, plain.ByteSizeLong());
  ASSERT_OK(DecodePushResults(encoded));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(encoded, plain))
      << encoded.ShortDebugString().substr(0, 200);
}

TEST(PushResultsTest, APlainAnswerIsLeftAsItIs) {
  const v1::PushResponse plain = Answer(3);
  v1::PushResponse copy = plain;
  ASSERT_OK(DecodePushResults(copy));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(copy, plain));
  v1::PushResponse empty;
  EncodePushResults(empty, 3);
  EXPECT_EQ(empty.results_encoding(), v1::PAGE_ENCODING_UNSPECIFIED);
}

TEST(PushResultsTest, ABrokenFrameIsDataLoss) {
  v1::PushResponse encoded = Answer(10);
  EncodePushResults(encoded, 3);
  encoded.mutable_encoded_results()->resize(encoded.encoded_results().size() /
                                            2);
  absl::Status s = DecodePushResults(encoded);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("push answer's results"));
}

TEST(PushResultsTest, AFrameOfAWholeAnswerIsDataLoss) {
  // A valid frame, but of a whole answer (with its summary), not results.
  v1::PushResponse answer;
  answer.set_results_encoding(v1::PAGE_ENCODING_ZSTD);
  ZstdCompress(Answer(2).SerializeAsString(), 3,
               *answer.mutable_encoded_results());
  absl::Status s = DecodePushResults(answer);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("do not parse as results"));
}

TEST(PushResultsTest, AnEncodingNotAskedForIsRefused) {
  v1::PushResponse answer = Answer(1);
  answer.set_results_encoding(static_cast<v1::PageEncoding>(7));
  absl::Status s = DecodePushResults(answer);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("did not ask for"));
}

TEST(PushResultsTest, PlainResultsBesideAFrameAreDataLoss) {
  v1::PushResponse answer = Answer(2);
  EncodePushResults(answer, 3);
  *answer.add_results() = Answer(1).results(0);
  EXPECT_EQ(DecodePushResults(answer).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace fieldsync
