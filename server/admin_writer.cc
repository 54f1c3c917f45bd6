#include "server/admin_writer.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace fieldsync::server {

std::string AdminWriter::StreamOf(const std::string& device_id) {
  return absl::StrCat(device_id, "~admin");
}

absl::StatusOr<v1::MutationResult> AdminWriter::Write(
    const Caller& caller, const std::string& key, uint64_t base_version,
    std::vector<v1::FieldSet> sets) {
  absl::MutexLock lock(&mu_);
  const std::string stream = StreamOf(caller.device_id);
  absl::StatusOr<uint64_t> last = store_->GetDeviceSeq(stream);
  if (!last.ok()) return last.status();
  v1::Mutation m;
  m.set_device_id(stream);
  m.set_mutation_seq(*last + 1);
  m.set_key(key);
  m.set_base_version(base_version);
  m.set_device_time_micros(absl::ToUnixMicros(absl::Now()));
  m.set_author(caller.name.empty() ? caller.device_id : caller.name);
  m.set_authority(v1::AUTHORITY_PROVINCE);  // the policy's replaces it
  for (v1::FieldSet& set : sets) *m.add_sets() = std::move(set);
  std::vector<const WritePolicy*> policies;
  if (caller.policy.has_value()) policies.push_back(&*caller.policy);
  absl::StatusOr<v1::PushResponse> pushed = replica_->Push({m}, policies);
  if (!pushed.ok()) return pushed.status();
  const v1::MutationResult& result = pushed->results(0);
  if (result.outcome() == v1::MUTATION_OUTCOME_REJECTED) {
    return absl::FailedPreconditionError(result.reason());
  }
  return result;
}

}  // namespace fieldsync::server
