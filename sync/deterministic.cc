#include "sync/deterministic.h"

#include <zlib.h>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace fieldsync {

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  DeterministicBytesTo(message, bytes);
  return bytes;
}

void DeterministicBytesTo(const google::protobuf::Message& message,
                          std::string& out) {
  // Sized once, written once: no growing buffer.
  const size_t size = message.ByteSizeLong();
  out.resize(size);
  google::protobuf::io::ArrayOutputStream array(out.data(),
                                                static_cast<int>(size));
  google::protobuf::io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  message.SerializeWithCachedSizes(&coded);
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
