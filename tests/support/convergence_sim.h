// A seeded simulation of one server replica and several tablets that edit
// offline, lose messages and acknowledgements, resend, and pull in random
// order (STYLE.md 3). Everything runs in memory and is replayable from the
// seed alone.
#ifndef FIELDSYNC_TESTS_SUPPORT_CONVERGENCE_SIM_H_
#define FIELDSYNC_TESTS_SUPPORT_CONVERGENCE_SIM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace fieldsync::testing {

struct SimStats {
  int devices = 0;
  int mutations = 0;
  int conflicts = 0;
  int duplicates = 0;
  int out_of_order = 0;
  int lost_acks = 0;
  int compactions = 0;     // log compactions at random points of the run
  int groups = 0;          // groups merged (a push is one to three)
  int stacked_groups = 0;  // merged on top of groups not yet written
};

// Runs the simulation for `seed` to full sync, compacting the log at random
// points, and checks the invariants:
// every tablet equals the server; every (device, seq) is in the log exactly
// once and every mutation made was eventually taken; every value a taken
// mutation wrote is in a document, its history or a conflict record; a
// duplicate always reports its original outcome. The status names the first
// broken invariant.
absl::Status RunConvergenceSim(uint64_t seed, SimStats* stats = nullptr);

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_CONVERGENCE_SIM_H_
