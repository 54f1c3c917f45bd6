#include "server/open_streams.h"

#include <utility>
#include <vector>

namespace fieldsync::server {

OpenStreams::~OpenStreams() {
  absl::MutexLock lock(&mu_);
  for (auto& [id, stream] : streams_) grpc_call_unref(stream.call);
}

uint64_t OpenStreams::Add(const Caller& caller,
                          grpc::CallbackServerContext* context) {
  // Only what StillValid reads: not the scopes.
  Stream stream{.caller = Caller{.device_id = caller.device_id,
                                 .policy = caller.policy,
                                 .secret_hash = caller.secret_hash},
                .call = context->c_call()};
  grpc_call_ref(stream.call);
  absl::MutexLock lock(&mu_);
  const uint64_t id = next_id_++;
  streams_.emplace(id, std::move(stream));
  return id;
}

void OpenStreams::Remove(uint64_t id) {
  grpc_call* call = nullptr;
  {
    absl::MutexLock lock(&mu_);
    auto it = streams_.find(id);
    if (it == streams_.end()) return;
    call = it->second.call;
    streams_.erase(it);
  }
  grpc_call_unref(call);
}

void OpenStreams::Revalidate(const std::string& device_id) {
  // Cancelled outside the lock: gRPC may run the reactor's reactions, and
  // so Remove, inline. Each call is referenced until then.
  std::vector<std::pair<grpc_call*, absl::Status>> ended;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, stream] : streams_) {
      if (stream.caller.device_id != device_id) continue;
      absl::Status valid = auth_->StillValid(stream.caller);
      if (valid.ok()) continue;
      grpc_call_ref(stream.call);
      ended.emplace_back(stream.call, std::move(valid));
    }
  }
  for (auto& [call, why] : ended) {
    const std::string message(why.message());
    grpc_call_cancel_with_status(call, GRPC_STATUS_UNAUTHENTICATED,
                                 message.c_str(), nullptr);
    grpc_call_unref(call);
  }
}

OpenStreams::Counts OpenStreams::Count() const {
  absl::MutexLock lock(&mu_);
  absl::flat_hash_set<std::string_view> devices;
  for (const auto& [id, stream] : streams_) {
    devices.insert(stream.caller.device_id);
  }
  return {.streams = streams_.size(), .devices = devices.size()};
}

}  // namespace fieldsync::server
