// zstd frames as a pull page carries them (sync/zstd_codec.h): any bytes
// decode into at most the limit or are refused, and what is compressed
// decodes back to itself.
#include "sync/zstd_codec.h"
#include "tests/fuzz/fuzz_input.h"

namespace fieldsync::fuzz {
namespace {

constexpr size_t kLimit = 1 << 20;

}  // namespace
}  // namespace fieldsync::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldsync::fuzz;
  const std::string_view bytes = Bytes(data, size);
  std::string out;
  if (fieldsync::ZstdDecompress(bytes, kLimit, out).ok() &&
      out.size() > kLimit) {
    Fail("a frame decoded past its limit");
  }
  std::string frame;
  fieldsync::ZstdCompress(bytes, 1, frame);
  std::string back;
  if (!fieldsync::ZstdDecompress(frame, size, back).ok() || back != bytes) {
    Fail("a compressed frame did not decode to its input");
  }
  return 0;
}
