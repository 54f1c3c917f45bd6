#include "sync/review_bounds.h"

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sync/keys.h"
#include "sync/scopes.h"
#include "sync/status_macros.h"

namespace fieldsync {
namespace {

constexpr char kOpenReviewsPrefix[] = "review/open/";
constexpr char kOpenReviewsOfDevicePrefix[] = "review/open/device/";
constexpr char kOpenReviewsOfDocPrefix[] = "review/open/doc/";
constexpr char kOpenReviewsInScopePrefix[] = "review/open/scope/";

// "review/open/scope/<scope>\0": every entry of `scope`'s index.
std::string InScopePrefix(std::string_view scope) {
  std::string prefix =
      absl::StrCat(kOpenReviewsInScopePrefix, std::string(scope));
  prefix.push_back('\0');
  return prefix;
}

std::string KindName(v1::ConflictKind kind) {
  switch (kind) {
    case v1::CONFLICT_KIND_AMENDMENT:
      return "amendment";
    case v1::CONFLICT_KIND_DELETE_VS_EDIT:
      return "delete against an edit";
    default:
      return "conflict";
  }
}

}  // namespace

std::string OpenReviewsOfDeviceKey(std::string_view device_id) {
  return absl::StrCat(kOpenReviewsOfDevicePrefix, std::string(device_id));
}

std::string OpenReviewsOfDocKey(std::string_view doc_key) {
  return absl::StrCat(kOpenReviewsOfDocPrefix, std::string(doc_key));
}

absl::StatusOr<uint64_t> ParseOpenReviews(
    std::string_view key, const std::optional<std::string>& value) {
  if (!value.has_value()) return 0;
  std::optional<uint64_t> count = ReadBigEndian64(*value);
  if (!count.has_value() || value->size() != 8) {
    return absl::DataLossError(absl::StrCat("stored count ",
                                            absl::CHexEscape(std::string(key)),
                                            " is not 8 bytes"));
  }
  return *count;
}

std::string OpenReviewInScopeKey(std::string_view scope, uint64_t id) {
  std::string key = InScopePrefix(scope);
  AppendBigEndian64(key, id);
  return key;
}

std::string OpenReviewInScopeValue(const v1::ConflictRecord& record) {
  std::string value;
  AppendBigEndian64(value, static_cast<uint64_t>(record.server_time_micros()));
  AppendBigEndian64(value, static_cast<uint64_t>(record.kind()));
  return value;
}

void IndexOpenReview(const v1::ConflictRecord& record, WriteSet& writes) {
  for (const std::string& scope : record.scopes()) {
    if (record.resolved()) {
      writes.DeleteMeta(OpenReviewInScopeKey(scope, record.id()));
    } else {
      writes.PutMeta(OpenReviewInScopeKey(scope, record.id()),
                     OpenReviewInScopeValue(record));
    }
  }
}

absl::Status ScanOpenReviews(Store& store, std::string_view scope,
                             const OpenReviewVisitor& visit) {
  const std::string prefix = InScopePrefix(scope);
  absl::Status error;
  FS_RETURN_IF_ERROR(store.ScanMeta(prefix, [&](std::string_view key,
                                                std::string_view value) {
    std::optional<uint64_t> time = ReadBigEndian64(value);
    std::optional<uint64_t> kind =
        value.size() == 16 ? ReadBigEndian64(value.substr(8)) : std::nullopt;
    if (key.size() != prefix.size() + 8 || !time || !kind ||
        !v1::ConflictKind_IsValid(static_cast<int>(*kind))) {
      error = absl::DataLossError(
          absl::StrCat("stored review index entry ",
                       absl::CHexEscape(std::string(key)), " is corrupt"));
      return false;
    }
    return visit(OpenReview{.id = TrailingNumber(key),
                            .kind = static_cast<v1::ConflictKind>(*kind),
                            .server_time_micros = static_cast<int64_t>(*time)});
  }));
  return error;
}

absl::StatusOr<OpenReviewSummary> SummarizeOpenReviews(Store& store) {
  OpenReviewSummary summary;
  absl::Status error;
  FS_RETURN_IF_ERROR(
      store.ScanMeta(kOpenReviewsOfDevicePrefix,
                     [&](std::string_view key, std::string_view value) {
                       absl::StatusOr<uint64_t> count =
                           ParseOpenReviews(key, std::string(value));
                       if (!count.ok()) {
                         error = count.status();
                         return false;
                       }
                       summary.open += *count;
                       return true;
                     }));
  FS_RETURN_IF_ERROR(error);
  // Every item is in the province's scope (sync/scopes.h), and ids grow as
  // items are opened: the index's first entry there is the oldest.
  FS_RETURN_IF_ERROR(
      ScanOpenReviews(store, kProvinceScope, [&](const OpenReview& item) {
        summary.oldest_server_time_micros = item.server_time_micros;
        return false;
      }));
  return summary;
}

size_t ReviewValueBytes(const v1::ConflictRecord& record) {
  size_t bytes = 0;
  for (const v1::ConflictValue& v : record.values()) {
    bytes += v.base_value().size() + v.current_value().size() +
             v.losing_value().size();
  }
  return bytes;
}

std::optional<ReviewRefusal> CheckReviewBounds(const v1::ConflictRecord& record,
                                               uint64_t open_of_device,
                                               uint64_t open_of_document,
                                               const ReviewLimits& limits) {
  const std::string what =
      absl::StrCat("the review item this ", KindName(record.kind()),
                   " would open (", record.key(), ")");
  // The size first: waiting does not make the value fit.
  if (const size_t bytes = ReviewValueBytes(record);
      bytes > limits.value_bytes_per_item) {
    return ReviewRefusal{
        .code = v1::MUTATION_REASON_REVIEW_ITEM_TOO_LARGE,
        .reason = absl::StrCat(
            what, " would keep ", bytes,
            " bytes of values (base, current and waiting), more than the ",
            limits.value_bytes_per_item,
            " one item may keep; nothing was written: edit the current "
            "version, or send smaller values")};
  }
  if (open_of_device >= limits.open_per_device) {
    return ReviewRefusal{
        .code = v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
        .reason = absl::StrCat(
            "device ", record.device_id(), " has ", open_of_device,
            " review items open, the most one device may have; ", what,
            " was not opened and nothing was written: send the edit again "
            "once a reviewer has settled some")};
  }
  if (open_of_document >= limits.open_per_document) {
    return ReviewRefusal{
        .code = v1::MUTATION_REASON_REVIEW_QUEUE_FULL,
        .reason = absl::StrCat(
            record.key(), " has ", open_of_document,
            " review items open, the most one document may have; ", what,
            " was not opened and nothing was written: send the edit again "
            "once a reviewer has settled some")};
  }
  return std::nullopt;
}

absl::Status CountOpenReviewsOnce(Store& store) {
  FS_ASSIGN_OR_RETURN(std::optional<std::string> counted,
                      store.GetMeta(kOpenReviewCountsMetaKey));
  if (counted.has_value()) return absl::OkStatus();
  std::map<std::string, uint64_t> counts;
  std::map<std::string, std::string> index;
  FS_RETURN_IF_ERROR(store.ScanConflicts([&](const v1::ConflictRecord& r) {
    if (r.resolved()) return true;
    ++counts[OpenReviewsOfDeviceKey(r.device_id())];
    ++counts[OpenReviewsOfDocKey(r.key())];
    for (const std::string& scope : r.scopes()) {
      index[OpenReviewInScopeKey(scope, r.id())] = OpenReviewInScopeValue(r);
    }
    return true;
  }));
  WriteSet writes;
  FS_RETURN_IF_ERROR(store.ScanMeta(
      kOpenReviewsPrefix, [&](std::string_view key, std::string_view) {
        const std::string k(key);
        if (!counts.contains(k) && !index.contains(k)) writes.DeleteMeta(k);
        return true;
      }));
  for (const auto& [key, count] : counts) {
    writes.PutMeta(key, SequenceKey(count));
  }
  for (const auto& [key, value] : index) writes.PutMeta(key, value);
  writes.PutMeta(std::string(kOpenReviewCountsMetaKey), "1");
  return store.Apply(writes);
}

}  // namespace fieldsync
