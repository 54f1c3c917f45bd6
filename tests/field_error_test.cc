#include "sync/field_error.h"

#include <gtest/gtest.h>

#include "sync/error_info.h"
#include "sync/mutation_reason.h"

namespace fieldsync {
namespace {

TEST(FieldErrorTest, CarriesFieldAndDescription) {
  absl::Status s = InvalidFieldError("area_id", "unknown area \"xa-x\"");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "area_id: unknown area \"xa-x\"");
  auto violations = FieldViolations(s);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "area_id");
  EXPECT_EQ(violations[0].description(), "unknown area \"xa-x\"");
}

// A refused value is quoted as sent, but the details are protobuf strings:
// bytes that are not UTF-8 would make a client's parser refuse them all.
TEST(FieldErrorTest, BytesThatAreNotUtf8AreEscaped) {
  absl::Status s = InvalidFieldError("indicators/h\xe1",
                                     "unknown indicator \"h\xe1\xbb\" (Đông)");
  auto violations = FieldViolations(s);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "indicators/h\\xe1");
  EXPECT_EQ(violations[0].description(),
            "unknown indicator \"h\\xe1\\xbb\" (Đông)");
  EXPECT_EQ(s.message(),
            "indicators/h\\xe1: unknown indicator \"h\\xe1\\xbb\" (Đông)");
  // Serialized and parsed again as a client would: nothing is lost.
  google::rpc::BadRequest round_trip;
  ASSERT_TRUE(round_trip.ParseFromString([&] {
    google::rpc::BadRequest b;
    *b.add_field_violations() = violations[0];
    return b.SerializeAsString();
  }()));
  EXPECT_EQ(round_trip.field_violations(0).description(),
            violations[0].description());
}

TEST(FieldErrorTest, PlainStatusHasNoViolations) {
  EXPECT_TRUE(FieldViolations(absl::NotFoundError("x")).empty());
}

// The payload is google.rpc.BadRequest under the type URL gRPC libraries
// look for.
TEST(FieldErrorTest, TheViolationsAreAGoogleRpcBadRequest) {
  absl::Status s = InvalidFieldError("period", "is not a year");
  absl::optional<absl::Cord> payload =
      s.GetPayload("type.googleapis.com/google.rpc.BadRequest");
  ASSERT_TRUE(payload.has_value());
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(bad_request.ParseFromString(std::string(*payload)));
  EXPECT_EQ(bad_request.field_violations(0).field(), "period");
}

TEST(ErrorInfoTest, ARefusalHasAReasonAttachedOrItsCodesName) {
  absl::Status plain = absl::NotFoundError("no model x");
  EXPECT_FALSE(AttachedErrorInfo(plain).has_value());
  EXPECT_EQ(ReasonOf(plain), "NOT_FOUND");
  EXPECT_EQ(ErrorInfoOf(plain).domain(), "fieldsync.v1");
  EXPECT_EQ(ReasonOf(InvalidFieldError("f", "bad")), "INVALID_ARGUMENT");

  absl::Status revoked =
      WithReason(absl::UnauthenticatedError("revoked"), reason::kDeviceRevoked,
                 {{"device_id", "d1"}});
  EXPECT_EQ(revoked.message(), "revoked");
  EXPECT_EQ(ReasonOf(revoked), "DEVICE_REVOKED");
  EXPECT_EQ(ErrorInfoOf(revoked).metadata().at("device_id"), "d1");
  EXPECT_TRUE(WithReason(absl::OkStatus(), "X").ok());
  EXPECT_TRUE(ErrorInfoOf(absl::OkStatus()).reason().empty());
}

TEST(MutationReasonTest, EveryCodeHasANameThatReadsBack) {
  const google::protobuf::EnumDescriptor* codes =
      v1::MutationReason_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) {
    const auto code =
        static_cast<v1::MutationReason>(codes->value(i)->number());
    const std::string name = MutationReasonName(code);
    if (code == v1::MUTATION_REASON_UNSPECIFIED) {
      EXPECT_EQ(name, "");
      continue;
    }
    EXPECT_EQ("MUTATION_REASON_" + name, codes->value(i)->name());
    EXPECT_EQ(MutationReasonNamed(name), code) << name;
    EXPECT_EQ(MutationReasonOf(
                  WithMutationReason(absl::InvalidArgumentError("x"), code),
                  v1::MUTATION_REASON_INVALID_MUTATION),
              code)
        << name;
  }
  EXPECT_EQ(MutationReasonNamed("NOT_FOUND"), v1::MUTATION_REASON_UNSPECIFIED);
  EXPECT_EQ(MutationReasonOf(absl::NotFoundError("x"),
                             v1::MUTATION_REASON_UNKNOWN_BASE),
            v1::MUTATION_REASON_UNKNOWN_BASE);
  EXPECT_EQ(MutationReasonOf(WithReason(absl::NotFoundError("x"), "NOT_FOUND"),
                             v1::MUTATION_REASON_UNKNOWN_BASE),
            v1::MUTATION_REASON_UNKNOWN_BASE);
}

}  // namespace
}  // namespace fieldsync
