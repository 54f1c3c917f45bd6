#include "sync/merge.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sync/merge_checks.h"
#include "sync/mutation_reason.h"
#include "sync/scopes.h"
#include "sync/tuning.h"

namespace fieldsync {

using merge_internal::ResolvedSet;

v1::Document& MergedDocument::Emplace(google::protobuf::Arena* arena) {
  reset();
  if (arena != nullptr) {
    doc_ = google::protobuf::Arena::CreateMessage<v1::Document>(arena);
  } else {
    owned_ = std::make_unique<v1::Document>();
    doc_ = owned_.get();
  }
  return *doc_;
}

class ResolvedMutation {
 public:
  explicit ResolvedMutation(const v1::Mutation& m)
      : key(ParseDocKey(m.key())),
        authority(m.authority()),
        set_count(m.sets_size()),
        sets(absl::FailedPreconditionError("not resolved")) {
    if (key.ok() && IsReplicatedKind(key->kind)) {
      sets = merge_internal::ResolveMutation(m, key->kind);
    }
  }

  absl::StatusOr<ParsedKey> key;
  v1::Authority authority;
  // The sets refer to the mutation's by index (merge_checks.h).
  int set_count;
  // Only for a key of a replicated kind, which is all Merge resolves.
  absl::StatusOr<std::vector<ResolvedSet>> sets;
};

std::shared_ptr<const ResolvedMutation> Resolve(const v1::Mutation& mutation) {
  return std::make_shared<const ResolvedMutation>(mutation);
}

namespace {

template <typename Map, typename Value>
Value Lookup(const Map& map, const std::string& key, Value fallback) {
  auto it = map.find(key);
  return it == map.end() ? fallback : static_cast<Value>(it->second);
}

// The value at `ref` in `doc`'s body; "" when the document or field is unset.
std::string ValueIn(const v1::Document* doc, const FieldRef& ref) {
  if (doc == nullptr) return "";
  const google::protobuf::Message* body = Body(*doc);
  return body == nullptr ? "" : ExtractValue(*body, ref);
}

class Merger {
 public:
  Merger(const MergeInput& input, const v1::Mutation& mutation,
         const MergeContext& context, const ResolvedMutation* resolved)
      : in_(input),
        m_(mutation),
        ctx_(context),
        // One resolved for another authority, or for other sets, is worked
        // out again.
        resolved_(resolved != nullptr &&
                          resolved->authority == mutation.authority() &&
                          resolved->set_count == mutation.sets_size()
                      ? resolved
                      : nullptr) {
    out_.result.set_device_id(m_.device_id());
    out_.result.set_mutation_seq(m_.mutation_seq());
    out_.result.set_sequence(ctx_.sequence);
    out_.result.set_clock_skew(
        ClockSkewed(m_.device_time_micros(), ctx_.server_time_micros));
  }

  MergeOutcome Run() {
    absl::StatusOr<ParsedKey> key =
        resolved_ != nullptr ? resolved_->key : ParseDocKey(m_.key());
    if (!key.ok()) {
      return Reject(key.status(), v1::MUTATION_REASON_INVALID_MUTATION);
    }
    kind_ = key->kind;
    id_ = key->id;
    if (ctx_.policy != nullptr && !ctx_.policy->may_write) {
      return Reject(v1::MUTATION_REASON_AUTHORITY,
                    "this role reads but does not write");
    }
    if (!IsReplicatedKind(kind_)) {
      return Reject(
          v1::MUTATION_REASON_INVALID_MUTATION,
          absl::StrCat(m_.key(), ": this kind is changed by the server only"));
    }
    // An id naming an area outside the caller's is refused before anything
    // else, alike whether the document exists or not (access.h).
    if (ctx_.policy != nullptr) {
      if (absl::Status s = CheckWriteKey(*ctx_.policy, m_.key(), *ctx_.areas);
          !s.ok()) {
        return RejectUnseen(s);
      }
    }
    if (resolved_ != nullptr) {
      if (!resolved_->sets.ok()) {
        return Reject(resolved_->sets.status(),
                      v1::MUTATION_REASON_INVALID_MUTATION);
      }
      sets_ = &*resolved_->sets;
    } else {
      absl::StatusOr<std::vector<ResolvedSet>> sets =
          merge_internal::ResolveMutation(m_, kind_);
      if (!sets.ok()) {
        return Reject(sets.status(), v1::MUTATION_REASON_INVALID_MUTATION);
      }
      own_sets_ = *std::move(sets);
    }

    const v1::Document* cur = in_.current;
    // Nothing outside the caller's scopes is touched, not even the review
    // queue.
    if (cur != nullptr) {
      if (absl::Status s = Allowed(cur, *cur); !s.ok()) {
        return RejectUnseen(s);
      }
    }
    if (cur == nullptr) {
      if (m_.delete_() || m_.base_version() != 0) {
        return Reject(v1::MUTATION_REASON_UNKNOWN_BASE,
                      absl::StrCat("no document ", m_.key(), " (base_version ",
                                   m_.base_version(), ")"));
      }
      return Create();
    }
    if (m_.base_version() > cur->version()) {
      return Reject(v1::MUTATION_REASON_UNKNOWN_BASE,
                    absl::StrCat("base_version ", m_.base_version(),
                                 " is newer than document ", m_.key(),
                                 " (version ", cur->version(), ")"));
    }
    const bool stale = m_.base_version() < cur->version();
    if (cur->deleted()) {
      if (m_.delete_()) return Done(v1::MUTATION_OUTCOME_MERGED, "");
      if (!stale) {
        return Reject(v1::MUTATION_REASON_DOCUMENT_DELETED,
                      absl::StrCat(m_.key(), " is deleted"));
      }
      return Review(v1::CONFLICT_KIND_DELETE_VS_EDIT,
                    {.code = v1::MUTATION_REASON_DELETE_CONFLICT,
                     .why = absl::StrCat("an edit of ", m_.key(),
                                         " met its deletion: kept for review")},
                    v1::MUTATION_OUTCOME_CONFLICT);
    }
    if (merge_internal::ReviewCause locked =
            merge_internal::LockReason(*cur, *sets_, m_, ctx_)) {
      return Review(v1::CONFLICT_KIND_AMENDMENT, std::move(locked),
                    v1::MUTATION_OUTCOME_AMENDMENT);
    }
    if (m_.delete_()) {
      if (kind_ == DocKind::kModel) return Archive();
      if (stale) {
        return Review(
            v1::CONFLICT_KIND_DELETE_VS_EDIT,
            {.code = v1::MUTATION_REASON_DELETE_CONFLICT,
             .why = absl::StrCat("the delete of ", m_.key(),
                                 " met a concurrent edit: kept for review")},
            v1::MUTATION_OUTCOME_CONFLICT);
      }
      v1::Document& next = out_.document.Emplace(ctx_.arena);
      next = *cur;
      next.set_deleted(true);
      Finish(next);
      return Done(v1::MUTATION_OUTCOME_APPLIED, "");
    }
    return Edit(stale);
  }

 private:
  MergeOutcome Reject(v1::MutationReason code, absl::string_view why) {
    out_.result.set_outcome(v1::MUTATION_OUTCOME_REJECTED);
    out_.result.set_reason_code(code);
    out_.result.set_reason(std::string(why));
    out_.result.set_version(in_.current ? in_.current->version() : 0);
    out_.document.reset();
    out_.conflict.reset();
    return std::move(out_);
  }

  // A refusal by a check: the reason it attached (mutation_reason.h), or
  // `fallback`.
  MergeOutcome Reject(const absl::Status& refused,
                      v1::MutationReason fallback) {
    return Reject(MutationReasonOf(refused, fallback), refused.message());
  }

  // A refusal that tells nothing of the stored document: not its version.
  MergeOutcome RejectUnseen(const absl::Status& refused) {
    MergeOutcome out = Reject(refused, v1::MUTATION_REASON_OUTSIDE_SCOPE);
    out.result.set_version(0);
    return out;
  }

  MergeOutcome Done(v1::MutationOutcome outcome, std::string reason) {
    out_.result.set_outcome(outcome);
    out_.result.set_reason(std::move(reason));
    out_.result.set_version(out_.document ? out_.document->version()
                            : in_.current ? in_.current->version()
                                          : 0);
    return std::move(out_);
  }

  v1::ConflictRecord NewRecord(v1::ConflictKind kind) const {
    v1::ConflictRecord record;
    record.set_id(ctx_.sequence);
    record.set_kind(kind);
    record.set_server_time_micros(ctx_.server_time_micros);
    record.set_key(m_.key());
    if (in_.current != nullptr) {
      for (const std::string& s : in_.current->scopes()) record.add_scopes(s);
      record.set_current_version(in_.current->version());
    }
    record.set_device_id(m_.device_id());
    record.set_mutation_seq(m_.mutation_seq());
    record.set_author(m_.author());
    record.set_authority(m_.authority());
    record.set_device_time_micros(m_.device_time_micros());
    record.set_base_version(m_.base_version());
    record.set_delete_(m_.delete_());
    return record;
  }

  // The mutation does not take effect; its values wait in the review queue
  // (of `made`'s scopes, for a document the mutation would have made).
  MergeOutcome Review(v1::ConflictKind kind, merge_internal::ReviewCause cause,
                      v1::MutationOutcome outcome,
                      const v1::Document* made = nullptr) {
    out_.document.reset();
    v1::ConflictRecord record = NewRecord(kind);
    if (made != nullptr) {
      for (const std::string& s : made->scopes()) record.add_scopes(s);
    }
    for (const ResolvedSet& set : *sets_) {
      v1::ConflictValue* value = record.add_values();
      value->set_path(Path(set));
      value->set_base_value(ValueIn(in_.base, set.ref));
      value->set_current_value(ValueIn(in_.current, set.ref));
      value->set_losing_value(Value(set));
      value->set_losing_sequence(ctx_.sequence);
    }
    out_.conflict = std::move(record);
    out_.result.set_reason_code(cause.code);
    return Done(outcome, std::move(cause.why));
  }

  MergeOutcome Create() {
    v1::Document& doc = out_.document.Emplace(ctx_.arena);
    doc.set_key(m_.key());
    doc.set_version(ctx_.sequence);
    google::protobuf::Message* body = MutableBody(doc, kind_);
    for (const ResolvedSet& set : *sets_) {
      ApplyParsed(*body, set.ref, Value(set), set.parsed.get());
      (*doc.mutable_field_versions())[Path(set)] = ctx_.sequence;
      (*doc.mutable_field_authorities())[Path(set)] = m_.authority();
    }
    SetId(doc);
    if (kind_ == DocKind::kReport &&
        doc.report().status() == v1::REPORT_STATUS_UNSPECIFIED) {
      doc.mutable_report()->set_status(v1::REPORT_STATUS_DRAFT);
    }
    if (absl::Status s = Check(nullptr, doc); !s.ok()) {
      return Reject(s, v1::MUTATION_REASON_INVALID_VALUE);
    }
    // A new report for a locked year is an amendment like any other change
    // to that year: it waits in the queue of the area it is for.
    if (merge_internal::ReviewCause locked =
            merge_internal::YearLockReason(doc, m_, ctx_)) {
      const v1::Document made = doc;
      return Review(v1::CONFLICT_KIND_AMENDMENT, std::move(locked),
                    v1::MUTATION_OUTCOME_AMENDMENT, &made);
    }
    Finish(doc);
    return Done(v1::MUTATION_OUTCOME_APPLIED, "");
  }

  // Deleting a catalogue model archives it: a status change like any other.
  MergeOutcome Archive() {
    v1::Document archived;
    archived.mutable_model()->set_status(v1::MODEL_STATUS_ARCHIVED);
    absl::StatusOr<FieldRef> ref =
        ResolvePath(BodyType(DocKind::kModel), "status");
    std::string value = ExtractValue(archived.model(), *ref);
    auto parsed = ParseValue(archived.model(), *ref, value);
    own_sets_ = {{.ref = *ref,
                  .parsed = std::move(*parsed),
                  .own_path = "status",
                  .own_value = std::move(value)}};
    sets_ = &own_sets_;
    return Edit(m_.base_version() < in_.current->version());
  }

  MergeOutcome Edit(bool stale) {
    const v1::Document& cur = *in_.current;
    v1::Document& next = out_.document.Emplace(ctx_.arena);
    next = cur;
    google::protobuf::Message* body = MutableBody(next, kind_);
    v1::ConflictRecord record = NewRecord(v1::CONFLICT_KIND_FIELD);
    bool changed = false;
    std::vector<std::string> conflicted;
    for (const ResolvedSet& set : *sets_) {
      const uint64_t set_at = Lookup(cur.field_versions(), Path(set), 0ull);
      const std::string now = ValueIn(&cur, set.ref);
      const bool own_change = WriterOf(cur, Path(set)) == m_.device_id();
      if (set_at <= m_.base_version() || own_change || now == Value(set)) {
        // Nobody else changed it since the writer's view (the writer's own
        // earlier edits are in its view), or they agree.
        if (now != Value(set)) {
          Set(next, *body, set);
          changed = true;
        }
        continue;
      }
      const v1::Authority holder =
          Lookup(cur.field_authorities(), Path(set), v1::AUTHORITY_UNSPECIFIED);
      v1::ConflictValue* value = record.add_values();
      value->set_path(Path(set));
      value->set_base_value(ValueIn(in_.base, set.ref));
      conflicted.push_back(Path(set));
      if (m_.authority() > holder) {
        Set(next, *body, set);
        changed = true;
        value->set_current_value(Value(set));
        value->set_losing_value(now);
        value->set_losing_sequence(set_at);
        value->set_incoming_won(true);
      } else {
        value->set_current_value(now);
        value->set_losing_value(Value(set));
        value->set_losing_sequence(ctx_.sequence);
      }
    }
    if (absl::Status s = Check(&cur, next); !s.ok()) {
      return Reject(s, v1::MUTATION_REASON_INVALID_VALUE);
    }
    // Moving a report into a locked year is an amendment too (a report
    // already in one never gets here: LockReason).
    if (changed && kind_ == DocKind::kReport &&
        next.report().period() != cur.report().period()) {
      if (merge_internal::ReviewCause locked =
              merge_internal::YearLockReason(next, m_, ctx_)) {
        return Review(v1::CONFLICT_KIND_AMENDMENT, std::move(locked),
                      v1::MUTATION_OUTCOME_AMENDMENT);
      }
    }
    if (changed) {
      Finish(next);
    } else {
      out_.document.reset();  // nothing to write
    }
    if (!conflicted.empty()) {
      out_.conflict = std::move(record);
      out_.result.set_reason_code(v1::MUTATION_REASON_FIELD_CONFLICT);
      for (const std::string& path : conflicted) {
        out_.result.add_conflicting_paths(path);
      }
      return Done(v1::MUTATION_OUTCOME_CONFLICT,
                  absl::StrCat(
                      "changed concurrently: ", absl::StrJoin(conflicted, ", "),
                      "; the other value is kept for review"));
    }
    return Done(
        stale ? v1::MUTATION_OUTCOME_MERGED : v1::MUTATION_OUTCOME_APPLIED, "");
  }

  void Set(v1::Document& next, google::protobuf::Message& body,
           const ResolvedSet& set) {
    ApplyParsed(body, set.ref, Value(set), set.parsed.get());
    (*next.mutable_field_versions())[Path(set)] = ctx_.sequence;
    (*next.mutable_field_authorities())[Path(set)] = m_.authority();
  }

  // Checks the new state `after`, and gives it its scopes (which Finish
  // keeps): the scopes of the new state decide too, so a report moved to
  // another commune leaves the writer's reach.
  absl::Status Check(const v1::Document* before, v1::Document& after) {
    absl::Status s =
        merge_internal::CheckStatusChange(kind_, before, after, m_.authority());
    if (!s.ok()) return s;
    s = merge_internal::CheckDocument(kind_, before, after, m_.authority(),
                                      ctx_);
    if (!s.ok()) return s;
    after.clear_scopes();
    for (std::string& scope : ScopesOf(after, *ctx_.areas)) {
      after.add_scopes(std::move(scope));
    }
    return Allowed(before, after);
  }

  absl::Status Allowed(const v1::Document* before, const v1::Document& after) {
    if (ctx_.policy == nullptr) return absl::OkStatus();
    return CheckWrite(*ctx_.policy, kind_, before, after);
  }

  // The body's own id field, where it has one, always equals the key's.
  void SetId(v1::Document& doc) {
    if (doc.has_report()) doc.mutable_report()->set_id(id_);
    if (doc.has_proposal()) doc.mutable_proposal()->set_id(id_);
    if (doc.has_model()) doc.mutable_model()->set_id(id_);
  }

  // The device that last set `path` in `doc`: named in field_writers, or
  // implied by the version's own change when that change set the field;
  // "" when not known (the loaded catalogue).
  static std::string WriterOf(const v1::Document& doc,
                              const std::string& path) {
    auto named = doc.field_writers().find(path);
    if (named != doc.field_writers().end()) return named->second;
    if (doc.has_change() &&
        Lookup(doc.field_versions(), path, 0ull) == doc.version()) {
      return doc.change().device_id();
    }
    return "";
  }

  // `doc` passed Check, which set its scopes.
  void Finish(v1::Document& doc) {
    // field_writers names only writers the new change does not imply: those
    // of fields set by earlier changes. A report one tablet wrote carries
    // none, which keeps every pulled document small.
    auto& writers = *doc.mutable_field_writers();
    for (const auto& [path, set_at] : doc.field_versions()) {
      if (set_at == ctx_.sequence) {
        writers.erase(path);
      } else if (in_.current != nullptr && !writers.contains(path)) {
        std::string writer = WriterOf(*in_.current, path);
        if (!writer.empty()) writers[path] = std::move(writer);
      }
    }
    doc.set_version(ctx_.sequence);
    v1::Change& change = *doc.mutable_change();
    change.set_device_id(m_.device_id());
    change.set_author(m_.author());
    change.set_server_time_micros(ctx_.server_time_micros);
    change.set_mutation_seq(m_.mutation_seq());
  }

  const std::string& Path(const ResolvedSet& set) const {
    return PathOf(set, m_);
  }
  const std::string& Value(const ResolvedSet& set) const {
    return ValueOf(set, m_);
  }

  const MergeInput& in_;
  const v1::Mutation& m_;
  const MergeContext& ctx_;
  MergeOutcome out_;
  DocKind kind_ = DocKind::kReport;
  std::string id_;
  const ResolvedMutation* const resolved_;
  // The sets: resolved_'s, or own_sets_.
  std::vector<ResolvedSet> own_sets_;
  const std::vector<ResolvedSet>* sets_ = &own_sets_;
};

}  // namespace

bool ClockSkewed(int64_t device_time_micros, int64_t server_time_micros) {
  return device_time_micros >
             server_time_micros + tuning::kMaxClockAheadMicros ||
         device_time_micros <
             server_time_micros - tuning::kMaxClockBehindMicros;
}

MergeOutcome Merge(const MergeInput& input, const v1::Mutation& mutation,
                   const MergeContext& context,
                   const ResolvedMutation* resolved) {
  return Merger(input, mutation, context, resolved).Run();
}

}  // namespace fieldsync
