#include "client-sdk/cli/number_text.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace fieldsync::cli {

std::string Number(double value, Language lang) {
  const bool vi = lang == Language::kVietnamese;
  const double rounded = std::round(value * 100) / 100;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2f", std::fabs(rounded));
  std::string digits(buf);
  std::string whole = digits.substr(0, digits.find('.'));
  std::string fraction = digits.substr(digits.find('.') + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += vi ? '.' : ',';
    out += whole[i];
  }
  if (!fraction.empty()) absl::StrAppend(&out, vi ? "," : ".", fraction);
  return rounded < 0 ? "-" + out : out;
}

std::string SummaryTotal(const v1::IndicatorSummary& s, Language lang) {
  if (s.reports() == 0) return "";
  const std::string bound = s.lower_bound() ? "≥ " : "";
  if (s.summed()) return bound + Number(s.sum(), lang);
  return bound + Format(Msg::kTotalsMean, lang, Number(s.mean(), lang));
}

}  // namespace fieldsync::cli
