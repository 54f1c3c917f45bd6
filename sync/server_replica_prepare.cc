// ServerReplica::Prepare, a push's first step: merges a group on top of
// the groups prepared before it (sync/batch_view.h), within the bounds of
// the review queue, and encodes its writes for Commit.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "sync/batch_view.h"
#include "sync/group_cells.h"
#include "sync/group_writes.h"
#include "sync/keys.h"
#include "sync/merge.h"
#include "sync/mutation_digest.h"
#include "sync/review_bounds.h"
#include "sync/server_replica.h"
#include "sync/status_macros.h"

namespace fieldsync {

namespace {

using replica_internal::BatchView;
using replica_internal::GroupWrites;
using DocPtr = GroupWrites::DocPtr;

// A mutation not taken: no sequence number consumed, the device to send
// it again as `expected`.
v1::MutationResult NotTaken(const v1::Mutation& m, v1::MutationReason code,
                            uint64_t expected) {
  v1::MutationResult result;
  result.set_device_id(m.device_id());
  result.set_mutation_seq(m.mutation_seq());
  result.set_outcome(v1::MUTATION_OUTCOME_REJECTED);
  result.set_reason_code(code);
  result.set_expected_seq(expected);
  if (code == v1::MUTATION_REASON_SEQ_REUSED) {
    result.set_reason(absl::StrCat(
        "mutation_seq ", m.mutation_seq(), " of device ", m.device_id(),
        " was used before for a different mutation (a tablet restored from "
        "an older copy?); nothing was taken: send it again as ",
        expected));
  } else {
    result.set_reason(absl::StrCat("mutation_seq ", m.mutation_seq(),
                                   " is out of order: the server expects ",
                                   expected, " from device ", m.device_id(),
                                   "; nothing was taken"));
  }
  return result;
}

// Slots of the review queue a group's own decisions free (ServerReplica::
// Push's `closes`), per count key.
using ReviewCredit = absl::flat_hash_map<std::string, uint64_t>;

// The review item `merged` opens, within the queue's bounds less `credit`,
// counted as open in `own`; past one, `merged` becomes its refusal instead,
// with nothing to write (review_bounds.h). `current`: the document as
// stored.
absl::Status OpenReviewOrRefuse(BatchView& view, GroupWrites& own,
                                WriteSet& writes, const ReviewLimits& limits,
                                const ReviewCredit& credit,
                                const v1::Document* current,
                                MergeOutcome& merged) {
  const v1::ConflictRecord& record = *merged.conflict;
  const std::string of_device_key = OpenReviewsOfDeviceKey(record.device_id());
  const std::string of_doc_key = OpenReviewsOfDocKey(record.key());
  FS_ASSIGN_OR_RETURN(const uint64_t of_device,
                      view.OpenReviews(of_device_key));
  FS_ASSIGN_OR_RETURN(const uint64_t of_doc, view.OpenReviews(of_doc_key));
  auto less_credit = [&](uint64_t count, const std::string& key) {
    auto it = credit.find(key);
    return it == credit.end() ? count : count - std::min(count, it->second);
  };
  if (std::optional<ReviewRefusal> refusal =
          CheckReviewBounds(record, less_credit(of_device, of_device_key),
                            less_credit(of_doc, of_doc_key), limits)) {
    merged.result.set_outcome(v1::MUTATION_OUTCOME_REJECTED);
    merged.result.set_reason_code(refusal->code);
    merged.result.set_reason(std::move(refusal->reason));
    merged.result.set_version(current != nullptr ? current->version() : 0);
    merged.document.reset();
    merged.conflict.reset();
    return absl::OkStatus();
  }
  own.open_reviews[of_device_key] = of_device + 1;
  own.open_reviews[of_doc_key] = of_doc + 1;
  own.review_open[record.id()] = true;
  IndexOpenReview(record, writes);
  return absl::OkStatus();
}

// `record`, written by a group (a reviewer's decision closing it, or an
// AlsoWrite), moves the counts of open items in `own` if it changes whether
// the item is open: an item closed twice is counted once.
absl::Status CountReviewWritten(BatchView& view, GroupWrites& own,
                                WriteSet& writes,
                                const v1::ConflictRecord& record) {
  FS_ASSIGN_OR_RETURN(const std::optional<bool> was_open,
                      view.ReviewOpen(record.id()));
  const bool open = !record.resolved();
  IndexOpenReview(record, writes);
  if (was_open.value_or(false) != open) {
    for (const std::string& key : {OpenReviewsOfDeviceKey(record.device_id()),
                                   OpenReviewsOfDocKey(record.key())}) {
      FS_ASSIGN_OR_RETURN(const uint64_t count, view.OpenReviews(key));
      own.open_reviews[key] = open ? count + 1 : count > 0 ? count - 1 : 0;
    }
  }
  own.review_open[record.id()] = open;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerReplica::PreparedPush> ServerReplica::Prepare(
    std::vector<v1::Mutation> mutations,
    const std::vector<const WritePolicy*>& policies,
    const std::vector<std::shared_ptr<const ResolvedMutation>>& resolved,
    const AlsoWrite& also, const std::vector<v1::ConflictRecord>& closes) {
  if (!policies.empty() && policies.size() != mutations.size()) {
    return absl::InternalError("one write policy per mutation expected");
  }
  if (!resolved.empty() && resolved.size() != mutations.size()) {
    return absl::InternalError("one resolution per mutation expected");
  }
  absl::MutexLock lock(&write_mu_);
  {
    absl::MutexLock committed(&commit_mu_);
    FS_RETURN_IF_ERROR(failed_);
  }
  // Groups committed since are in the store now: read it instead.
  DropCommittedLocked();
  PreparedPush prepared;
  auto own = std::make_shared<GroupWrites>();
  WriteSet writes;
  BatchView view(options_.store, pending_, *own, writes);
  GroupCells cells;
  v1::PushResponse& response = prepared.response_;
  uint64_t sequence = last_sequence_;
  uint64_t catalogue_change = last_catalogue_change_;
  const int64_t now = options_.clock->NowMicros();
  // Changed only under `write_mu_`, which this group holds.
  const std::shared_ptr<const AreaTree> areas = this->areas();
  MergeContext context{.sequence = 0,
                       .server_time_micros = now,
                       .areas = areas.get(),
                       .locked_years = &options_.locked_years,
                       .arena = own->arena.get()};

  // The slots the group's decisions free, if they are written.
  ReviewCredit credit;
  for (const v1::ConflictRecord& closed : closes) {
    FS_ASSIGN_OR_RETURN(const std::optional<bool> open,
                        view.ReviewOpen(closed.id()));
    if (!open.value_or(false) || !closed.resolved()) continue;
    ++credit[OpenReviewsOfDeviceKey(closed.device_id())];
    ++credit[OpenReviewsOfDocKey(closed.key())];
  }

  // Devices one of whose mutations this group did not take: their later
  // ones wait too, to be sent again in order.
  absl::flat_hash_set<std::string> not_taken;
  // Every stored document the group touches, in one batched read: most
  // are new reports, which the store then rules out a block at a time
  // instead of one lookup each.
  std::vector<std::optional<std::string>> stored;
  {
    std::vector<std::string_view> keys;  // views of the mutations' keys
    keys.reserve(mutations.size());
    for (const v1::Mutation& m : mutations) keys.push_back(m.key());
    FS_ASSIGN_OR_RETURN(stored, options_.store->GetDocsBytes(keys));
  }

  for (size_t i = 0; i < mutations.size(); ++i) {
    v1::Mutation& m = mutations[i];
    context.policy = policies.empty() ? nullptr : policies[i];
    if (context.policy != nullptr) m.set_authority(context.policy->authority);
    v1::MutationResult* result = response.add_results();
    FS_ASSIGN_OR_RETURN(uint64_t last_seq, view.DeviceSeq(m.device_id()));
    const uint64_t expected = last_seq + 1;
    if (m.device_id().empty() || m.mutation_seq() == 0) {
      *result = NotTaken(m, v1::MUTATION_REASON_OUT_OF_ORDER, expected);
      result->set_reason(
          "a mutation needs a device_id and a mutation_seq >= 1");
    } else if (not_taken.contains(m.device_id())) {
      // Taking a later one would apply the device's edits out of order.
      *result = NotTaken(m, v1::MUTATION_REASON_OUT_OF_ORDER, expected);
    } else if (m.mutation_seq() <= last_seq) {
      FS_ASSIGN_OR_RETURN(std::optional<v1::MutationResult> original,
                          view.Result(m.device_id(), m.mutation_seq()));
      // A result kept before digests (0) cannot tell: a duplicate, as then.
      if (original.has_value() && original->mutation_digest() != 0 &&
          original->mutation_digest() != MutationDigest(m)) {
        *result = NotTaken(m, v1::MUTATION_REASON_SEQ_REUSED, expected);
        not_taken.insert(m.device_id());
      } else {
        if (original.has_value()) *result = *original;
        result->clear_mutation_digest();
        result->set_original_outcome(result->outcome());
        result->set_outcome(v1::MUTATION_OUTCOME_DUPLICATE);
      }
    } else if (m.mutation_seq() > expected) {
      *result = NotTaken(m, v1::MUTATION_REASON_OUT_OF_ORDER, expected);
      not_taken.insert(m.device_id());
    } else {
      const uint64_t digest = MutationDigest(m);
      context.sequence = ++sequence;
      FS_ASSIGN_OR_RETURN(DocPtr current, view.Doc(m.key(), stored[i]));
      DocPtr base;
      if (current != nullptr && m.base_version() > 0 &&
          m.base_version() < current->version()) {
        FS_ASSIGN_OR_RETURN(base, view.DocAt(m.key(), m.base_version()));
      }
      MergeOutcome merged =
          Merge({.current = current.get(), .base = base.get()}, m, context,
                resolved.empty() ? nullptr : resolved[i].get());
      if (merged.conflict.has_value()) {
        FS_RETURN_IF_ERROR(OpenReviewOrRefuse(view, *own, writes,
                                              options_.review_limits, credit,
                                              current.get(), merged));
      }
      *result = merged.result;
      // Kept with the stored result only: answers do not carry it.
      merged.result.set_mutation_digest(digest);
      own->PutResult(merged.result, writes.results().size());
      writes.PutResult(merged.result);
      if (merged.document.has_value()) {
        if (!merged.document->has_report() &&
            !merged.document->has_proposal()) {
          catalogue_change = context.sequence;
        }
        // On the group's arena: shares its lifetime, freed with it.
        DocPtr doc(own->arena, merged.document.get());
        // The history gets the state this one replaces, not this one: a
        // new document costs one record fewer (docs/storage-format.md).
        if (current != nullptr) writes.PutHistory(current);
        if (options_.aggregates) cells.Record(current.get(), *doc);
        for (const std::string& scope : doc->scopes()) {
          writes.PutScopeLog({scope, doc->version(), doc->key()});
        }
        writes.PutCurrentDoc(doc);
        own->PutDoc(std::move(doc));
      }
      v1::LogEntry entry;
      entry.set_sequence(context.sequence);
      entry.set_key(m.key());
      *entry.mutable_result() = std::move(merged.result);
      *entry.mutable_mutation() = std::move(m);  // not used after this
      entry.set_server_time_micros(now);
      writes.PutLog(std::move(entry));
      if (merged.conflict.has_value()) writes.PutConflict(*merged.conflict);
    }
    CountOutcome(*response.mutable_summary(), result->outcome());
  }

  if (sequence != last_sequence_) {
    writes.PutMeta(std::string(kLastSequenceMetaKey), SequenceKey(sequence));
  }
  if (!cells.empty()) {
    std::vector<const CellMap*> earlier;
    for (const auto& group : pending_) earlier.push_back(&group->cells);
    FS_ASSIGN_OR_RETURN(
        const uint64_t mismatches,
        cells.Apply(*options_.store, cells_, earlier, own->cells));
    aggregate_mismatches_ += mismatches;
    // The cache keeps the cells' newest state, so that the next groups
    // read them from memory instead of the store; bounded by starting
    // again when full (a group larger than the cache is not kept).
    if (cells_.size() + own->cells.size() > options_.max_cached_cells) {
      cells_.clear();
    }
    const bool cache = own->cells.size() <= options_.max_cached_cells;
    // In key order: the store then inserts each cell next to the one before
    // of its period instead of searching its memtable from the top
    // (rocksdb_store.cc).
    std::vector<const CellMap::value_type*> ordered;
    ordered.reserve(own->cells.size());
    for (const auto& entry : own->cells) ordered.push_back(&entry);
    std::sort(ordered.begin(), ordered.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const CellMap::value_type* entry : ordered) {
      writes.PutAggregate(entry->first, entry->second);
      if (cache) cells_[entry->first] = entry->second;
    }
  }
  const size_t merged_reviews = writes.conflicts().size();
  if (response.summary().rejected() == 0) {
    for (const v1::ConflictRecord& closed : closes) writes.PutConflict(closed);
  }
  if (also) also(response, writes);
  for (size_t i = merged_reviews; i < writes.conflicts().size(); ++i) {
    FS_RETURN_IF_ERROR(
        CountReviewWritten(view, *own, writes, writes.conflicts()[i]));
  }
  // The counts of open review items, in the batch that moves them.
  for (const auto& [key, count] : own->open_reviews) {
    if (count == 0) {
      writes.DeleteMeta(key);
    } else {
      writes.PutMeta(key, SequenceKey(count));
    }
  }
  // Encoded here, so the committing thread only writes.
  if (!writes.empty()) prepared.write_ = options_.store->PrepareWrite(writes);
  own->results = writes.TakeResults();
  last_sequence_ = sequence;
  last_catalogue_change_ = catalogue_change;
  prepared.last_sequence_ = sequence;
  prepared.catalogue_change_ = catalogue_change;
  prepared.group_ = ++prepared_groups_;
  pending_.push_back(std::move(own));
  return prepared;
}

}  // namespace fieldsync
