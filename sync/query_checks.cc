#include "sync/query_checks.h"

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sync/field_error.h"

namespace fieldsync {
namespace {

// Abseil here has its own string_view (STYLE.md).
absl::string_view Abs(std::string_view s) { return {s.data(), s.size()}; }

std::string Quoted(std::string_view s) {
  return absl::StrCat("\"", Abs(s), "\"");
}

// The year a period starts with: "2021", "2025-Q2" -> 2021.
std::optional<int> PeriodYear(std::string_view period) {
  int year = 0;
  if (period.size() < 4 ||
      !absl::SimpleAtoi(absl::string_view(period.data(), 4), &year)) {
    return std::nullopt;
  }
  if (period.size() > 4 && period[4] != '-') return std::nullopt;
  return year;
}

}  // namespace

absl::Status UnknownAreaError(std::string_view id) {
  return FieldError(absl::StatusCode::kNotFound, "area_id",
                    absl::StrCat("no area ", Quoted(id)));
}

absl::Status UnknownModelError(std::string_view id) {
  return FieldError(absl::StatusCode::kNotFound, "model_id",
                    absl::StrCat("no model ", Quoted(id)));
}

absl::StatusOr<std::string> CheckAsOf(std::string_view as_of,
                                      std::string_view today) {
  const std::string date(as_of.empty() ? today : as_of);
  if (!IsIsoDate(date)) {
    return InvalidFieldError(
        "as_of",
        absl::StrCat(Quoted(as_of), " is not a date written YYYY-MM-DD"));
  }
  if (date > today) {
    return InvalidFieldError(
        "as_of",
        absl::StrCat(date, " is in the future (today is ", Abs(today), ")"));
  }
  return date;
}

absl::Status CheckPeriod(std::string_view period, std::string_view today) {
  const std::optional<int> year = PeriodYear(period);
  if (!year.has_value()) {
    return InvalidFieldError(
        "period", absl::StrCat(Quoted(period),
                               " is not a period such as \"2021\" or "
                               "\"2025-Q2\""));
  }
  int this_year = 0;
  if (today.size() < 4 ||
      !absl::SimpleAtoi(absl::string_view(today.data(), 4), &this_year) ||
      *year > this_year) {
    return InvalidFieldError("period",
                             absl::StrCat(Quoted(period), " is in the future"));
  }
  return absl::OkStatus();
}

absl::Status CheckQueryArea(std::string_view area_id, std::string_view as_of,
                            const AreaTree& areas) {
  if (areas.Find(area_id) == nullptr) return UnknownAreaError(area_id);
  return CheckAreaOn("as_of", std::string(area_id), as_of, areas);
}

}  // namespace fieldsync
