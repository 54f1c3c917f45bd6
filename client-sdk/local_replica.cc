#include "client-sdk/local_replica.h"

#include "absl/strings/str_cat.h"
#include "sync/doc_kind.h"
#include "sync/field_path.h"
#include "sync/keys.h"
#include "sync/status_macros.h"

namespace fieldsync::client {
namespace {

// Meta keys of the tablet's own state.
constexpr char kOutboxPrefix[] = "outbox/";  // + 8-byte seq -> Mutation
constexpr char kNextSeqKey[] = "device/next_seq";
constexpr char kCursorKey[] = "pull/cursor";

std::string OutboxKey(uint64_t seq) {
  std::string key = kOutboxPrefix;
  AppendBigEndian64(key, seq);
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
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<LocalReplica>> LocalReplica::Open(
    const std::string& dir, const std::string& device_id) {
  FS_ASSIGN_OR_RETURN(
      std::unique_ptr<RocksDbStore> store,
      RocksDbStore::Open(dir, {.durability = Durability::kSync}));
  return std::unique_ptr<LocalReplica>(
      new LocalReplica(std::move(store), device_id));
}

absl::StatusOr<v1::Mutation> LocalReplica::Edit(const std::string& key,
                                                std::vector<v1::FieldSet> sets,
                                                int64_t device_time_micros,
                                                const std::string& author) {
  FS_RETURN_IF_ERROR(ParseDocKey(key).status());
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
  writes.PutMeta(OutboxKey(seq), m.SerializeAsString());
  std::string following;
  AppendBigEndian64(following, seq + 1);
  writes.PutMeta(kNextSeqKey, following);
  FS_RETURN_IF_ERROR(store_->Apply(writes));  // durable: Durability::kSync
  return m;
}

absl::StatusOr<std::vector<v1::Mutation>> LocalReplica::Outbox() {
  std::vector<v1::Mutation> outbox;
  absl::Status parse;
  FS_RETURN_IF_ERROR(store_->ScanMeta(
      kOutboxPrefix, [&](std::string_view, std::string_view value) {
        v1::Mutation m;
        if (!m.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse = absl::DataLossError("an outbox entry does not parse");
          return false;
        }
        outbox.push_back(std::move(m));
        return true;
      }));
  FS_RETURN_IF_ERROR(parse);
  return outbox;
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

absl::StatusOr<SyncReport> LocalReplica::Sync(SyncClient& client) {
  SyncReport report;
  FS_ASSIGN_OR_RETURN(std::vector<v1::Mutation> outbox, Outbox());
  if (!outbox.empty()) {
    std::vector<v1::MutationResult> answered;
    absl::Status pushed = client.Push(outbox, &answered).status();
    // Whatever the server answered leaves the outbox, even if the link then
    // broke: resending it would only be a duplicate.
    WriteSet done;
    for (const v1::MutationResult& r : answered) {
      const bool not_taken =
          r.outcome() == v1::MUTATION_OUTCOME_REJECTED && r.sequence() == 0;
      if (not_taken) continue;
      done.DeleteMeta(OutboxKey(r.mutation_seq()));
      ++report.pushed;
      if (r.outcome() != v1::MUTATION_OUTCOME_APPLIED &&
          r.outcome() != v1::MUTATION_OUTCOME_MERGED &&
          r.outcome() != v1::MUTATION_OUTCOME_DUPLICATE) {
        report.attention.push_back(r);
      }
    }
    if (!done.empty()) FS_RETURN_IF_ERROR(store_->Apply(done));
    FS_RETURN_IF_ERROR(pushed);
  }
  FS_ASSIGN_OR_RETURN(std::optional<std::string> cursor,
                      store_->GetMeta(kCursorKey));
  std::string position = cursor.value_or("");
  absl::Status stored;
  absl::Status pulled =
      client.Pull(position, [&](const v1::PullResponse& page) {
        if (!stored.ok()) return;
        // A page and the cursor after it are stored together.
        WriteSet writes;
        for (const v1::Document& doc : page.documents()) writes.PutDoc(doc);
        writes.PutMeta(kCursorKey, page.cursor());
        stored = store_->Apply(writes);
        report.pulled += page.documents_size();
      });
  FS_RETURN_IF_ERROR(stored);
  FS_RETURN_IF_ERROR(pulled);
  return report;
}

}  // namespace fieldsync::client
