// Property test: many seeds of the convergence simulation. The number of
// seeds comes from FIELDSYNC_SEEDS (default 2000; raise it for a long soak);
// FIELDSYNC_SEED=N replays one seed. A failing seed is printed, and once
// understood it becomes a named regression test below.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/support/convergence_sim.h"

namespace fieldsync::testing {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback
                                            : std::strtoull(value, nullptr, 10);
}

TEST(ConvergenceTest, ManySeedsConvergeWithNothingLost) {
  const uint64_t first = EnvOr("FIELDSYNC_SEED", 1);
  const uint64_t count = std::getenv("FIELDSYNC_SEED") != nullptr
                             ? 1
                             : EnvOr("FIELDSYNC_SEEDS", 2000);
  SimStats total;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    SimStats stats;
    absl::Status s = RunConvergenceSim(seed, &stats);
    ASSERT_TRUE(s.ok()) << "seed " << seed << ": " << s.message()
                        << "\nreplay: FIELDSYNC_SEED=" << seed
                        << " tests/sync_tests --gtest_filter='Convergence*'";
    total.mutations += stats.mutations;
    total.conflicts += stats.conflicts;
    total.duplicates += stats.duplicates;
    total.out_of_order += stats.out_of_order;
    total.lost_acks += stats.lost_acks;
    total.compactions += stats.compactions;
    total.groups += stats.groups;
    total.stacked_groups += stats.stacked_groups;
  }
  // The simulation must actually exercise the hard cases.
  EXPECT_GT(total.conflicts, 0);
  EXPECT_GT(total.duplicates, 0);
  EXPECT_GT(total.out_of_order, 0);
  EXPECT_GT(total.lost_acks, 0);
  EXPECT_GT(total.compactions, 0);
  EXPECT_GT(total.stacked_groups, 0);
  std::cout << count << " seeds: " << total.mutations << " mutations, "
            << total.conflicts << " conflicts, " << total.duplicates
            << " duplicates, " << total.out_of_order << " out of order, "
            << total.lost_acks << " lost acks, " << total.compactions
            << " log compactions, " << total.groups << " groups ("
            << total.stacked_groups << " merged on unwritten ones)\n";
}

}  // namespace
}  // namespace fieldsync::testing
