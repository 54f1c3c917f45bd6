#include "sync/doc_kind.h"

#include "absl/strings/str_cat.h"
#include "sync/field_error.h"

namespace fieldsync {
namespace {

struct KindInfo {
  DocKind kind;
  std::string_view name;
};

constexpr KindInfo kKinds[] = {
    {DocKind::kModel, "model"},       {DocKind::kArea, "area"},
    {DocKind::kSector, "sector"},     {DocKind::kReport, "report"},
    {DocKind::kProposal, "proposal"}, {DocKind::kDevice, "device"},
};

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

absl::StatusOr<ParsedKey> ParseDocKey(std::string_view key) {
  const size_t slash = key.find('/');
  const std::string_view kind = key.substr(0, slash);
  for (const KindInfo& info : kKinds) {
    if (info.name != kind) continue;
    std::string_view id = slash == std::string_view::npos
                              ? std::string_view()
                              : key.substr(slash + 1);
    if (id.empty() || id.size() > 128) {
      return InvalidFieldError(
          "key", absl::StrCat("\"", std::string(key),
                              "\" needs an id of 1 to 128 characters"));
    }
    for (char c : id) {
      if (!IsIdChar(c)) {
        return InvalidFieldError(
            "key", absl::StrCat("\"", std::string(key),
                                "\": ids use only a-z, 0-9, '-', '_' and '.'"));
      }
    }
    return ParsedKey{info.kind, std::string(id)};
  }
  return InvalidFieldError(
      "key", absl::StrCat("\"", std::string(key),
                          "\" is not <kind>/<id> with kind model, report, "
                          "proposal, area, sector or device"));
}

bool IsReplicatedKind(DocKind kind) {
  return kind == DocKind::kModel || kind == DocKind::kReport ||
         kind == DocKind::kProposal;
}

google::protobuf::Message* MutableBody(v1::Document& doc, DocKind kind) {
  switch (kind) {
    case DocKind::kModel:
      return doc.mutable_model();
    case DocKind::kArea:
      return doc.mutable_area();
    case DocKind::kSector:
      return doc.mutable_sector();
    case DocKind::kReport:
      return doc.mutable_report();
    case DocKind::kProposal:
      return doc.mutable_proposal();
    case DocKind::kDevice:
      return doc.mutable_device();
  }
  return nullptr;
}

const google::protobuf::Message* Body(const v1::Document& doc) {
  switch (doc.body_case()) {
    case v1::Document::kModel:
      return &doc.model();
    case v1::Document::kArea:
      return &doc.area();
    case v1::Document::kSector:
      return &doc.sector();
    case v1::Document::kReport:
      return &doc.report();
    case v1::Document::kProposal:
      return &doc.proposal();
    case v1::Document::kDevice:
      return &doc.device();
    case v1::Document::BODY_NOT_SET:
      return nullptr;
  }
  return nullptr;
}

const google::protobuf::Descriptor* BodyType(DocKind kind) {
  return BodyPrototype(kind).GetDescriptor();
}

const google::protobuf::Message& BodyPrototype(DocKind kind) {
  // Asked once per mutation: no document is built, and no factory (which
  // takes a lock) asked, to find it.
  switch (kind) {
    case DocKind::kModel:
      return v1::Model::default_instance();
    case DocKind::kArea:
      return v1::Area::default_instance();
    case DocKind::kSector:
      return v1::Sector::default_instance();
    case DocKind::kReport:
      return v1::Report::default_instance();
    case DocKind::kProposal:
      return v1::Proposal::default_instance();
    case DocKind::kDevice:
      return v1::Device::default_instance();
  }
  return v1::Report::default_instance();  // not reached: every kind is above
}

}  // namespace fieldsync
