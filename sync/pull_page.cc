#include "sync/pull_page.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "sync/deterministic.h"
#include "sync/tuning.h"
#include "sync/zstd_codec.h"

namespace fieldsync {
namespace {

using google::protobuf::internal::WireFormatLite;

// PullResponse and Document field numbers (proto/fieldsync/v1/).
constexpr int kPageDocuments = 1;
constexpr int kPageCursor = 2;
constexpr int kPageSnapshot = 3;
constexpr int kPageChecksum = 4;
constexpr int kPageDone = 5;
constexpr int kPageEstimatedDocuments = 6;
constexpr int kPageEncodedDocuments = 7;
constexpr int kPageDocumentsEncoding = 8;
constexpr int kDocumentVersion = 2;

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void AppendTag(std::string& out, int field, WireFormatLite::WireType type) {
  AppendVarint(out, WireFormatLite::MakeTag(field, type));
}

void AppendBytesField(std::string& out, int field, std::string_view bytes) {
  AppendTag(out, field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  AppendVarint(out, bytes.size());
  out.append(bytes.data(), bytes.size());
}

const uint8_t* Data(std::string_view bytes) {
  return reinterpret_cast<const uint8_t*>(bytes.data());
}

}  // namespace

void AppendEstimatedDocuments(std::string& page_bytes, uint64_t estimate) {
  if (estimate == 0) return;
  AppendTag(page_bytes, kPageEstimatedDocuments,
            WireFormatLite::WIRETYPE_VARINT);
  AppendVarint(page_bytes, estimate);
}

PullPageBuilder::PullPageBuilder() : checksum_(ChecksumStart()) {}

void PullPageBuilder::AddDocument(std::string_view doc_bytes) {
  AppendBytesField(bytes_, kPageDocuments, doc_bytes);
  checksum_ = ChecksumAppend(checksum_, doc_bytes);
  document_bytes_ += doc_bytes.size();
  ++documents_;
}

std::string PullPageBuilder::Finish(std::string_view cursor, bool snapshot,
                                    bool done) {
  // Fields in number order, defaults left out, as protobuf writes them.
  if (!cursor.empty()) AppendBytesField(bytes_, kPageCursor, cursor);
  if (snapshot) {
    AppendTag(bytes_, kPageSnapshot, WireFormatLite::WIRETYPE_VARINT);
    bytes_.push_back(1);
  }
  if (checksum_ != 0) {
    AppendTag(bytes_, kPageChecksum, WireFormatLite::WIRETYPE_FIXED32);
    for (int shift = 0; shift < 32; shift += 8) {
      bytes_.push_back(static_cast<char>((checksum_ >> shift) & 0xff));
    }
  }
  if (done) {
    AppendTag(bytes_, kPageDone, WireFormatLite::WIRETYPE_VARINT);
    bytes_.push_back(1);
  }
  return std::move(bytes_);
}

absl::StatusOr<std::string> EncodePageDocuments(std::string page,
                                                v1::PageEncoding encoding,
                                                int zstd_level) {
  if (encoding == v1::PAGE_ENCODING_UNSPECIFIED) return page;
  if (encoding != v1::PAGE_ENCODING_ZSTD) {
    return absl::InvalidArgumentError(
        absl::StrCat("page encoding ", encoding, " is not supported"));
  }
  // The documents' run: field 1 entries from the start.
  google::protobuf::io::CodedInputStream in(Data(page),
                                            static_cast<int>(page.size()));
  size_t run_end = 0;
  bool others = false;  // fields after the run; none may be a document
  while (uint32_t tag = in.ReadTag()) {
    const bool document =
        WireFormatLite::GetTagFieldNumber(tag) == kPageDocuments;
    if (document && others) {
      return absl::InternalError("a page's documents are not all at its start");
    }
    if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::InternalError("a page to encode does not parse");
    }
    if (document) {
      run_end = static_cast<size_t>(in.CurrentPosition());
    } else {
      others = true;
    }
  }
  if (!in.ConsumedEntireMessage()) {
    return absl::InternalError("a page to encode does not parse");
  }
  if (run_end == 0) return page;
  std::string frame;
  ZstdCompress(std::string_view(page).substr(0, run_end), zstd_level, frame);
  std::string encoded;
  encoded.reserve(frame.size() + 16 + page.size() - run_end);
  AppendBytesField(encoded, kPageEncodedDocuments, frame);
  AppendTag(encoded, kPageDocumentsEncoding, WireFormatLite::WIRETYPE_VARINT);
  AppendVarint(encoded, v1::PAGE_ENCODING_ZSTD);
  // The other fields follow; a parser takes fields in any order.
  encoded.append(page, run_end);
  return encoded;
}

absl::Status DecodePageDocuments(v1::PullResponse& page, std::string& decoded) {
  decoded.clear();
  switch (page.documents_encoding()) {
    case v1::PAGE_ENCODING_UNSPECIFIED:
      return absl::OkStatus();
    case v1::PAGE_ENCODING_ZSTD:
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("a pull page is in encoding ", page.documents_encoding(),
                       ", which this client did not ask for"));
  }
  if (page.documents_size() > 0) {
    return absl::DataLossError("a zstd pull page also carries plain documents");
  }
  if (absl::Status s = ZstdDecompress(page.encoded_documents(),
                                      tuning::kMaxDecodedPageBytes, decoded);
      !s.ok()) {
    return absl::DataLossError(
        absl::StrCat("a pull page's documents: ", s.message()));
  }
  google::protobuf::io::ArrayInputStream in(decoded.data(),
                                            static_cast<int>(decoded.size()));
  if (!page.MergeFromBoundedZeroCopyStream(&in,
                                           static_cast<int>(decoded.size()))) {
    return absl::DataLossError("a pull page's decoded documents do not parse");
  }
  // The frame is not needed once decoded (it may be the page's largest
  // field).
  page.clear_encoded_documents();
  page.clear_documents_encoding();
  return absl::OkStatus();
}

std::optional<uint64_t> DocumentVersion(std::string_view doc_bytes) {
  google::protobuf::io::CodedInputStream in(Data(doc_bytes),
                                            static_cast<int>(doc_bytes.size()));
  uint64_t version = 0;  // proto3: absent means 0
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == kDocumentVersion &&
        WireFormatLite::GetTagWireType(tag) ==
            WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint64(&version)) return std::nullopt;
      // The last occurrence wins; a deterministic encoding has one, early.
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) return std::nullopt;
  }
  if (!in.ConsumedEntireMessage()) return std::nullopt;
  return version;
}

std::optional<uint32_t> PageDocumentsChecksum(std::string_view page_bytes) {
  google::protobuf::io::CodedInputStream in(
      Data(page_bytes), static_cast<int>(page_bytes.size()));
  uint32_t checksum = ChecksumStart();
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == kPageDocuments &&
        WireFormatLite::GetTagWireType(tag) ==
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) return std::nullopt;
      const int at = in.CurrentPosition();
      if (length > page_bytes.size() - static_cast<size_t>(at)) {
        return std::nullopt;
      }
      checksum = ChecksumAppend(checksum, page_bytes.substr(at, length));
      if (!in.Skip(static_cast<int>(length))) return std::nullopt;
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) return std::nullopt;
  }
  if (!in.ConsumedEntireMessage()) return std::nullopt;
  return checksum;
}

}  // namespace fieldsync
