// What an officer typed for `report new` and `report edit`, checked and
// turned into field sets before anything is written: every refusal names
// the option and the value, in the officer's language.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_REPORT_INPUT_H_
#define FIELDSYNC_CLIENT_SDK_CLI_REPORT_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client-sdk/cli/messages.h"
#include "fieldsync/v1/sync.pb.h"

namespace fieldsync::cli {

struct ReportInput {
  std::string model;              // new only
  std::string period;             // new only: "2025" or "2025-06"
  std::vector<std::string> sets;  // "members=59"
  std::optional<std::string> results;
  std::optional<std::string> difficulties;
  std::optional<std::string> proposals;
  std::string status;  // edit only: draft, submitted
};

// Today, for the "period in the future" check.
struct Today {
  int year = 0;
  int month = 0;
};
Today CurrentDate();

// The field sets of `input`, text in NFC. `area_id` and the model and
// period are set only when `creating`.
absl::StatusOr<std::vector<v1::FieldSet>> ReportFieldSets(
    const ReportInput& input, bool creating, const std::string& area_id,
    Today today, Language language);

// The report id `report new` gives: one report per commune, model and
// period, so two officers of one commune reporting on the same model merge
// into one report instead of making two.
std::string DefaultReportId(const std::string& area_id,
                            const std::string& model_id,
                            const std::string& period);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_REPORT_INPUT_H_
