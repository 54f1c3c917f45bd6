// Vietnamese text handling shared by server and tablet: NFC normalisation for
// storage, and folding for search so that "tan phu dong" finds "Tân Phú Đông".
#ifndef FIELDSYNC_SYNC_TEXT_FOLD_H_
#define FIELDSYNC_SYNC_TEXT_FOLD_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace fieldsync {

// Returns `text` in Unicode NFC, or InvalidArgument if it is not valid UTF-8.
absl::StatusOr<std::string> NormalizeNfc(std::string_view text);

// True if `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text);

// `text` with each byte that starts no valid UTF-8 sequence replaced by
// U+FFFD: for messages that quote input (a bad key, a path) where UTF-8 is
// promised (the C API, a proto3 string in error details).
std::string ToValidUtf8(std::string_view text);

// How much of the text's identity a search keeps.
enum class FoldMode {
  kIgnoreDiacritics,  // "Đông" == "dong": marks stripped, đ -> d, lower case
  kKeepDiacritics,    // "Đông" == "đông" but != "dong": lower case only
};

// Folds `text` for matching: case-folded, NFC, optionally without diacritics,
// every run of non-alphanumeric characters turned into one space, and
// surrounded by single spaces (" tan phu dong ") so word starts can be
// matched with a plain substring search. Invalid UTF-8 folds to " ".
std::string FoldForSearch(std::string_view text, FoldMode mode);

// True if the folded `query` occurs in the folded `haystack` at a word start.
// Both must come from FoldForSearch with the same mode; an empty query
// (" ") matches everything.
bool FoldedContains(std::string_view folded_haystack,
                    std::string_view folded_query);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_TEXT_FOLD_H_
