#include "sync/store_format.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sync/status_macros.h"

namespace fieldsync {

absl::StatusOr<uint32_t> StoredFormat(Store& store) {
  FS_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                      store.GetMeta(kFormatMetaKey));
  if (!stored.has_value()) return 0;
  uint32_t format = 0;
  if (!absl::SimpleAtoi(*stored, &format)) {
    return absl::DataLossError(absl::StrCat("the store's format version \"",
                                            absl::CHexEscape(*stored),
                                            "\" is not a number"));
  }
  return format;
}

absl::Status CheckFormatReadable(Store& store, uint32_t current,
                                 std::string_view what) {
  FS_ASSIGN_OR_RETURN(const uint32_t format, StoredFormat(store));
  if (format <= current) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the ", std::string(what), " is in format ", format,
      ", newer than format ", current,
      " which this release reads: run the release that wrote it, or a newer "
      "one"));
}

absl::Status StartAtFormat(Store& store, uint32_t current) {
  WriteSet writes;
  writes.PutMeta(std::string(kFormatMetaKey), absl::StrCat(current));
  return store.Apply(writes);
}

absl::StatusOr<std::vector<std::string>> MigrateStore(
    Store& store, uint32_t current, absl::Span<const Migration> migrations,
    std::string_view what) {
  if (migrations.size() != current) {
    return absl::InternalError("one migration per format expected");
  }
  FS_RETURN_IF_ERROR(CheckFormatReadable(store, current, what));
  FS_ASSIGN_OR_RETURN(const uint32_t format, StoredFormat(store));
  std::vector<std::string> ran;
  for (const Migration& step : migrations) {
    if (step.to <= format) continue;
    if (step.run != nullptr) FS_RETURN_IF_ERROR(step.run(store));
    WriteSet writes;
    writes.PutMeta(std::string(kFormatMetaKey), absl::StrCat(step.to));
    FS_RETURN_IF_ERROR(store.Apply(writes));
    ran.push_back(absl::StrCat("format ", step.to - 1, " to ", step.to, ": ",
                               std::string(step.what)));
  }
  return ran;
}

}  // namespace fieldsync
