#include "sync/deterministic.h"

#include <zlib.h>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace fieldsync {

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

uint32_t ChecksumStart() { return static_cast<uint32_t>(crc32(0L, Z_NULL, 0)); }

uint32_t ChecksumAppend(uint32_t checksum, std::string_view doc_bytes) {
  return static_cast<uint32_t>(
      crc32(checksum, reinterpret_cast<const Bytef*>(doc_bytes.data()),
            static_cast<uInt>(doc_bytes.size())));
}

uint32_t PageChecksum(const v1::PullResponse& page) {
  uint32_t checksum = ChecksumStart();
  for (const v1::Document& doc : page.documents()) {
    checksum = ChecksumAppend(checksum, DeterministicBytes(doc));
  }
  return checksum;
}

}  // namespace fieldsync
