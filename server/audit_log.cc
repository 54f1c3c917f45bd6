#include "server/audit_log.h"

#include <iostream>

namespace fieldsync::server {

v1::AuditEvent AuditLog::Event(std::string kind, std::string actor,
                               std::string target, std::string detail) const {
  v1::AuditEvent event;
  event.set_time_micros(clock_->NowMicros());
  event.set_kind(std::move(kind));
  event.set_actor_device_id(std::move(actor));
  event.set_target(std::move(target));
  event.set_detail(std::move(detail));
  return event;
}

void AuditLog::Record(std::string kind, std::string actor, std::string target,
                      std::string detail, std::string peer) {
  v1::AuditEvent event = Event(std::move(kind), std::move(actor),
                               std::move(target), std::move(detail));
  event.set_peer(std::move(peer));
  writer_.Submit([this, event = std::move(event)] {
    WriteSet writes;
    writes.PutAudit(event);
    if (absl::Status s = store_->Apply(writes); !s.ok()) {
      std::cerr << "fieldsync-server: cannot write the audit trail: "
                << s.message() << std::endl;
    }
  });
}

}  // namespace fieldsync::server
