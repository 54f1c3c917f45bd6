#include "server/review_admin.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/page_token.h"
#include "server/visible_doc.h"
#include "sync/access.h"
#include "sync/doc_kind.h"
#include "sync/field_error.h"
#include "sync/field_path.h"
#include "sync/keys.h"
#include "sync/mutation_reason.h"
#include "sync/review_bounds.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

bool Visible(const Caller& caller, const v1::ConflictRecord& record) {
  return MayRead(caller.read_scopes, record.scopes());
}

std::string Quoted(const std::string& text) {
  return absl::StrCat("\"", text, "\"");
}

// The district an area is in (itself for a district).
std::string DistrictOf(const AreaTree& areas, const std::string& area_id) {
  for (const v1::Area* area : areas.Ancestry(area_id)) {
    if (area->level() == v1::AREA_LEVEL_DISTRICT) return area->id();
  }
  return area_id;
}

// The outcome of a decision's mutation of `key` as a status: refusals name
// why, with the result's code as their reason.
absl::Status Refused(const v1::MutationResult& result, const std::string& key) {
  if (result.outcome() == v1::MUTATION_OUTCOME_REJECTED) {
    return RefusedWrite(result, key);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Document> ReviewAdmin::Load(std::string_view kind,
                                               const std::string& id,
                                               std::string_view field) const {
  if (id.empty()) return InvalidFieldError(field, "is required");
  absl::StatusOr<std::optional<v1::Document>> doc =
      store_->GetDoc(DocKey(kind, id));
  if (!doc.ok()) return doc.status();
  if (!doc->has_value() || (*doc)->deleted()) {
    return FieldError(absl::StatusCode::kNotFound, field,
                      absl::StrCat("no ", std::string(kind), " ", Quoted(id)));
  }
  return **doc;
}

namespace {

// NotFound naming the item: a missing one, and as well one outside the
// caller's scopes, which must not be told apart from it.
absl::Status NoReviewItem(uint64_t id) {
  return FieldError(absl::StatusCode::kNotFound, "id",
                    absl::StrCat("no review item ", id));
}

}  // namespace

absl::StatusOr<v1::ConflictRecord> ReviewAdmin::FindConflict(
    uint64_t id) const {
  if (id == 0) return NoReviewItem(id);
  // A seek to the item, not a scan of the queue before it.
  std::optional<v1::ConflictRecord> found;
  absl::Status scanned =
      store_->ScanConflictsAfter(id - 1, [&](const v1::ConflictRecord& record) {
        if (record.id() == id) found = record;
        return false;
      });
  if (!scanned.ok()) return scanned;
  if (!found.has_value()) return NoReviewItem(id);
  return *found;
}

absl::StatusOr<v1::ListConflictsResponse> ReviewAdmin::List(
    const Caller& caller, const v1::ListConflictsRequest& request) const {
  absl::StatusOr<int> page_size =
      PageSizeOf(request.page_size(), tuning::kDefaultReviewPageSize,
                 tuning::kMaxReviewPageSize);
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<PageStart> start = PageStartOf(request);
  if (!start.ok()) return start.status();
  uint64_t after = 0;
  if (!start->after.empty() && !absl::SimpleAtoi(start->after, &after)) {
    return InvalidFieldError("page_token", "is not a page of this list");
  }
  v1::ListConflictsResponse out;
  // The counts cover the caller's whole queue, on the first page only:
  // read from the index of open items of each of its scopes
  // (review_bounds.h), never from the queue, an item in two of them once.
  if (start->after.empty()) {
    absl::flat_hash_set<uint64_t> counted;
    for (const std::string& scope : caller.read_scopes) {
      absl::Status scanned =
          ScanOpenReviews(*store_, scope, [&](const OpenReview& item) {
            if (!counted.insert(item.id).second) return true;
            ++(*out.mutable_open_by_kind())[v1::ConflictKind_Name(item.kind)];
            if (out.oldest_open_micros() == 0 ||
                item.server_time_micros < out.oldest_open_micros()) {
              out.set_oldest_open_micros(item.server_time_micros);
            }
            return true;
          });
      if (!scanned.ok()) return scanned;
    }
  }
  // A page goes on from the token's item, reading at most so many, and
  // holding at most so many bytes.
  int read = 0;
  size_t bytes = 0;
  uint64_t last = after;
  bool more = false;
  absl::Status scanned =
      store_->ScanConflictsAfter(after, [&](const v1::ConflictRecord& record) {
        if (out.conflicts_size() == *page_size ||
            read == tuning::kMaxReviewItemsReadPerPage ||
            bytes >= tuning::kMaxListPageBytes) {
          more = true;
          return false;
        }
        ++read;
        last = record.id();
        const bool wanted =
            Visible(caller, record) &&
            (request.key().empty() || record.key() == request.key()) &&
            (request.include_resolved() || !record.resolved());
        if (wanted) {
          *out.add_conflicts() = record;
          bytes += record.ByteSizeLong();
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (more) out.set_next_page_token(NextPageToken(*start, absl::StrCat(last)));
  return out;
}

absl::StatusOr<v1::ResolveConflictResponse> ReviewAdmin::Resolve(
    const Caller& caller, const v1::ResolveConflictRequest& request) {
  absl::StatusOr<v1::ConflictRecord> record = FindConflict(request.id());
  if (!record.ok()) return record.status();
  // An item outside the caller's scopes reads exactly as a missing one;
  // only the audit trail says which it was.
  if (!Visible(caller, *record)) {
    AuditOutOfScope(*audit_, caller, "ResolveConflict", record->key(),
                    absl::StrCat("review item ", request.id()));
    return NoReviewItem(request.id());
  }
  if (record->resolved()) {
    return FieldError(
        absl::StatusCode::kFailedPrecondition, "id",
        absl::StrCat("review item ", request.id(), " was resolved already (",
                     record->resolution(), " by ", record->resolved_by(), ")"));
  }
  if (request.resolution() == v1::RESOLUTION_UNSPECIFIED) {
    return InvalidFieldError("resolution",
                             "choose KEEP_CURRENT, TAKE_WAITING or NEW_VALUE");
  }
  std::vector<v1::FieldSet> sets;
  for (const auto& [path, value] : request.values()) {
    const bool known = std::any_of(
        record->values().begin(), record->values().end(),
        // Named in the capture: clang before 16 cannot capture a structured
        // binding, and clang-tidy and the thread-safety pass are clang 14.
        [&path = path](const v1::ConflictValue& v) {
          return v.path() == path;
        });
    if (!known || request.resolution() != v1::RESOLUTION_NEW_VALUE) {
      return InvalidFieldError(
          absl::StrCat("values[", path, "]"),
          known ? "values go with RESOLUTION_NEW_VALUE only"
                : absl::StrCat("is not a field of review item ", request.id()));
    }
  }
  for (const v1::ConflictValue& v : record->values()) {
    v1::FieldSet set;
    set.set_path(v.path());
    switch (request.resolution()) {
      case v1::RESOLUTION_KEEP_CURRENT:
        set.set_value(v.current_value());
        break;
      case v1::RESOLUTION_TAKE_WAITING:
        set.set_value(v.losing_value());
        break;
      default: {
        auto it = request.values().find(v.path());
        if (it == request.values().end()) {
          return InvalidFieldError(absl::StrCat("values[", v.path(), "]"),
                                   "a new value is needed for every field");
        }
        set.set_value(it->second);
      }
    }
    sets.push_back(std::move(set));
  }
  absl::StatusOr<std::optional<v1::Document>> current =
      store_->GetDoc(record->key());
  if (!current.ok()) return current.status();
  const uint64_t base = current->has_value() ? (*current)->version() : 0;
  const bool take_delete =
      record->delete_() && request.resolution() == v1::RESOLUTION_TAKE_WAITING;
  // The decision is a mutation, so tablets receive the value decided; the
  // item is closed and the decision audited in the same batch, unless the
  // merge refuses it.
  record->set_resolved(true);
  record->set_resolved_by(caller.name.empty() ? caller.device_id : caller.name);
  record->set_resolution(v1::Resolution_Name(request.resolution()));
  record->set_resolution_comment(request.comment());
  absl::StatusOr<std::vector<v1::MutationResult>> results = writer_->WriteAll(
      caller,
      {{record->key(), base,
        take_delete ? std::vector<v1::FieldSet>{} : std::move(sets),
        take_delete}},
      AuditUnlessRefused(audit_->Event(
          "resolve", caller.device_id, record->key(),
          absl::StrCat("item ", record->id(), ": ", record->resolution(), " ",
                       request.comment()))),
      {*record});
  if (!results.ok()) return results.status();
  if (absl::Status s = Refused(results->front(), record->key()); !s.ok()) {
    return s;
  }
  v1::ResolveConflictResponse out;
  *out.mutable_conflict() = *record;
  out.set_version(results->front().version());
  return out;
}

absl::StatusOr<v1::DecideProposalResponse> ReviewAdmin::Decide(
    const Caller& caller, const v1::DecideProposalRequest& request) {
  // A proposal outside the caller's area reads as a missing one, whatever
  // its state.
  absl::StatusOr<v1::Document> doc =
      LoadVisible(*store_, *replica_->areas(), caller, "proposal", request.id(),
                  "id", *audit_, "DecideProposal");
  if (!doc.ok()) return doc.status();
  const v1::Proposal& proposal = doc->proposal();
  const v1::ProposalStatus status = proposal.status();
  auto refuse_state = [&](std::string_view wanted) {
    return FieldError(
        absl::StatusCode::kFailedPrecondition, "id",
        absl::StrCat(
            "proposal ", Quoted(request.id()), " is ",
            absl::AsciiStrToLower(v1::ProposalStatus_Name(status).substr(
                sizeof("PROPOSAL_STATUS_") - 1)),
            proposal.model_id().empty()
                ? ""
                : absl::StrCat(" (model ", proposal.model_id(), ")"),
            "; it must be ", std::string(wanted)));
  };
  // Approving and merging add to the province's catalogue: checked before
  // anything is written, since the model and the proposal change together.
  if ((request.decision() == v1::PROPOSAL_DECISION_APPROVE ||
       request.decision() == v1::PROPOSAL_DECISION_MERGE) &&
      caller.role != v1::ROLE_PROVINCE_ADMIN) {
    return absl::PermissionDeniedError(
        "approving or merging a proposal belongs to the province");
  }
  v1::Proposal next = proposal;
  std::vector<AdminWriter::Edit> edits;
  v1::Model created;
  switch (request.decision()) {
    case v1::PROPOSAL_DECISION_FORWARD:
      if (status != v1::PROPOSAL_STATUS_PROPOSED) {
        return refuse_state("proposed");
      }
      next.set_status(v1::PROPOSAL_STATUS_FORWARDED);
      break;
    case v1::PROPOSAL_DECISION_RETURN:
      if (status != v1::PROPOSAL_STATUS_PROPOSED &&
          status != v1::PROPOSAL_STATUS_FORWARDED) {
        return refuse_state("proposed or forwarded");
      }
      if (request.reason().empty()) {
        return InvalidFieldError("reason", "say why it goes back");
      }
      next.set_status(v1::PROPOSAL_STATUS_RETURNED);
      break;
    case v1::PROPOSAL_DECISION_APPROVE: {
      if (status != v1::PROPOSAL_STATUS_FORWARDED) {
        return refuse_state("forwarded");
      }
      if (request.model_id().empty() ||
          !ParseDocKey(DocKey(kModelKind, request.model_id())).ok()) {
        return InvalidFieldError(
            "model_id", absl::StrCat(Quoted(request.model_id()),
                                     " is not a model id (a-z, 0-9, '-')"));
      }
      absl::StatusOr<std::optional<v1::Document>> taken =
          store_->GetDoc(DocKey(kModelKind, request.model_id()));
      if (!taken.ok()) return taken.status();
      if (taken->has_value()) {
        return FieldError(
            absl::StatusCode::kAlreadyExists, "model_id",
            absl::StrCat(Quoted(request.model_id()), " exists already"));
      }
      created = proposal.draft();
      created.set_id(request.model_id());
      created.set_status(v1::MODEL_STATUS_NEW);
      if (created.level() == v1::MODEL_LEVEL_UNSPECIFIED) {
        created.set_level(v1::MODEL_LEVEL_DISTRICT);
      }
      if (created.owner_area_id().empty()) {
        created.set_owner_area_id(
            DistrictOf(*replica_->areas(), proposal.area_id()));
      }
      AdminWriter::Edit model{DocKey(kModelKind, created.id()), 0, {}, false};
      for (const std::string& path : SetPaths(created)) {
        if (path != "id") model.sets.push_back(FieldSetOf(created, path));
      }
      edits.push_back(std::move(model));
      next.set_status(v1::PROPOSAL_STATUS_APPROVED);
      next.set_model_id(request.model_id());
      break;
    }
    case v1::PROPOSAL_DECISION_MERGE: {
      if (status != v1::PROPOSAL_STATUS_FORWARDED) {
        return refuse_state("forwarded");
      }
      absl::StatusOr<v1::Document> into = LoadVisible(
          *store_, *replica_->areas(), caller, kModelKind, request.model_id(),
          "model_id", *audit_, "DecideProposal");
      if (!into.ok()) return into.status();
      next.set_status(v1::PROPOSAL_STATUS_MERGED);
      next.set_model_id(request.model_id());
      break;
    }
    default:
      return InvalidFieldError("decision",
                               "choose FORWARD, APPROVE, RETURN or MERGE");
  }
  next.set_decision_reason(request.reason());
  AdminWriter::Edit update{doc->key(), doc->version(), {}, false};
  for (const char* path : {"status", "model_id", "decision_reason"}) {
    update.sets.push_back(FieldSetOf(next, path));
  }
  edits.push_back(std::move(update));
  // One edit at a time, the model first: a refused model leaves the
  // proposal as it was. The decision's audit record goes with the
  // proposal's own change.
  for (size_t i = 0; i < edits.size(); ++i) {
    const bool last = i + 1 == edits.size();
    const std::string key = edits[i].key;
    absl::StatusOr<std::vector<v1::MutationResult>> results = writer_->WriteAll(
        caller, {std::move(edits[i])},
        last
            ? AuditUnlessRefused(audit_->Event(
                  "proposal", caller.device_id, doc->key(),
                  absl::StrCat(v1::ProposalDecision_Name(request.decision()),
                               " ", request.model_id(), " ", request.reason())))
            : AlsoWrite());
    if (!results.ok()) return results.status();
    if (absl::Status s = Refused(results->front(), key); !s.ok()) return s;
  }
  v1::DecideProposalResponse out;
  absl::StatusOr<v1::Document> after = Load("proposal", request.id(), "id");
  if (!after.ok()) return after.status();
  *out.mutable_proposal() = after->proposal();
  if (!created.id().empty()) {
    absl::StatusOr<v1::Document> model =
        Load(kModelKind, created.id(), "model_id");
    if (model.ok()) *out.mutable_model() = model->model();
  }
  return out;
}

absl::StatusOr<v1::ReviewReportResponse> ReviewAdmin::Review(
    const Caller& caller, const v1::ReviewReportRequest& request) {
  // A report outside the caller's area reads as a missing one, whatever its
  // state; one whose id names such an area is refused unread.
  absl::StatusOr<v1::Document> doc =
      LoadVisible(*store_, *replica_->areas(), caller, "report", request.id(),
                  "id", *audit_, "ReviewReport");
  if (!doc.ok()) return doc.status();
  if (doc->report().status() != v1::REPORT_STATUS_SUBMITTED) {
    return FieldError(
        absl::StatusCode::kFailedPrecondition, "id",
        absl::StrCat("report ", Quoted(request.id()), " is ",
                     v1::ReportStatus_Name(doc->report().status()),
                     "; only a submitted report is reviewed"));
  }
  if (!request.accept() && request.comment().empty()) {
    return InvalidFieldError("comment", "say why the report goes back");
  }
  v1::Report next;
  next.set_status(request.accept() ? v1::REPORT_STATUS_ACCEPTED
                                   : v1::REPORT_STATUS_RETURNED);
  next.set_review_comment(request.comment());
  absl::StatusOr<v1::MutationResult> result = writer_->Write(
      caller, doc->key(), doc->version(),
      {FieldSetOf(next, "status"), FieldSetOf(next, "review_comment")},
      audit_->Event(request.accept() ? "accept_report" : "return_report",
                    caller.device_id, doc->key(), request.comment()));
  if (!result.ok()) return result.status();
  absl::StatusOr<v1::Document> after = Load("report", request.id(), "id");
  if (!after.ok()) return after.status();
  v1::ReviewReportResponse out;
  *out.mutable_report() = after->report();
  out.set_version(after->version());
  return out;
}

absl::StatusOr<v1::LockYearResponse> ReviewAdmin::Lock(
    const Caller& caller, const v1::LockYearRequest& request) {
  const std::string& year = request.year();
  if (year.size() != 4 || !std::all_of(year.begin(), year.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return InvalidFieldError(
        "year", absl::StrCat(Quoted(year), " is not a year like 2025"));
  }
  if (absl::Status s = replica_->LockYear(
          year, audit_->Event("lock_year", caller.device_id, year, ""));
      !s.ok()) {
    return s;
  }
  v1::LockYearResponse out;
  for (const std::string& y : replica_->locked_years()) out.add_locked_years(y);
  return out;
}

}  // namespace fieldsync::server
