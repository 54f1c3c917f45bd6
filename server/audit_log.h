// The audit trail: enrolments, revocations, admin actions and refused calls,
// written to the store's audit column family on a thread of its own, so a
// call that is being refused never waits for a disk write. Thread-safe.
#ifndef FIELDSYNC_SERVER_AUDIT_LOG_H_
#define FIELDSYNC_SERVER_AUDIT_LOG_H_

#include <string>

#include "fieldsync/v1/replication.pb.h"
#include "server/executor.h"
#include "sync/clock.h"
#include "sync/store.h"

namespace fieldsync::server {

class AuditLog {
 public:
  // `store` and `clock` must outlive the log; the destructor writes what is
  // still queued.
  AuditLog(Store* store, ClockSource* clock)
      : store_(store), clock_(clock), writer_(1) {}

  // Queues an event, stamped with the current time, for what writes
  // nothing else (a refused call, a read). Never pass a secret.
  void Record(std::string kind, std::string actor, std::string target,
              std::string detail, std::string peer = "");

  // An event stamped with the current time, for a change to write in its
  // own batch (ServerReplica's AlsoWrite, WriteServerDocument, LockYear):
  // the change and its record land together or not at all.
  v1::AuditEvent Event(std::string kind, std::string actor, std::string target,
                       std::string detail) const;

 private:
  Store* const store_;
  ClockSource* const clock_;
  Executor writer_;
};

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_AUDIT_LOG_H_
