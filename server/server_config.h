// fieldsync-server's YAML config file (--config FILE): one key for each
// flag, named like the flag with `_` for `-` (data_dir for --data-dir), in
// one table (kConfigKeys) that the parser, the effective-config printout
// and deploy/fieldsync.example.yaml follow. The file is checked whole
// before anything starts, and every problem is reported with its key and
// line: an operator editing a file over SSH should fix it in one round.
#ifndef FIELDSYNC_SERVER_SERVER_CONFIG_H_
#define FIELDSYNC_SERVER_SERVER_CONFIG_H_

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/server_app.h"

namespace fieldsync::server {

// The range --block-cache-mb and block_cache_mb accept.
inline constexpr uint64_t kMinBlockCacheMb = 8;
inline constexpr uint64_t kMaxBlockCacheMb = uint64_t{1} << 20;

enum class ConfigType {
  kText,
  kWholeNumber,  // within [min, max]
  kBool,         // true or false
  kChoice,       // one of `choices`
};

struct ConfigKey {
  const char* name;  // in the file: "data_dir"
  const char* flag;  // the flag it mirrors: "--data-dir"
  ConfigType type;
  // Printed as "(set, hidden)" in the effective config: a key file's path
  // says where the server's private key lives, which logs need not tell.
  bool secret = false;
  uint64_t min = 0;
  uint64_t max = 0;
  std::vector<const char*> choices = {};
  // The option the key sets; exactly one of these is non-null, by type.
  std::string* (*text)(ServerOptions&) = nullptr;
  uint64_t* (*number)(ServerOptions&) = nullptr;
  bool* (*boolean)(ServerOptions&) = nullptr;
};

// Every key the file may hold, in the order they are printed.
std::span<const ConfigKey> ConfigKeys();
const ConfigKey* FindConfigKey(const std::string& name);

// The value of `key` in `options`, as the config file would spell it.
std::string ConfigValueText(const ConfigKey& key, const ServerOptions& options);

// What the file holds instead of what a key expects.
enum class ConfigShape { kScalar, kList, kMap, kNothing };

// One thing wrong with a config file: a result to report, not an error, so
// that every problem of a file is reported at once.
struct ConfigProblem {
  enum class Kind {
    kMalformed,     // not YAML; `detail` is the parser's message
    kNotAMap,       // the top level is not `key: value` lines
    kUnknownKey,    // `suggestion` is the nearest known key, or ""
    kDuplicateKey,  // `first_line` is where it was first set
    kWrongType,     // `found`/`found_shape` does not fit the key's type
    kBadValue,      // the right type, but `detail` says why it is refused
  };
  Kind kind;
  std::string key;  // as written in the file; "" for kMalformed, kNotAMap
  int line = 0;     // 1-based
  int column = 0;   // 1-based
  ConfigShape found_shape = ConfigShape::kScalar;
  std::string found;  // the scalar as written (kWrongType)
  std::string suggestion;
  int first_line = 0;
  std::string detail;
};

// What a config file sets.
struct ParsedConfig {
  // The options passed in, with the file's values applied.
  ServerOptions options;
  // The keys the file set, each with its line (1-based).
  std::map<std::string, int> lines;
  // Empty when the file is good; in file order otherwise.
  std::vector<ConfigProblem> problems;
};

// Applies the YAML document `yaml` onto `base`. An empty document sets
// nothing. Reads and writes no file.
ParsedConfig ParseServerConfig(const std::string& yaml,
                               const ServerOptions& base);

// The contents of the config file at `path`; NotFound, PermissionDenied or
// another errno status whose message is "PATH: why".
absl::StatusOr<std::string> ReadConfigFile(const std::string& path);

// The known key nearest to `name` (edit distance at most 3, or the same
// words in another spelling such as "data-dir"); "" if none is near.
std::string NearestConfigKey(const std::string& name);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SERVER_CONFIG_H_
