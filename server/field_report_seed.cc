#include "server/field_report_seed.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "sync/field_path.h"
#include "sync/keys.h"
#include "sync/status_macros.h"

namespace fieldsync::server {
namespace {

using Json = nlohmann::json;

absl::Status SchemaError(std::string_view report, std::string_view field,
                         std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("field report seed ", std::string(report), ": field '",
                   std::string(field), "' ", std::string(problem)));
}

std::string StringOr(const Json& obj, const char* field) {
  auto it = obj.find(field);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

absl::StatusOr<v1::Qualifier> ParseQualifier(const Json& figure,
                                             std::string_view report) {
  const std::string q = StringOr(figure, "qualifier");
  if (q.empty()) return v1::QUALIFIER_UNSPECIFIED;
  if (q == "more_than") return v1::QUALIFIER_MORE_THAN;
  if (q == "at_least") return v1::QUALIFIER_AT_LEAST;
  return SchemaError(report, "qualifier", absl::StrCat("is unknown: ", q));
}

// The report a seed entry describes, and the paths it sets.
absl::StatusOr<std::pair<v1::Report, std::vector<std::string>>> ParseReport(
    const Json& entry, std::string_view source_title) {
  const std::string id = StringOr(entry, "id");
  if (id.empty()) return SchemaError("?", "id", "is missing");
  v1::Report report;
  std::vector<std::string> paths = {"area_id", "period", "status",
                                    "imported_from"};
  report.set_area_id(StringOr(entry, "area_id"));
  if (report.area_id().empty()) return SchemaError(id, "area_id", "is missing");
  report.set_period(std::string(kFieldReportSeedPeriod));
  report.set_status(v1::REPORT_STATUS_SUBMITTED);
  report.set_model_id(StringOr(entry, "model_id"));
  if (!report.model_id().empty()) paths.push_back("model_id");
  const Json& source = entry.value("source", Json::object());
  report.set_imported_from(
      absl::StrCat(std::string(source_title), " — ", StringOr(source, "file"),
                   ", dòng ", source.value("line", 0), " (", id, ")"));
  // The sentence the figures were read from, and what the source called
  // the model, as the report's results.
  std::string results = StringOr(source, "quote");
  if (report.model_id().empty()) {
    results =
        absl::StrCat(StringOr(entry, "model_name_in_source"), ": ", results);
  }
  report.set_results(std::move(results));
  paths.push_back("results");
  auto figures = entry.find("indicators");
  if (figures == entry.end() || !figures->is_object() || figures->empty()) {
    return SchemaError(id, "indicators", "is missing or empty");
  }
  for (const auto& [code, figure] : figures->items()) {
    auto value = figure.find("value");
    if (value == figure.end() || !value->is_number()) {
      return SchemaError(id, absl::StrCat("indicators.", code, ".value"),
                         "is missing or not a number");
    }
    v1::Indicator& indicator = (*report.mutable_indicators())[code];
    indicator.set_value(value->get<double>());
    indicator.set_unit(StringOr(figure, "unit"));
    indicator.set_label_vi(StringOr(figure, "label_vi"));
    indicator.set_value_text(StringOr(figure, "value_text"));
    FS_ASSIGN_OR_RETURN(v1::Qualifier qualifier, ParseQualifier(figure, id));
    indicator.set_qualifier(qualifier);
    if (auto of = figure.find("of"); of != figure.end() && of->is_number()) {
      indicator.set_of(of->get<double>());
    }
    paths.push_back(absl::StrCat("indicators/", code));
  }
  return std::make_pair(std::move(report), std::move(paths));
}

v1::Mutation SeedMutation(uint64_t seq, const std::string& id,
                          const std::string& author) {
  v1::Mutation m;
  m.set_device_id(std::string(kFieldReportSeedDevice));
  m.set_mutation_seq(seq);
  m.set_key(DocKey(kReportKind, id));
  m.set_author(author);
  m.set_authority(v1::AUTHORITY_PROVINCE);
  return m;
}

}  // namespace

absl::StatusOr<std::vector<v1::Mutation>> ParseFieldReportSeed(
    std::string_view json) {
  Json doc = Json::parse(json.begin(), json.end(), nullptr,
                         /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError("field report seed is not a JSON object");
  }
  auto reports = doc.find("reports");
  if (reports == doc.end() || !reports->is_array()) {
    return SchemaError("", "reports", "is missing or not an array");
  }
  const std::string title =
      StringOr(doc.value("source", Json::object()), "title");
  std::vector<v1::Mutation> mutations;
  for (const Json& entry : *reports) {
    FS_ASSIGN_OR_RETURN(auto parsed, ParseReport(entry, title));
    const auto& [report, paths] = parsed;
    const std::string id = StringOr(entry, "id");
    const std::string author = StringOr(entry, "reporting_unit");
    v1::Mutation& filed =
        mutations.emplace_back(SeedMutation(mutations.size() + 1, id, author));
    for (const std::string& path : paths) {
      *filed.add_sets() = FieldSetOf(report, path);
    }
    // The province accepts what the city's own report printed.
    v1::Report accepted;
    accepted.set_status(v1::REPORT_STATUS_ACCEPTED);
    accepted.set_review_comment("Số liệu từ báo cáo năm 2021 của thành phố");
    v1::Mutation& accept = mutations.emplace_back(
        SeedMutation(mutations.size() + 1, id, "Tỉnh Đồng Tháp"));
    *accept.add_sets() = FieldSetOf(accepted, "status");
    *accept.add_sets() = FieldSetOf(accepted, "review_comment");
  }
  return mutations;
}

absl::StatusOr<size_t> LoadFieldReportsOnce(ServerReplica& replica,
                                            Store& store,
                                            std::string_view json) {
  FS_ASSIGN_OR_RETURN(uint64_t taken,
                      store.GetDeviceSeq(kFieldReportSeedDevice));
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> mutations,
                      ParseFieldReportSeed(json));
  if (taken >= mutations.size()) return 0;
  FS_ASSIGN_OR_RETURN(v1::PushResponse pushed,
                      replica.Push(std::move(mutations)));
  for (const v1::MutationResult& result : pushed.results()) {
    if (result.outcome() == v1::MUTATION_OUTCOME_REJECTED) {
      return absl::InternalError(
          absl::StrCat("field report seed mutation ", result.mutation_seq(),
                       " was refused: ", result.reason()));
    }
  }
  return pushed.results_size() / 2;
}

}  // namespace fieldsync::server
