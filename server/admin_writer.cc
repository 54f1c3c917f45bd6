#include "server/admin_writer.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "sync/mutation_reason.h"

namespace fieldsync::server {

std::string AdminWriter::StreamOf(const std::string& device_id) {
  return absl::StrCat(device_id, "~admin");
}

AlsoWrite AuditUnlessRefused(v1::AuditEvent event) {
  return [event = std::move(event)](const v1::PushResponse& response,
                                    WriteSet& writes) {
    for (const v1::MutationResult& result : response.results()) {
      if (result.outcome() == v1::MUTATION_OUTCOME_REJECTED) return;
    }
    writes.PutAudit(event);
  };
}

absl::StatusOr<v1::MutationResult> AdminWriter::Write(
    const Caller& caller, const std::string& key, uint64_t base_version,
    std::vector<v1::FieldSet> sets, v1::AuditEvent audit) {
  absl::StatusOr<std::vector<v1::MutationResult>> results =
      WriteAll(caller, {{key, base_version, std::move(sets), false}},
               AuditUnlessRefused(std::move(audit)));
  if (!results.ok()) return results.status();
  const v1::MutationResult& result = results->front();
  if (result.outcome() == v1::MUTATION_OUTCOME_REJECTED) {
    return RefusedWrite(result, key);
  }
  return result;
}

absl::StatusOr<std::vector<v1::MutationResult>> AdminWriter::WriteAll(
    const Caller& caller, std::vector<Edit> edits, const AlsoWrite& also,
    const std::vector<v1::ConflictRecord>& closes) {
  absl::MutexLock lock(&mu_);
  const std::string stream = StreamOf(caller.device_id);
  absl::StatusOr<uint64_t> last = store_->GetDeviceSeq(stream);
  if (!last.ok()) return last.status();
  std::vector<v1::Mutation> batch;
  for (Edit& edit : edits) {
    v1::Mutation& m = batch.emplace_back();
    m.set_device_id(stream);
    m.set_mutation_seq(*last + batch.size());
    m.set_key(std::move(edit.key));
    m.set_base_version(edit.base_version);
    m.set_device_time_micros(absl::ToUnixMicros(absl::Now()));
    m.set_author(caller.name.empty() ? caller.device_id : caller.name);
    m.set_authority(v1::AUTHORITY_PROVINCE);  // the policy's replaces it
    m.set_delete_(edit.del);
    for (v1::FieldSet& set : edit.sets) *m.add_sets() = std::move(set);
  }
  std::vector<const WritePolicy*> policies;
  if (caller.policy.has_value()) {
    policies.assign(batch.size(), &*caller.policy);
  }
  absl::StatusOr<v1::PushResponse> pushed =
      replica_->Push(batch, policies, {}, also, closes);
  if (!pushed.ok()) return pushed.status();
  return std::vector<v1::MutationResult>(pushed->results().begin(),
                                         pushed->results().end());
}

}  // namespace fieldsync::server
