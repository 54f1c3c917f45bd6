#include "server/auth_throttle.h"

#include <gtest/gtest.h>

#include "server/lru_map.h"
#include "tests/support/status_matchers.h"

namespace fieldsync::server {
namespace {

constexpr int64_t kSecond = 1'000'000;

AuthThrottleLimits Limits(int per_address, int per_device) {
  return {.per_address = per_address,
          .per_device = per_device,
          .window_micros = 60 * kSecond,
          .addresses = 4,
          .devices = 4,
          .known_pairs = 4};
}

TEST(AuthThrottleTest, AnAddressIsRefusedAfterTooManyWrongSecrets) {
  AuthThrottle throttle(Limits(3, 100));
  for (int i = 0; i < 3; ++i) {
    EXPECT_OK(throttle.Check("ipv4:10.0.0.1", "", i * kSecond));
    throttle.Failed("ipv4:10.0.0.1", "", i * kSecond);
  }
  absl::Status refused = throttle.Check("ipv4:10.0.0.1", "", 10 * kSecond);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("this address"), std::string::npos);
  EXPECT_OK(throttle.Check("ipv4:10.0.0.2", "", 10 * kSecond));
  // After the window, the address may try again.
  EXPECT_OK(throttle.Check("ipv4:10.0.0.1", "", 61 * kSecond));
}

TEST(AuthThrottleTest, ADeviceIsRefusedOnlyWhereItNeverWorked) {
  AuthThrottle throttle(Limits(100, 3));
  throttle.Succeeded("ipv4:10.0.0.1", "dev-a");
  for (int i = 0; i < 3; ++i) throttle.Failed("ipv4:10.0.0.9", "dev-a", 0);
  absl::Status refused = throttle.Check("ipv4:10.0.0.2", "dev-a", kSecond);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("dev-a"), std::string::npos);
  EXPECT_OK(throttle.Check("ipv4:10.0.0.1", "dev-a", kSecond));
  EXPECT_OK(throttle.Check("ipv4:10.0.0.2", "dev-b", kSecond));
}

TEST(AuthThrottleTest, GuessesFromADevicesOwnAddressLockNobodyOut) {
  AuthThrottle throttle(Limits(3, 3));
  throttle.Succeeded("a", "d");
  for (int i = 0; i < 10; ++i) throttle.Failed("a", "d", i);
  EXPECT_OK(throttle.Check("a", "d", 20));
  // The device elsewhere is not locked by them; the address is, for others.
  EXPECT_OK(throttle.Check("b", "d", 20));
  EXPECT_FALSE(throttle.Check("a", "e", 20).ok());
}

TEST(AuthThrottleTest, MemoryIsBoundedByCapacity) {
  LruMap<int, int> map(2);
  map.FindOrAdd(1) = 10;
  map.FindOrAdd(2) = 20;
  ASSERT_NE(map.Find(1), nullptr);  // 2 is now the least recently used
  std::optional<std::pair<int, int>> evicted;
  map.FindOrAdd(3, &evicted) = 30;
  EXPECT_EQ(map.size(), 2u);
  ASSERT_TRUE(evicted.has_value());
  EXPECT_EQ(evicted->first, 2);
  EXPECT_EQ(map.Find(2), nullptr);

  AuthThrottle throttle(Limits(1, 1));
  for (int i = 0; i < 1000; ++i) {
    throttle.Failed("ipv4:10.0.0." + std::to_string(i), "", 0);
  }
  // The oldest addresses were forgotten; the latest are still refused.
  EXPECT_OK(throttle.Check("ipv4:10.0.0.0", "", 1));
  EXPECT_FALSE(throttle.Check("ipv4:10.0.0.999", "", 1).ok());
}

TEST(AuthThrottleTest, PeerAddressDropsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:54321"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:443"), "ipv6:[::1]");
}

TEST(AuthThrottleTest, IPv6IsThrottledByItsSlash64) {
  EXPECT_EQ(ThrottleAddress("ipv4:10.1.2.3:5555"), "ipv4:10.1.2.3");
  EXPECT_EQ(ThrottleAddress("ipv6:[2001:db8:1:2:aa:bb:cc:dd]:443"),
            "ipv6:[2001:db8:1:2::]/64");
  EXPECT_EQ(ThrottleAddress("ipv6:[::ffff:10.1.2.3]:443"), "ipv4:10.1.2.3");
}

}  // namespace
}  // namespace fieldsync::server
