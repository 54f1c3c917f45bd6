#include "sync/server_replica.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "sync/keys.h"
#include "sync/review_bounds.h"
#include "sync/scopes.h"
#include "sync/server_replica_internal.h"
#include "sync/status_macros.h"

namespace fieldsync {

using replica_internal::FillAggregatesOnce;
using replica_internal::kLockedYearPrefix;
using replica_internal::kServerMigrations;

void CountOutcome(v1::ImportSummary& summary, v1::MutationOutcome outcome) {
  switch (outcome) {
    case v1::MUTATION_OUTCOME_APPLIED:
      summary.set_applied(summary.applied() + 1);
      break;
    case v1::MUTATION_OUTCOME_MERGED:
      summary.set_merged(summary.merged() + 1);
      break;
    case v1::MUTATION_OUTCOME_CONFLICT:
      summary.set_conflict(summary.conflict() + 1);
      break;
    case v1::MUTATION_OUTCOME_DUPLICATE:
      summary.set_duplicate(summary.duplicate() + 1);
      break;
    case v1::MUTATION_OUTCOME_AMENDMENT:
      summary.set_amendment(summary.amendment() + 1);
      break;
    default:
      summary.set_rejected(summary.rejected() + 1);
      break;
  }
}

void AddDocument(WriteSet& writes, std::shared_ptr<const v1::Document> doc) {
  for (const std::string& scope : doc->scopes()) {
    writes.PutScopeLog({scope, doc->version(), doc->key()});
  }
  writes.PutDoc(std::move(doc));
}

absl::StatusOr<std::unique_ptr<ServerReplica>> ServerReplica::Open(
    ServerReplicaOptions options) {
  if (options.store == nullptr || options.areas == nullptr ||
      options.clock == nullptr) {
    return absl::InvalidArgumentError("replica needs a store, areas, a clock");
  }
  std::unique_ptr<ServerReplica> replica(new ServerReplica(std::move(options)));
  {
    absl::MutexLock lock(&replica->areas_mu_);
    replica->areas_ =
        std::make_shared<const AreaTree>(*replica->options_.areas);
  }
  FS_ASSIGN_OR_RETURN(replica->migrations_,
                      MigrateStore(*replica->options_.store, kServerStoreFormat,
                                   kServerMigrations, "data folder"));
  if (replica->options_.aggregates) {
    FS_RETURN_IF_ERROR(FillAggregatesOnce(*replica->options_.store));
  }
  FS_RETURN_IF_ERROR(CountOpenReviewsOnce(*replica->options_.store));
  FS_ASSIGN_OR_RETURN(std::optional<std::string> last,
                      replica->options_.store->GetMeta(kLastSequenceMetaKey));
  absl::MutexLock lock(&replica->write_mu_);
  replica->last_sequence_ = last ? ReadBigEndian64(*last).value_or(0) : 0;
  replica->last_catalogue_change_ = replica->last_sequence_;
  absl::MutexLock committed(&replica->commit_mu_);
  replica->committed_sequence_ = replica->last_sequence_;
  replica->committed_catalogue_change_ = replica->last_sequence_;
  FS_RETURN_IF_ERROR(replica->options_.store->ScanMeta(
      kLockedYearPrefix, [&](std::string_view key, std::string_view) {
        replica->options_.locked_years.insert(std::string(
            key.substr(std::string_view(kLockedYearPrefix).size())));
        return true;
      }));
  return replica;
}

std::vector<std::string> ServerReplica::locked_years() const {
  absl::MutexLock lock(&write_mu_);
  std::vector<std::string> years(options_.locked_years.begin(),
                                 options_.locked_years.end());
  std::sort(years.begin(), years.end());
  return years;
}

uint64_t ServerReplica::aggregate_mismatches() const {
  absl::MutexLock lock(&write_mu_);
  return aggregate_mismatches_;
}

uint64_t ServerReplica::last_sequence() const {
  absl::MutexLock lock(&commit_mu_);
  return committed_sequence_;
}

absl::Status ServerReplica::write_failure() const {
  absl::MutexLock lock(&commit_mu_);
  return failed_;
}

uint64_t ServerReplica::last_catalogue_change() const {
  absl::MutexLock lock(&commit_mu_);
  return committed_catalogue_change_;
}

absl::StatusOr<v1::Document> ServerReplica::WriteServerDocument(
    v1::Document doc, v1::AuditEvent audit) {
  absl::MutexLock lock(&write_mu_);
  FS_RETURN_IF_ERROR(AwaitCommittedLocked());
  const uint64_t sequence = last_sequence_ + 1;
  doc.set_version(sequence);
  doc.clear_scopes();
  for (std::string& scope : ScopesOf(doc, *areas())) {
    doc.add_scopes(std::move(scope));
  }
  WriteSet writes;
  AddDocument(writes, std::make_shared<const v1::Document>(doc));
  if (!audit.kind().empty()) writes.PutAudit(std::move(audit));
  writes.PutMeta(std::string(kLastSequenceMetaKey), SequenceKey(sequence));
  FS_RETURN_IF_ERROR(CommittedAlone(options_.store->Apply(writes), sequence));
  return doc;
}

absl::StatusOr<std::vector<v1::Area>> ServerReplica::WriteAreas(
    std::vector<v1::Area> areas, v1::AuditEvent audit) {
  absl::MutexLock lock(&write_mu_);
  FS_RETURN_IF_ERROR(AwaitCommittedLocked());
  FS_ASSIGN_OR_RETURN(AreaTree next, this->areas()->With(areas));
  WriteSet writes;
  uint64_t sequence = last_sequence_;
  for (const v1::Area& area : areas) {
    auto doc = std::make_shared<v1::Document>();
    doc->set_key(DocKey(kAreaKind, area.id()));
    doc->set_version(++sequence);
    *doc->mutable_area() = area;
    for (std::string& scope : ScopesOf(*doc, next)) {
      doc->add_scopes(std::move(scope));
    }
    AddDocument(writes, std::move(doc));
  }
  writes.PutAudit(std::move(audit));
  writes.PutMeta(std::string(kLastSequenceMetaKey), SequenceKey(sequence));
  FS_RETURN_IF_ERROR(CommittedAlone(options_.store->Apply(writes), sequence));
  last_catalogue_change_ = sequence;
  {
    absl::MutexLock committed(&commit_mu_);
    committed_catalogue_change_ = sequence;
  }
  absl::MutexLock swap(&areas_mu_);
  areas_ = std::make_shared<const AreaTree>(std::move(next));
  return areas;
}

std::shared_ptr<const AreaTree> ServerReplica::areas() const {
  absl::MutexLock lock(&areas_mu_);
  return areas_;
}

}  // namespace fieldsync
