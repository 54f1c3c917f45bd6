// Secret guessing is slowed per source address and per device, and a
// stranger cannot lock a device out: the addresses a device authenticated
// from keep working for it. Through the real server, with proxies that
// connect from other loopback addresses (127.0.0.2, 127.0.0.3) standing in
// for other networks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/cli_server_test.h"
#include "tests/support/dropping_proxy.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

class LockoutBinaryTest : public t::CliServerTest {
 protected:
  void SetUp() override {
    t::CliServerTest::SetUp();
    auto enrolled = EnrolDevice(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
    ASSERT_OK(enrolled);
    id_ = enrolled->device().id();
    secret_ = enrolled->secret();
  }

  // A proxy to the server whose connections come from `source_ip`.
  std::unique_ptr<t::DroppingProxy> From(const std::string& source_ip) {
    auto proxy = std::make_unique<t::DroppingProxy>(server_->port(), UINT64_MAX,
                                                    UINT64_MAX, 1, source_ip);
    proxy->StopCutting();
    return proxy;
  }

  // One authenticated call (WhoAmI) with `secret` through `target`.
  absl::Status Call(const std::string& target, const std::string& secret) {
    return client::AdminClient(target, secret).WhoAmI().status();
  }

  // `n` wrong secrets claiming the device, through `target`; none may pass.
  void Guess(const std::string& target, int n) {
    for (int i = 0; i < n; ++i) {
      absl::Status s =
          Call(target, "fs1." + id_ + ".guess" + std::to_string(i));
      EXPECT_TRUE(s.code() == absl::StatusCode::kUnauthenticated ||
                  s.code() == absl::StatusCode::kResourceExhausted)
          << s;
    }
  }

  std::string id_;
  std::string secret_;
};

TEST_F(LockoutBinaryTest, GuessesFromTheDevicesOwnAddressDoNotLockItOut) {
  // A rural carrier puts the tablet and a stranger behind one address.
  ASSERT_OK(Call(server_->address(), secret_));
  Guess(server_->address(), 40);
  EXPECT_TRUE(Call(server_->address(), secret_).ok())
      << "a stranger behind the device's own address locked it out";
}

TEST_F(LockoutBinaryTest,
       GuessesFromElsewhereLockOnlyAddressesTheDeviceNeverUsed) {
  ASSERT_TRUE(Call(server_->address(), secret_).ok());  // its own address
  auto attacker = From("127.0.0.2");
  Guess(attacker->address(), 40);
  absl::Status last = Call(attacker->address(), "fs1." + id_ + ".last");
  EXPECT_EQ(last.code(), absl::StatusCode::kResourceExhausted) << last;
  EXPECT_THAT(std::string(last.message()), HasSubstr("try again"));

  // The device itself, where it has worked before, is not affected.
  EXPECT_OK(Call(server_->address(), secret_));
  // Guessing spread over addresses meets the device's own limit: an
  // address it never used waits, even with the right secret.
  auto elsewhere = From("127.0.0.3");
  absl::Status fresh = Call(elsewhere->address(), secret_);
  EXPECT_EQ(fresh.code(), absl::StatusCode::kResourceExhausted) << fresh;
}

TEST_F(LockoutBinaryTest, AnAddressMakingUpDeviceIdsIsSlowedDown) {
  auto attacker = From("127.0.0.2");
  absl::Status s;
  for (int i = 0; i < 60 && s.code() != absl::StatusCode::kResourceExhausted;
       ++i) {
    s = Call(attacker->address(),
             "fs1.dev-made-up-" + std::to_string(i) + ".x");
  }
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted)
      << "60 made-up device ids from one address were all checked";
  EXPECT_THAT(std::string(s.message()), HasSubstr("this address"));
  // Devices that worked from there before, and other addresses, are not.
  EXPECT_OK(Call(server_->address(), secret_));
}

}  // namespace
}  // namespace fieldsync
