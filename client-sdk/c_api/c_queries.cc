// The C API's queries: documents, reports, models, the outbox and notices,
// each as JSON the caller frees with fs_free_string.
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "client-sdk/c_api/c_error.h"
#include "client-sdk/c_api/json_list.h"
#include "client-sdk/c_api/replica_handle.h"
#include "client-sdk/value_text.h"
#include "sync/status_macros.h"

namespace fieldsync::capi {
namespace {

std::string OrEmpty(const char* text) { return text != nullptr ? text : ""; }

absl::StatusOr<std::string> Get(fs_replica* replica, const char* key) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  FS_RETURN_IF_ERROR(RequiredKey(key));
  FS_ASSIGN_OR_RETURN(std::optional<v1::Document> doc,
                      replica->replica->Get(key));
  if (!doc.has_value()) {
    return absl::NotFoundError(absl::StrCat("no document \"", key, "\""));
  }
  return ToJson(*doc);
}

absl::StatusOr<std::string> ListReports(fs_replica* replica,
                                        const char* model_id,
                                        const char* period,
                                        const char* area_id) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  FS_ASSIGN_OR_RETURN(
      std::vector<v1::Document> reports,
      replica->replica->ListReports({.model_id = OrEmpty(model_id),
                                     .period = OrEmpty(period),
                                     .area_id = OrEmpty(area_id)}));
  return ToJsonArray(reports);
}

absl::StatusOr<std::string> ListModels(fs_replica* replica,
                                       const char* filter_json) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  v1::ListModelsRequest filter;
  if (filter_json != nullptr && *filter_json != '\0') {
    FS_RETURN_IF_ERROR(FromJson(filter_json, "filter_json", filter));
  }
  FS_ASSIGN_OR_RETURN(std::vector<v1::Model> models,
                      replica->replica->ListModels(filter));
  return ToJsonArray(models);
}

// A mutation's JSON with each field set's value also as text: the encoded
// value is what travels, the text is what an app shows.
absl::StatusOr<nlohmann::json> MutationJson(const v1::Mutation& m) {
  FS_ASSIGN_OR_RETURN(std::string text, ToJson(m));
  nlohmann::json json = nlohmann::json::parse(text);
  for (int i = 0; i < m.sets_size(); ++i) {
    json["sets"][i]["text"] =
        client::FieldSetValueText(m.key(), m.sets(i).path(), m.sets(i).value())
            .value_or("");
  }
  return json;
}

absl::StatusOr<std::string> Outbox(fs_replica* replica) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> outbox,
                      replica->replica->Outbox());
  nlohmann::json out = nlohmann::json::array();
  for (const v1::Mutation& m : outbox) {
    FS_ASSIGN_OR_RETURN(nlohmann::json json, MutationJson(m));
    out.push_back(std::move(json));
  }
  return out.dump();
}

absl::StatusOr<std::string> Notices(fs_replica* replica) {
  FS_RETURN_IF_ERROR(Required(replica, "replica"));
  FS_ASSIGN_OR_RETURN(std::vector<v1::Notice> notices,
                      replica->replica->Notices());
  return ToJsonArray(notices);
}

}  // namespace
}  // namespace fieldsync::capi

using fieldsync::capi::GuardString;

extern "C" char* fs_get(fs_replica* replica, const char* key,
                        fs_error** err) noexcept {
  return GuardString(err, [&] { return fieldsync::capi::Get(replica, key); });
}

extern "C" char* fs_list_reports(fs_replica* replica, const char* model_id,
                                 const char* period, const char* area_id,
                                 fs_error** err) noexcept {
  return GuardString(err, [&] {
    return fieldsync::capi::ListReports(replica, model_id, period, area_id);
  });
}

extern "C" char* fs_list_models(fs_replica* replica, const char* filter_json,
                                fs_error** err) noexcept {
  return GuardString(
      err, [&] { return fieldsync::capi::ListModels(replica, filter_json); });
}

extern "C" char* fs_outbox(fs_replica* replica, fs_error** err) noexcept {
  return GuardString(err, [&] { return fieldsync::capi::Outbox(replica); });
}

extern "C" char* fs_notices(fs_replica* replica, fs_error** err) noexcept {
  return GuardString(err, [&] { return fieldsync::capi::Notices(replica); });
}
