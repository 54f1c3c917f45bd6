// ServerReplica's pull paging: EstimatePull, Pull and PullBytes. They read
// committed data only, without the replica's locks.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sync/cursor.h"
#include "sync/keys.h"
#include "sync/pull_page.h"
#include "sync/scopes.h"
#include "sync/server_replica.h"
#include "sync/status_macros.h"

namespace fieldsync {

namespace {

// Most scope-log entries read per scope and run for one pull page.
constexpr size_t kPullEntriesPerScope = 4096;
// A small document's bytes: a page's first run reads max_bytes / this
// entries, about a page of reports (~450 bytes each) and no more.
constexpr size_t kPullBytesPerEntryGuess = 384;
// Documents a pull reads in one Store::GetDocsBytes: enough that RocksDB's
// MultiGet pays off, few enough that a page that fills up has not read
// many it will not send.
constexpr size_t kPullDocsPerRead = 64;

}  // namespace

absl::StatusOr<uint64_t> ServerReplica::EstimatePull(
    const std::vector<std::string>& scopes, const std::string& cursor) {
  FS_ASSIGN_OR_RETURN(uint64_t after, DecodeCursor(cursor));
  uint64_t count = 0;
  for (const std::string& scope : scopes) {
    if (scope == kServerOnlyScope) continue;  // never pulled (sync/scopes.h)
    FS_RETURN_IF_ERROR(
        options_.store->ScanScopeLog(scope, after, [&](const ScopeLogEntry&) {
          ++count;
          return true;
        }));
  }
  return count;
}

absl::StatusOr<v1::PullResponse> ServerReplica::Pull(
    const std::vector<std::string>& scopes, const std::string& cursor,
    size_t max_bytes) {
  FS_ASSIGN_OR_RETURN(PullPage page, PullBytes(scopes, cursor, max_bytes));
  v1::PullResponse response;
  if (!response.ParseFromString(page.bytes)) {
    return absl::InternalError("a pull page does not parse");
  }
  return response;
}

absl::StatusOr<ServerReplica::PullPage> ServerReplica::PullBytes(
    const std::vector<std::string>& scopes, const std::string& cursor,
    size_t max_bytes) {
  FS_ASSIGN_OR_RETURN(uint64_t after, DecodeCursor(cursor));
  // Only a document's latest change is sent: an entry older than the
  // document's version is superseded by a later entry of the same pull. So
  // a first pull is a compacted snapshot, never replayed history, and a
  // resume sends each changed document once.
  PullPageBuilder builder;
  const std::string device_prefix = DocKeyPrefix("device");
  absl::flat_hash_map<std::string, uint64_t> versions;
  uint64_t reached = after;
  bool full = false;
  bool more = false;   // entries beyond the last run read remain
  size_t scanned = 0;  // bounds one page's work, as kPullEntriesPerScope
  // Scope-log entries read per scope and run: about a page of documents
  // first, more if superseded entries left the page short.
  size_t run = std::clamp<size_t>(max_bytes / kPullBytesPerEntryGuess, 16,
                                  kPullEntriesPerScope);
  std::vector<ScopeLogEntry> entries;
  do {
    // Read a bounded run of each scope's log. When a scope has more than the
    // run, only entries up to its last one read are safe to send now.
    entries.clear();
    uint64_t safe_until = UINT64_MAX;
    for (const std::string& scope : scopes) {
      if (scope == kServerOnlyScope) continue;  // never pulled (sync/scopes.h)
      size_t taken = 0;
      FS_RETURN_IF_ERROR(options_.store->ScanScopeLog(
          scope, reached, [&](const ScopeLogEntry& e) {
            entries.push_back(e);
            return ++taken < run;
          }));
      if (taken == run) {
        safe_until = std::min(safe_until, entries.back().sequence);
      }
    }
    std::sort(entries.begin(), entries.end(),
              [](const ScopeLogEntry& a, const ScopeLogEntry& b) {
                return a.sequence < b.sequence;
              });
    // Documents read ahead, by key (views into `entries`).
    absl::flat_hash_map<std::string_view, std::optional<std::string>> read;
    // Reads the documents the entries from `from` on may send and `read`
    // lacks, up to kPullDocsPerRead of them, in one store read.
    auto read_ahead = [&](size_t from) -> absl::Status {
      std::vector<std::string_view> keys;
      absl::flat_hash_set<std::string_view> asked;
      for (size_t j = from;
           j < entries.size() && keys.size() < kPullDocsPerRead; ++j) {
        const ScopeLogEntry& next = entries[j];
        if (next.sequence > safe_until) break;
        auto known = versions.find(next.key);
        if (known != versions.end() && known->second != next.sequence) {
          continue;
        }
        if (!read.contains(next.key) && asked.insert(next.key).second) {
          keys.push_back(next.key);
        }
      }
      FS_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> docs,
                          options_.store->GetDocsBytes(keys));
      for (size_t k = 0; k < keys.size(); ++k) {
        read[keys[k]] = std::move(docs[k]);
      }
      return absl::OkStatus();
    };
    for (size_t i = 0; i < entries.size(); ++i) {
      const ScopeLogEntry& e = entries[i];
      if (e.sequence > safe_until) break;
      if (e.sequence <= reached) continue;  // the same change in two scopes
      // A device and its secret hash stay on the server even if a scope
      // other than kServerOnlyScope ever listed one.
      if (absl::StartsWith(e.key, device_prefix)) {
        reached = e.sequence;
        continue;
      }
      auto known = versions.find(e.key);
      if (known == versions.end() || known->second == e.sequence) {
        if (!read.contains(e.key)) FS_RETURN_IF_ERROR(read_ahead(i));
        const std::optional<std::string>& doc = read[e.key];
        if (doc.has_value()) {
          std::optional<uint64_t> version = DocumentVersion(*doc);
          if (!version.has_value()) {
            return absl::DataLossError(absl::StrCat("stored document ",
                                                    absl::CHexEscape(e.key),
                                                    " does not parse"));
          }
          versions[e.key] = *version;
          if (*version == e.sequence) {
            if (builder.documents() > 0 &&
                builder.document_bytes() + doc->size() > max_bytes) {
              full = true;
              break;
            }
            builder.AddDocument(*doc);
          }
        }
      }
      reached = e.sequence;
    }
    more = safe_until != UINT64_MAX;
    scanned += entries.size();
    run = std::min(2 * run, kPullEntriesPerScope);
  } while (!full && more && scanned < kPullEntriesPerScope);

  PullPage page;
  page.documents = builder.documents();
  page.cursor = EncodeCursor(reached);
  page.done = !full && !more;
  page.bytes = builder.Finish(page.cursor, /*snapshot=*/after == 0, page.done);
  return page;
}

}  // namespace fieldsync
