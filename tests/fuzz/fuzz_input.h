// What every fuzz target (tests/fuzz/*_fuzz.cc) shares: the input as
// bytes, and a failure that libFuzzer reports as a crash with its message.
#ifndef FIELDSYNC_TESTS_FUZZ_FUZZ_INPUT_H_
#define FIELDSYNC_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fieldsync::fuzz {

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// A property the parser promises does not hold: a crash for libFuzzer,
// which then keeps the input.
[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "fuzz property failed: %s\n", what);
  std::abort();
}

}  // namespace fieldsync::fuzz

#endif  // FIELDSYNC_TESTS_FUZZ_FUZZ_INPUT_H_
