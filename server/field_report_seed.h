// The Sa Đéc field reports of data/field_reports_sadec.json (33 reports, 57
// figures from the city's 2021 report): real figures for the first start,
// so totals answer at once. They are loaded as period-2021 reports through
// the replica's writer like any push (so they move the aggregates, reach
// tablets and are versioned), marked as imported from that report, and
// accepted by the province: each is pushed as submitted, then accepted.
#ifndef FIELDSYNC_SERVER_FIELD_REPORT_SEED_H_
#define FIELDSYNC_SERVER_FIELD_REPORT_SEED_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/server_replica.h"
#include "sync/store.h"

namespace fieldsync::server {

// The mutation stream the seed reports are pushed on.
inline constexpr std::string_view kFieldReportSeedDevice = "seed~sadec-2021";

// The period the seed reports are filed under.
inline constexpr std::string_view kFieldReportSeedPeriod = "2021";

// The seed's mutations, in order (two per report); InvalidArgument naming
// the report and field of the first thing that does not fit the schema.
absl::StatusOr<std::vector<v1::Mutation>> ParseFieldReportSeed(
    std::string_view json);

// Pushes the seed unless its stream already holds every mutation; a start
// cut half-way pushes the rest (the ones already taken are duplicates).
// Returns how many reports were loaded now (0: loaded before).
absl::StatusOr<size_t> LoadFieldReportsOnce(ServerReplica& replica,
                                            Store& store,
                                            std::string_view json);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_FIELD_REPORT_SEED_H_
