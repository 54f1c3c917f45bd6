// The server's config file (server/server_config.h) as an operator might
// mistype it: any bytes are either applied or refused with problems that
// each carry a line, and never crash the parser.

#include "server/server_config.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldsync::fuzz;
  const std::string yaml(Bytes(data, size));
  fieldsync::server::ParsedConfig parsed = fieldsync::server::ParseServerConfig(
      yaml, fieldsync::server::ServerOptions());
  for (const fieldsync::server::ConfigProblem& problem : parsed.problems) {
    if (problem.line < 1 || problem.column < 1) {
      Fail("a config problem without its line and column");
    }
  }
  if (parsed.problems.empty() &&
      parsed.options.block_cache_mb < fieldsync::server::kMinBlockCacheMb) {
    Fail("a block cache below the minimum accepted");
  }
  return 0;
}
