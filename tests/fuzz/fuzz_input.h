// What every fuzz target (tests/fuzz/*_fuzz.cc) shares: the input as
// bytes, and a failure that libFuzzer reports as a crash with its message.
#ifndef FIELDSYNC_TESTS_FUZZ_FUZZ_INPUT_H_
#define FIELDSYNC_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace fieldsync::fuzz {

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// A number taken from the input's first 8 bytes (0 if it has fewer), the
// rest left in `data` and `size`: for parsers that take one beside bytes.
inline uint64_t TakeNumber(const uint8_t*& data, size_t& size) {
  uint64_t n = 0;
  if (size < sizeof(n)) return n;
  std::memcpy(&n, data, sizeof(n));
  data += sizeof(n);
  size -= sizeof(n);
  return n;
}

// A property the parser promises does not hold: a crash for libFuzzer,
// which then keeps the input.
[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "fuzz property failed: %s\n", what);
  std::abort();
}

}  // namespace fieldsync::fuzz

#endif  // FIELDSYNC_TESTS_FUZZ_FUZZ_INPUT_H_
