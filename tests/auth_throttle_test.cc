#include "server/auth_throttle.h"

#include <gtest/gtest.h>

namespace fieldsync::server {
namespace {

constexpr int64_t kSecond = 1'000'000;

TEST(AuthThrottleTest, RefusesAPairAfterTooManyFailuresUntilTheWindowEnds) {
  AuthThrottle throttle(3, 60 * kSecond);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(throttle.Check("ipv4:10.0.0.1", "dev-a", i * kSecond).ok());
    throttle.Failed("ipv4:10.0.0.1", "dev-a", i * kSecond);
  }
  absl::Status refused = throttle.Check("ipv4:10.0.0.1", "dev-a", 10 * kSecond);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("dev-a"), std::string::npos);
  // Another device behind the same address, or the same device elsewhere.
  EXPECT_TRUE(throttle.Check("ipv4:10.0.0.1", "dev-b", 10 * kSecond).ok());
  EXPECT_TRUE(throttle.Check("ipv4:10.0.0.2", "dev-a", 10 * kSecond).ok());
  // After the window, the pair may try again.
  EXPECT_TRUE(throttle.Check("ipv4:10.0.0.1", "dev-a", 61 * kSecond).ok());
}

TEST(AuthThrottleTest, ASuccessClearsTheCount) {
  AuthThrottle throttle(2, 60 * kSecond);
  throttle.Failed("a", "d", 0);
  throttle.Succeeded("a", "d");
  throttle.Failed("a", "d", 1);
  EXPECT_TRUE(throttle.Check("a", "d", 2).ok());
}

TEST(AuthThrottleTest, PeerAddressDropsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:54321"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:443"), "ipv6:[::1]");
}

}  // namespace
}  // namespace fieldsync::server
