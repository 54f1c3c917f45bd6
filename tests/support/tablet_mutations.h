// The mutations the test tablet (tablet_main.cc) pushes, so that a test can
// make the very same ones again: a mutation sent again is a duplicate only
// if it is the same mutation (sync/mutation_digest.h).
#ifndef FIELDSYNC_TESTS_SUPPORT_TABLET_MUTATIONS_H_
#define FIELDSYNC_TESTS_SUPPORT_TABLET_MUTATIONS_H_

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/support/mutation_builder.h"

namespace fieldsync::testing {

inline const char* const kTabletCommunes[] = {"xa-tan-phu-dong",
                                              "xa-tan-quy-tay"};

// The tablet's mutation `seq` of `device`, drawing from `rng`: a report of
// its own, or with `shared` > 0 one of `shared` reports all tablets edit.
inline v1::Mutation TabletMutation(const std::string& device, uint64_t seq,
                                   std::mt19937& rng, int shared) {
  const bool use_shared = shared > 0 && rng() % 3 == 0;
  const std::string id = use_shared ? absl::StrCat("shared-", rng() % shared)
                                    : absl::StrCat(device, "-", seq);
  MutationBuilder b(device, seq, "report/" + id);
  b.AreaId(kTabletCommunes[rng() % 2])
      .Period("2025")
      .Results(absl::StrCat("kết quả của ", device, " #", seq))
      .Indicator(rng() % 2 ? "members" : "hectares", rng() % 1000);
  return b;
}

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_TABLET_MUTATIONS_H_
