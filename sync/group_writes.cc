#include "sync/group_writes.h"

namespace fieldsync {
namespace replica_internal {

google::protobuf::ArenaOptions GroupWrites::ArenaOptions() {
  google::protobuf::ArenaOptions options;
  // A report is about 2 KiB in memory; a group holds up to thousands.
  options.start_block_size = 64 * 1024;
  options.max_block_size = 1024 * 1024;
  return options;
}

void GroupWrites::PutDoc(DocPtr doc) {
  DocPtr& latest = docs[doc->key()];
  if (latest != nullptr) {
    replaced[{latest->key(), latest->version()}] = std::move(latest);
  }
  latest = std::move(doc);
}

void GroupWrites::PutResult(const v1::MutationResult& result, size_t index) {
  device_seqs[result.device_id()] = result.mutation_seq();
  result_index[{result.device_id(), result.mutation_seq()}] = index;
}

const GroupWrites::DocPtr* GroupWrites::DocAt(const std::string& key,
                                              uint64_t version) const {
  auto latest = docs.find(key);
  if (latest == docs.end()) return nullptr;
  if (latest->second->version() <= version) return &latest->second;
  auto it = replaced.upper_bound({key, version});
  if (it == replaced.begin()) return nullptr;
  --it;
  return it->first.first == key ? &it->second : nullptr;
}

}  // namespace replica_internal
}  // namespace fieldsync
