#include "client-sdk/local_replica.h"

#include <algorithm>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "client-sdk/value_text.h"
#include "sync/area_tree.h"
#include "sync/doc_kind.h"
#include "sync/field_error.h"
#include "sync/field_path.h"
#include "sync/keys.h"
#include "sync/model_filter.h"
#include "sync/status_macros.h"
#include "sync/store_format.h"
#include "sync/text_fold.h"

namespace fieldsync::client {
namespace {

// The tablet replica's history (sync/store_format.h, local_replica.h's
// kTabletStoreFormat): format 1 recorded the number, nothing else changed.
const Migration kTabletMigrations[kTabletStoreFormat] = {
    {.to = 1, .what = "the format recorded", .run = nullptr},
};

// Meta keys of the tablet's own state (docs/storage-format.md).
constexpr char kOutboxPrefix[] = "outbox/";  // + 8-byte seq -> Mutation
constexpr char kNextSeqKey[] = "device/next_seq";
constexpr char kCursorKey[] = "pull/cursor";
// + 8-byte seq + path -> Notice without its server value yet
constexpr char kPendingNoticePrefix[] = "notice-pending/";
constexpr char kNoticePrefix[] = "notice/";  // + 8-byte seq + path -> Notice

std::string SeqKey(std::string_view prefix, uint64_t seq,
                   std::string_view path = {}) {
  std::string key(prefix);
  AppendBigEndian64(key, seq);
  key.append(path);
  return key;
}

// Applies `m`'s field sets to `doc` (creating its body if needed).
absl::Status ApplyPending(const v1::Mutation& m, v1::Document& doc) {
  FS_ASSIGN_OR_RETURN(ParsedKey key, ParseDocKey(m.key()));
  doc.set_key(m.key());
  google::protobuf::Message* body = MutableBody(doc, key.kind);
  for (const v1::FieldSet& set : m.sets()) {
    FS_ASSIGN_OR_RETURN(FieldRef ref,
                        ResolvePath(body->GetDescriptor(), set.path()));
    FS_RETURN_IF_ERROR(ApplyValue(*body, ref, set.value()));
  }
  if (m.delete_()) doc.set_deleted(true);
  return absl::OkStatus();
}

// A link that may work on the next attempt, as opposed to a refusal that
// will not change by waiting.
bool Retryable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDataLoss:  // a page that failed its checksum
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
}

v1::NoticeKind NoticeKindOf(v1::MutationOutcome outcome) {
  switch (outcome) {
    case v1::MUTATION_OUTCOME_CONFLICT:
      return v1::NOTICE_KIND_CONFLICT;
    case v1::MUTATION_OUTCOME_REJECTED:
      return v1::NOTICE_KIND_REJECTED;
    case v1::MUTATION_OUTCOME_AMENDMENT:
      return v1::NOTICE_KIND_AMENDMENT;
    default:
      return v1::NOTICE_KIND_UNSPECIFIED;
  }
}

// One pending notice per field the mutation set; for a field conflict, per
// field that conflicted (the others were applied).
std::vector<v1::Notice> PendingNotices(const v1::Mutation& m,
                                       const v1::MutationResult& result) {
  std::vector<v1::Notice> notices;
  const v1::NoticeKind kind = NoticeKindOf(result.outcome());
  if (kind == v1::NOTICE_KIND_UNSPECIFIED) return notices;
  auto make = [&](std::string path, std::string local) {
    v1::Notice n;
    n.set_kind(kind);
    n.set_key(m.key());
    n.set_path(std::move(path));
    n.set_local_value(std::move(local));
    n.set_reason(result.reason());
    n.set_reason_code(result.reason_code());
    n.set_mutation_seq(m.mutation_seq());
    n.set_author(m.author());
    n.set_device_time_micros(m.device_time_micros());
    notices.push_back(std::move(n));
  };
  if (m.delete_()) make("", "(deleted)");
  const auto& conflicting = result.conflicting_paths();
  for (const v1::FieldSet& set : m.sets()) {
    if (!conflicting.empty() &&
        std::find(conflicting.begin(), conflicting.end(), set.path()) ==
            conflicting.end()) {
      continue;
    }
    make(set.path(),
         FieldSetValueText(m.key(), set.path(), set.value()).value_or(""));
  }
  return notices;
}

template <typename T>
absl::StatusOr<std::vector<T>> ScanMessages(Store& store,
                                            std::string_view prefix) {
  std::vector<T> out;
  absl::Status parse;
  FS_RETURN_IF_ERROR(store.ScanMeta(prefix, [&](std::string_view,
                                                std::string_view value) {
    T message;
    if (!message.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      parse = absl::DataLossError(absl::StrCat(
          "an entry under \"", std::string(prefix), "\" does not parse"));
      return false;
    }
    out.push_back(std::move(message));
    return true;
  }));
  FS_RETURN_IF_ERROR(parse);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LocalReplica>> LocalReplica::Open(
    const std::string& dir, const std::string& device_id) {
  FS_ASSIGN_OR_RETURN(
      std::unique_ptr<RocksDbStore> store,
      RocksDbStore::Open(dir, {.durability = Durability::kSync}));
  FS_RETURN_IF_ERROR(MigrateStore(*store, kTabletStoreFormat, kTabletMigrations,
                                  "tablet replica")
                         .status());
  return std::unique_ptr<LocalReplica>(
      new LocalReplica(std::move(store), device_id));
}

absl::StatusOr<v1::Mutation> LocalReplica::Edit(const std::string& key,
                                                std::vector<v1::FieldSet> sets,
                                                int64_t device_time_micros,
                                                const std::string& author) {
  FS_RETURN_IF_ERROR(ParseDocKey(key).status());
  if (!IsValidUtf8(author)) {
    return InvalidFieldError("author", "is not valid UTF-8");
  }
  FS_ASSIGN_OR_RETURN(std::optional<std::string> next,
                      store_->GetMeta(kNextSeqKey));
  const uint64_t seq = next ? ReadBigEndian64(*next).value_or(1) : 1;
  FS_ASSIGN_OR_RETURN(std::optional<v1::Document> known, store_->GetDoc(key));

  v1::Mutation m;
  m.set_device_id(device_id_);
  m.set_mutation_seq(seq);
  m.set_key(key);
  m.set_base_version(known ? known->version() : 0);
  m.set_device_time_micros(device_time_micros);
  m.set_author(author);
  // The server decides the authority from the device's role.
  m.set_authority(v1::AUTHORITY_COMMUNE);
  for (v1::FieldSet& set : sets) *m.add_sets() = std::move(set);
  // Check the values now, not after days offline.
  v1::Document scratch;
  FS_RETURN_IF_ERROR(ApplyPending(m, scratch));

  WriteSet writes;
  writes.PutMeta(SeqKey(kOutboxPrefix, seq), m.SerializeAsString());
  std::string following;
  AppendBigEndian64(following, seq + 1);
  writes.PutMeta(kNextSeqKey, following);
  FS_RETURN_IF_ERROR(store_->Apply(writes));  // durable: Durability::kSync
  return m;
}

absl::StatusOr<std::vector<v1::Mutation>> LocalReplica::Outbox() {
  return ScanMessages<v1::Mutation>(*store_, kOutboxPrefix);
}

absl::StatusOr<std::vector<v1::Notice>> LocalReplica::Notices() {
  return ScanMessages<v1::Notice>(*store_, kNoticePrefix);
}

absl::StatusOr<std::optional<v1::Document>> LocalReplica::Get(
    const std::string& key) {
  FS_ASSIGN_OR_RETURN(std::optional<v1::Document> doc, store_->GetDoc(key));
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> outbox, Outbox());
  for (const v1::Mutation& m : outbox) {
    if (m.key() != key) continue;
    if (!doc.has_value()) doc.emplace();
    FS_RETURN_IF_ERROR(ApplyPending(m, *doc));
  }
  return doc;
}

absl::StatusOr<std::vector<v1::Model>> LocalReplica::ListModels(
    const v1::ListModelsRequest& filter) {
  if (!IsValidUtf8(filter.search())) {
    return InvalidFieldError("search", "is not valid UTF-8");
  }
  std::vector<v1::Area> areas;
  FS_RETURN_IF_ERROR(
      store_->ScanDocs(DocKeyPrefix(kAreaKind), [&](const v1::Document& doc) {
        if (doc.has_area() && !doc.deleted()) areas.push_back(doc.area());
        return true;
      }));
  FS_ASSIGN_OR_RETURN(AreaTree tree, AreaTree::Build(std::move(areas)));
  const FoldMode mode = filter.match_diacritics() ? FoldMode::kKeepDiacritics
                                                  : FoldMode::kIgnoreDiacritics;
  const std::string query = FoldForSearch(filter.search(), mode);
  std::vector<v1::Model> models;
  FS_RETURN_IF_ERROR(
      store_->ScanDocs(DocKeyPrefix(kModelKind), [&](const v1::Document& doc) {
        if (!doc.has_model()) return true;
        const v1::Model& m = doc.model();
        const bool archived =
            doc.deleted() || m.status() == v1::MODEL_STATUS_ARCHIVED;
        if (archived && filter.status() != v1::MODEL_STATUS_ARCHIVED) {
          return true;
        }
        if (ModelPassesFilters(m, filter, tree) &&
            FoldedContains(FoldForSearch(ModelSearchText(m), mode), query)) {
          models.push_back(m);
        }
        return true;
      }));
  return models;
}

absl::StatusOr<std::vector<v1::Document>> LocalReplica::ListReports(
    const ReportFilter& filter) {
  std::map<std::string, v1::Document> reports;
  FS_RETURN_IF_ERROR(
      store_->ScanDocs(DocKeyPrefix(kReportKind), [&](const v1::Document& doc) {
        reports[doc.key()] = doc;
        return true;
      }));
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> outbox, Outbox());
  for (const v1::Mutation& m : outbox) {
    if (!m.key().starts_with(DocKeyPrefix(kReportKind))) continue;
    FS_RETURN_IF_ERROR(ApplyPending(m, reports[m.key()]));
  }
  std::vector<v1::Document> out;
  for (auto& [key, doc] : reports) {
    const v1::Report& r = doc.report();
    if (doc.deleted()) continue;
    if (!filter.model_id.empty() && r.model_id() != filter.model_id) continue;
    if (!filter.period.empty() && r.period() != filter.period) continue;
    if (!filter.area_id.empty() && r.area_id() != filter.area_id) continue;
    out.push_back(std::move(doc));
  }
  return out;
}

absl::StatusOr<uint64_t> LocalReplica::PushOutbox(Transport& transport,
                                                  const SyncOptions& options,
                                                  SyncProgress& progress,
                                                  SyncReport& report) {
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> outbox, Outbox());
  std::map<uint64_t, const v1::Mutation*> by_seq;
  for (const v1::Mutation& m : outbox) by_seq[m.mutation_seq()] = &m;
  absl::Status stored;
  uint64_t resend_from = 0;
  auto on_batch = [&](const std::vector<v1::MutationResult>& results,
                      size_t bytes) {
    if (!stored.ok()) return;
    // Whatever the server answered leaves the outbox in one write with its
    // notices: resending it would only be a duplicate.
    WriteSet done;
    for (const v1::MutationResult& r : results) {
      const bool not_taken =
          r.outcome() == v1::MUTATION_OUTCOME_REJECTED && r.sequence() == 0;
      // The server holds this number for another mutation (this tablet was
      // restored from an older copy): the outbox is kept, to be sent again
      // numbered from where the server expects. Out of order alone is a
      // batch overtaken by a later one, sent again as it is.
      if (not_taken && r.reason_code() == v1::MUTATION_REASON_SEQ_REUSED &&
          r.expected_seq() > 0) {
        resend_from = std::max(resend_from, r.expected_seq());
      }
      auto it = by_seq.find(r.mutation_seq());
      if (not_taken || it == by_seq.end()) continue;
      done.DeleteMeta(SeqKey(kOutboxPrefix, r.mutation_seq()));
      ++report.pushed;
      ++progress.pushed_documents;
      v1::MutationOutcome outcome = r.outcome();
      if (outcome == v1::MUTATION_OUTCOME_DUPLICATE) {
        outcome = r.original_outcome();  // an answer lost earlier
      }
      if (outcome != v1::MUTATION_OUTCOME_APPLIED &&
          outcome != v1::MUTATION_OUTCOME_MERGED) {
        v1::MutationResult shown = r;
        shown.set_outcome(outcome);
        report.attention.push_back(shown);
        for (const v1::Notice& n : PendingNotices(*it->second, shown)) {
          done.PutMeta(SeqKey(kPendingNoticePrefix, n.mutation_seq(), n.path()),
                       n.SerializeAsString());
        }
      }
    }
    progress.pushed_bytes = std::min(progress.pushed_bytes + int64_t(bytes),
                                     progress.push_total_bytes);
    if (!done.empty()) stored = store_->Apply(done);
    if (options.on_progress) options.on_progress(progress);
  };
  if (!outbox.empty()) {
    absl::Status pushed = transport.PushBatches(outbox, on_batch);
    FS_RETURN_IF_ERROR(stored);
    FS_RETURN_IF_ERROR(pushed);
  }
  return resend_from;
}

absl::Status LocalReplica::RenumberOutbox(uint64_t first) {
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> outbox, Outbox());
  // In one write: a cut between the two would leave edits under numbers
  // the server refuses, or two under one. Old numbers and new ones overlap:
  // only the old keys not reused are deleted, so no delete follows the put
  // of a key it names.
  WriteSet writes;
  const uint64_t end = first + outbox.size();
  for (const v1::Mutation& m : outbox) {
    if (m.mutation_seq() < first || m.mutation_seq() >= end) {
      writes.DeleteMeta(SeqKey(kOutboxPrefix, m.mutation_seq()));
    }
  }
  uint64_t seq = first;
  for (v1::Mutation& m : outbox) {  // in sequence order
    m.set_mutation_seq(seq);
    writes.PutMeta(SeqKey(kOutboxPrefix, seq), m.SerializeAsString());
    ++seq;
  }
  std::string following;
  AppendBigEndian64(following, seq);
  writes.PutMeta(kNextSeqKey, following);
  return store_->Apply(writes);
}

absl::Status LocalReplica::SyncOnce(Transport& transport,
                                    const SyncOptions& options,
                                    SyncProgress& progress,
                                    SyncReport& report) {
  absl::Status stored;
  // Rounds of pushing what the outbox holds: a second only after the
  // server refused the first's numbers as used (a tablet restored from an
  // older copy), with the outbox numbered again from where the server
  // expects; a third would meet the same answer.
  for (int round = 0; round < 2; ++round) {
    FS_ASSIGN_OR_RETURN(uint64_t resend_from,
                        PushOutbox(transport, options, progress, report));
    if (resend_from == 0) break;
    FS_RETURN_IF_ERROR(RenumberOutbox(resend_from));
  }

  FS_ASSIGN_OR_RETURN(std::optional<std::string> cursor,
                      store_->GetMeta(kCursorKey));
  std::string position = cursor.value_or("");
  const int64_t pulled_before = progress.pulled_documents;
  absl::Status pulled =
      transport.Pull(position, [&](const v1::PullResponse& page) {
        if (!stored.ok()) return;
        // A page and the cursor after it are stored together.
        WriteSet writes;
        for (const v1::Document& doc : page.documents()) writes.PutDoc(doc);
        writes.PutMeta(kCursorKey, page.cursor());
        stored = store_->Apply(writes);
        if (!stored.ok()) return;
        report.pulled += page.documents_size();
        progress.pulled_documents += page.documents_size();
        progress.pulled_bytes += static_cast<int64_t>(page.ByteSizeLong());
        // Grows only: a resumed pull's estimate counts what is left.
        progress.pull_total_documents = std::max(
            {progress.pull_total_documents, progress.pulled_documents,
             pulled_before + static_cast<int64_t>(page.estimated_documents())});
        if (options.on_progress) options.on_progress(progress);
      });
  FS_RETURN_IF_ERROR(stored);
  return pulled;
}

absl::Status LocalReplica::CompleteNotices(const SyncOptions& options,
                                           SyncReport& report) {
  FS_ASSIGN_OR_RETURN(std::vector<v1::Notice> pending,
                      ScanMessages<v1::Notice>(*store_, kPendingNoticePrefix));
  if (pending.empty()) return absl::OkStatus();
  WriteSet writes;
  for (v1::Notice& n : pending) {
    writes.DeleteMeta(SeqKey(kPendingNoticePrefix, n.mutation_seq(), n.path()));
    FS_ASSIGN_OR_RETURN(std::optional<v1::Document> server,
                        store_->GetDoc(n.key()));
    if (server.has_value()) {
      n.set_server_value(DocumentValueText(*server, n.path()));
    }
    // A conflict on a field both sides set to the same value lost nothing.
    if (n.kind() == v1::NOTICE_KIND_CONFLICT &&
        n.server_value() == n.local_value()) {
      continue;
    }
    writes.PutMeta(SeqKey(kNoticePrefix, n.mutation_seq(), n.path()),
                   n.SerializeAsString());
    report.notices.push_back(n);
  }
  FS_RETURN_IF_ERROR(store_->Apply(writes));
  if (options.on_notice) {
    for (const v1::Notice& n : report.notices) options.on_notice(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<SyncReport> LocalReplica::Sync(Transport& transport,
                                              const SyncOptions& options) {
  SyncReport report;
  SyncProgress progress;
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> outbox, Outbox());
  progress.push_total_documents = static_cast<int64_t>(outbox.size());
  for (const v1::Mutation& m : outbox) {
    progress.push_total_bytes += static_cast<int64_t>(m.ByteSizeLong());
  }
  std::mt19937_64 jitter(options.jitter_seed != 0 ? options.jitter_seed
                                                  : std::random_device{}());
  std::chrono::milliseconds cap = options.initial_backoff;
  const int attempts = std::max(1, options.max_attempts);
  for (int attempt = 1;; ++attempt) {
    report.attempts = attempt;
    progress.attempt = attempt;
    absl::Status status = SyncOnce(transport, options, progress, report);
    if (status.ok()) {
      FS_RETURN_IF_ERROR(CompleteNotices(options, report));
      return report;
    }
    if (!Retryable(status) || attempt >= attempts) return status;
    std::uniform_int_distribution<int64_t> draw(cap.count() / 2, cap.count());
    const std::chrono::milliseconds wait(draw(jitter));
    report.backoffs.push_back(wait);
    if (options.sleep) {
      options.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
    cap = std::min(cap * 2, options.max_backoff);
  }
}

}  // namespace fieldsync::client
