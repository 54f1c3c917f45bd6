// The merge and conflict rules (DESIGN.md "Conflicts"): a pure function from
// the stored document, the document as the writer last saw it, and one
// mutation, to the result, the new document and any review record. No I/O,
// no clock reads: the server time and sequence come in the context.
//
// Rules, per field path:
//  - unchanged since the writer's base version: the new value applies;
//  - changed since by someone else, to the same value: nothing to do;
//  - changed since, to another value: the higher authority wins (province >
//    district > commune); between equals the value that reached the server
//    first stays. The losing value is kept in a ConflictRecord beside the
//    base value, for review. Device clocks never decide.
// A stale mutation whose fields nobody else touched merges cleanly. Status
// fields follow status_rules.h. Deleting a model archives it; a delete that
// meets a concurrent edit (or an edit that meets a delete) goes to review.
// Writes to an accepted report or a locked year become amendments: in a
// locked year, so do new reports and a report moved into it (its period
// changed); the province alone writes a locked year directly.
#ifndef FIELDSYNC_SYNC_MERGE_H_
#define FIELDSYNC_SYNC_MERGE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "fieldsync/v1/document.pb.h"
#include "fieldsync/v1/replication.pb.h"
#include "fieldsync/v1/sync.pb.h"
#include "google/protobuf/arena.h"
#include "sync/access.h"
#include "sync/area_tree.h"

namespace fieldsync {

struct MergeContext {
  // The server sequence number this mutation takes.
  uint64_t sequence = 0;
  // The server's clock, for the clock-skew flag only.
  int64_t server_time_micros = 0;
  // The area hierarchy, for scopes and area checks. Required.
  const AreaTree* areas = nullptr;
  // Years ("2025") the province has locked; may be null.
  const absl::flat_hash_set<std::string>* locked_years = nullptr;
  // What the caller may write; null: anything (the server itself).
  const WritePolicy* policy = nullptr;
  // Where new documents are made; null: the heap. A server merging a
  // group of thousands of mutations frees them all at once with the arena
  // instead of one field at a time.
  google::protobuf::Arena* arena = nullptr;
};

struct MergeInput {
  // The document as stored now; nullptr if there is none.
  const v1::Document* current = nullptr;
  // The document as of the mutation's base_version; nullptr if none.
  const v1::Document* base = nullptr;
};

// The document a merge made, if any: on MergeContext::arena when there is
// one (it lives as long as the arena), else owned here. Reads like a
// std::optional<v1::Document>.
class MergedDocument {
 public:
  bool has_value() const { return doc_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  v1::Document& operator*() const { return *doc_; }
  v1::Document* operator->() const { return doc_; }
  v1::Document* get() const { return doc_; }
  void reset() {
    doc_ = nullptr;
    owned_.reset();
  }
  // A new empty document, on `arena` unless it is null.
  v1::Document& Emplace(google::protobuf::Arena* arena);

 private:
  v1::Document* doc_ = nullptr;
  std::unique_ptr<v1::Document> owned_;  // when not on an arena
};

struct MergeOutcome {
  v1::MutationResult result;
  // The document's new state, when the mutation changed it.
  MergedDocument document;
  // A review-queue item, when one was made.
  std::optional<v1::ConflictRecord> conflict;
};

// What a merge learns from a mutation alone: its key, and its field values
// parsed and checked. That needs no stored state, so a server works it out
// on its network threads before the single writer merges (Resolve); Merge
// works it out itself when given none, or one made for another authority.
class ResolvedMutation;
std::shared_ptr<const ResolvedMutation> Resolve(const v1::Mutation& mutation);

// `resolved`, when given, is Resolve(mutation) made earlier.
MergeOutcome Merge(const MergeInput& input, const v1::Mutation& mutation,
                   const MergeContext& context,
                   const ResolvedMutation* resolved = nullptr);

// True if a device time is too far from the server's to be plausible
// (tuning.h). Recorded on the result; never used to pick a winner.
bool ClockSkewed(int64_t device_time_micros, int64_t server_time_micros);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_MERGE_H_
