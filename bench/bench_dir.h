// A fresh folder under /tmp for one benchmark run, removed afterwards, so
// each benchmark starts from an empty database and runs leave nothing.
#ifndef FIELDSYNC_BENCH_BENCH_DIR_H_
#define FIELDSYNC_BENCH_BENCH_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace fieldsync::bench {

class BenchDir {
 public:
  BenchDir() {
    std::string pattern = "/tmp/fieldsync-bench-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~BenchDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;

  // Empty if the folder could not be made.
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_BENCH_DIR_H_
