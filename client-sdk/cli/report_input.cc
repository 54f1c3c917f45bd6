#include "client-sdk/cli/report_input.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sync/field_path.h"
#include "sync/text_fold.h"

namespace fieldsync::cli {
namespace {

absl::Status Refuse(Msg id, Language language, std::string_view option,
                    std::string_view value) {
  return absl::InvalidArgumentError(Format(id, language, option, value));
}

bool IsIndicatorCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

// "2025" or "2025-06", not after this month.
absl::Status CheckPeriod(const std::string& period, Today today,
                         Language language) {
  int year = 0, month = 0;
  const bool shape =
      (period.size() == 4 || (period.size() == 7 && period[4] == '-')) &&
      absl::SimpleAtoi(period.substr(0, 4), &year) &&
      (period.size() == 4 || (absl::SimpleAtoi(period.substr(5, 2), &month) &&
                              month >= 1 && month <= 12)) &&
      std::all_of(period.begin(), period.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-';
      });
  if (!shape || year < 1975) {
    return Refuse(Msg::kErrBadPeriod, language, "--period", period);
  }
  if (year > today.year || (year == today.year && month > today.month)) {
    return Refuse(Msg::kErrFuturePeriod, language, "--period", period);
  }
  return absl::OkStatus();
}

// Adds a free-text field, checked and normalised.
absl::Status AddText(const std::optional<std::string>& text,
                     std::string_view option, const std::string& path,
                     Language language, std::vector<v1::FieldSet>& sets) {
  if (!text.has_value()) return absl::OkStatus();
  absl::StatusOr<std::string> nfc = NormalizeNfc(*text);
  if (!nfc.ok()) {
    return absl::InvalidArgumentError(
        Format(Msg::kErrNotUtf8, language, option));
  }
  v1::Report body;
  body.GetReflection()->SetString(
      &body, body.GetDescriptor()->FindFieldByName(path), *std::move(nfc));
  sets.push_back(FieldSetOf(body, path));
  return absl::OkStatus();
}

}  // namespace

Today CurrentDate() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return {local.tm_year + 1900, local.tm_mon + 1};
}

std::string DefaultReportId(const std::string& area_id,
                            const std::string& model_id,
                            const std::string& period) {
  return absl::StrCat(area_id, ".", model_id, ".", period);
}

absl::StatusOr<std::vector<v1::FieldSet>> ReportFieldSets(
    const ReportInput& input, bool creating, const std::string& area_id,
    Today today, Language language) {
  std::vector<v1::FieldSet> sets;
  if (creating) {
    absl::Status period = CheckPeriod(input.period, today, language);
    if (!period.ok()) return period;
    v1::Report body;
    body.set_area_id(area_id);
    body.set_model_id(input.model);
    body.set_period(input.period);
    for (const char* path : {"area_id", "model_id", "period"}) {
      sets.push_back(FieldSetOf(body, path));
    }
  }
  for (const std::string& assignment : input.sets) {
    if (!IsValidUtf8(assignment)) {
      return absl::InvalidArgumentError(
          Format(Msg::kErrNotUtf8, language, "--set"));
    }
    const size_t equals = assignment.find('=');
    const std::string code = assignment.substr(0, equals);
    if (equals == std::string::npos || !IsIndicatorCode(code)) {
      return Refuse(Msg::kErrBadAssignment, language, "--set", assignment);
    }
    const std::string text = assignment.substr(equals + 1);
    double value = 0;
    if (!absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
      return absl::InvalidArgumentError(Format(
          Msg::kErrNotNumber, language,
          absl::StrCat("--set ", code, " (indicators/", code, ")"), text));
    }
    v1::Report body;
    (*body.mutable_indicators())[code].set_value(value);
    sets.push_back(FieldSetOf(body, "indicators/" + code));
  }
  for (auto [text, option, path] :
       {std::tuple{&input.results, "--results", "results"},
        std::tuple{&input.difficulties, "--difficulties", "difficulties"},
        std::tuple{&input.proposals, "--proposals", "proposals"}}) {
    absl::Status s = AddText(*text, option, path, language, sets);
    if (!s.ok()) return s;
  }
  if (!input.status.empty()) {
    v1::Report body;
    if (input.status == "draft") {
      body.set_status(v1::REPORT_STATUS_DRAFT);
    } else if (input.status == "submitted") {
      body.set_status(v1::REPORT_STATUS_SUBMITTED);
    } else {
      return absl::InvalidArgumentError(Format(Msg::kErrBadChoice, language,
                                               "--status", input.status,
                                               "draft, submitted"));
    }
    sets.push_back(FieldSetOf(body, "status"));
  }
  if (sets.empty()) {
    return absl::InvalidArgumentError(
        std::string(Text(Msg::kErrNothingToChange, language)));
  }
  return sets;
}

}  // namespace fieldsync::cli
