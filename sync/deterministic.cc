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

uint32_t PageChecksum(const v1::PullResponse& page) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (const v1::Document& doc : page.documents()) {
    std::string bytes = DeterministicBytes(doc);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()),
                static_cast<uInt>(bytes.size()));
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace fieldsync
