#include <gtest/gtest.h>

#include "fieldsync/v1/sync.pb.h"

namespace fieldsync {
namespace {

// The protocol version is pinned: changing it must be deliberate, with a
// changelog line in proto/fieldsync/v1/sync.proto.
TEST(ProtocolVersionTest, IsPinned) {
  EXPECT_EQ(v1::PROTOCOL_VERSION_CURRENT, 1);
}

}  // namespace
}  // namespace fieldsync
