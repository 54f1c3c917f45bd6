// Document keys ("<kind>/<id>") and the body message each kind holds.
#ifndef FIELDSYNC_SYNC_DOC_KIND_H_
#define FIELDSYNC_SYNC_DOC_KIND_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "fieldsync/v1/document.pb.h"

namespace fieldsync {

enum class DocKind { kModel, kArea, kSector, kReport, kProposal, kDevice };

struct ParsedKey {
  DocKind kind;
  std::string id;
};

// Parses "<kind>/<id>"; InvalidArgument naming the key if the kind is
// unknown or the id is empty or holds characters outside [a-z0-9._-].
absl::StatusOr<ParsedKey> ParseDocKey(std::string_view key);

// True for the kinds devices may write through mutations; areas, sectors
// and devices are changed only by the server's admin paths.
bool IsReplicatedKind(DocKind kind);

// The body of `doc` for `kind`, created empty if unset.
google::protobuf::Message* MutableBody(v1::Document& doc, DocKind kind);

// The body of `doc`, or nullptr if it has none.
const google::protobuf::Message* Body(const v1::Document& doc);

// The body's message type for `kind`.
const google::protobuf::Descriptor* BodyType(DocKind kind);
// The body type's default instance, to make or parse messages of it.
const google::protobuf::Message& BodyPrototype(DocKind kind);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_DOC_KIND_H_
