// fieldsync_bench: named workloads against the real fieldsync-server on
// loopback (STYLE.md 13); figures and commands in docs/benchmarks.md.
//
//   fieldsync_bench --benchmarks=push,pull,resume,pull_flat,totals
//                   [--scale full]
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bench/workloads.h"

namespace {

constexpr const char* kWorkloads[] = {"push", "pull", "resume", "pull_flat",
                                      "totals"};

}  // namespace

int main(int argc, char** argv) {
  fieldsync::bench::BenchConfig config;
  config.server_binary = FS_SERVER_BINARY;
  std::vector<std::string> benchmarks = {"push", "pull", "resume", "pull_flat"};
  std::string scale = "full";
  CLI::App app{
      "fieldsync_bench: sync service load benchmarks against the real "
      "fieldsync-server on 127.0.0.1 (docs/benchmarks.md)."};
  app.add_option("--benchmarks", benchmarks,
                 "workloads to run, in order: push, pull, resume, pull_flat, "
                 "totals")
      ->delimiter(',')
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kWorkloads),
                                                     std::end(kWorkloads))))
      ->capture_default_str();
  app.add_option("--server-binary", config.server_binary,
                 "the fieldsync-server to start")
      ->capture_default_str();
  app.add_option("--scale", scale,
                 "full: the issue's sizes; small: about 10x smaller, a smoke "
                 "run of a few seconds")
      ->check(CLI::IsMember({"small", "full"}))
      ->capture_default_str();
  app.add_option("--push-rounds", config.push_rounds,
                 "push: rounds of (server, ceiling), run alternately and "
                 "judged on the median; 0: 5 at full scale, 1 at small")
      ->check(CLI::Range(0, 99))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  config.full = scale == "full";
  // Each line as it is measured, in order with the server's stderr.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  // pull and resume share one loaded server.
  std::optional<fieldsync::bench::LoadedServer> loaded;
  std::vector<std::pair<std::string, bool>> verdicts;
  for (const std::string& name : benchmarks) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<bool> met;
    if (name == "push") {
      met = fieldsync::bench::RunPush(config);
    } else if (name == "totals") {
      met = fieldsync::bench::RunTotals(config);
    } else if (name == "pull_flat") {
      met = fieldsync::bench::RunPullFlat(config);
    } else {
      if (!loaded.has_value()) {
        absl::StatusOr<fieldsync::bench::LoadedServer> l =
            fieldsync::bench::LoadCommune(config);
        if (!l.ok()) {
          std::fprintf(stderr, "fieldsync_bench: %s: %s\n", name.c_str(),
                       std::string(l.status().message()).c_str());
          return 1;
        }
        loaded = *std::move(l);
      }
      met = name == "pull" ? fieldsync::bench::RunPull(config, *loaded)
                           : fieldsync::bench::RunResume(config, *loaded);
    }
    if (!met.ok()) {
      std::fprintf(stderr, "fieldsync_bench: %s failed: %s\n", name.c_str(),
                   std::string(met.status().message()).c_str());
      return 1;
    }
    std::printf(
        "  (%s took %.1f s)\n\n", name.c_str(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    std::fflush(stdout);
    verdicts.emplace_back(name, *met);
  }
  std::printf("summary (%s scale):\n", config.full ? "full" : "small");
  for (const auto& [name, met] : verdicts) {
    std::printf("  %-10s %s\n", name.c_str(),
                met ? "target met" : "target NOT met");
  }
  return 0;
}
