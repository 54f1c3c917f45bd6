// A unique temporary folder per test, removed afterwards, so tests can run
// in parallel (ctest -j2) without sharing state.
#ifndef FIELDSYNC_TESTS_SUPPORT_TEMP_DIR_H_
#define FIELDSYNC_TESTS_SUPPORT_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace fieldsync::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "fieldsync-test-XXXXXX")
            .string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_TEMP_DIR_H_
