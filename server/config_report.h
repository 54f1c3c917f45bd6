// What fieldsync-server tells a person about its config: each problem of a
// config file as "FILE:LINE:COLUMN: what", and the effective config printed
// at start, in English or Vietnamese from the one message table
// (client-sdk/cli/messages.h).
#ifndef FIELDSYNC_SERVER_CONFIG_REPORT_H_
#define FIELDSYNC_SERVER_CONFIG_REPORT_H_

#include <map>
#include <set>
#include <string>

#include "client-sdk/cli/messages.h"
#include "server/server_app.h"
#include "server/server_config.h"

namespace fieldsync::server {

// "FILE:LINE:COLUMN: key "block_cache_mb": expected a whole number from 8 to
// 1048576, found "lots"" (editors jump to FILE:LINE:COLUMN).
std::string DescribeConfigProblem(const std::string& file,
                                  const ConfigProblem& problem,
                                  cli::Language language);

// Where each option's value came from.
struct ConfigOrigins {
  std::string file;                       // "" without --config
  std::map<std::string, int> file_lines;  // key -> line, set by the file
  std::set<std::string> flags;            // keys set by a flag
};

// The effective config as YAML lines (a header line, then "  key: value  #
// origin" per key), secret keys shown only as set or not.
std::string EffectiveConfigText(const ServerOptions& options,
                                const ConfigOrigins& origins,
                                cli::Language language);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_CONFIG_REPORT_H_
