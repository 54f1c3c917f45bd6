// fieldsync-server: the authoritative FieldSync replica behind gRPC.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "server/config_report.h"
#include "server/listen_address.h"
#include "server/metrics_listener.h"
#include "server/server_app.h"
#include "server/server_config.h"
#include "sync/backup.h"

namespace {

using fieldsync::server::ServerOptions;

// A config file with problems, refused before anything starts: the
// conventional exit code of a usage error.
constexpr int kBadConfigExit = 2;

struct ConfigFlags {
  std::string config;        // --config FILE
  std::string check_config;  // --check-config FILE
  std::string restore_from;  // --restore-from DIR
};

// Declares every flag on `app`, bound to `options`. main() parses twice
// (below), so the same declarations serve both passes.
void AddServerFlags(CLI::App& app, ServerOptions& options,
                    ConfigFlags& config) {
  app.add_option("--config", config.config,
                 "YAML file of settings (deploy/fieldsync.example.yaml); "
                 "flags given as well override it");
  app.add_option("--check-config", config.check_config,
                 "check a config file (and any flags given with it), then "
                 "exit: 0 and \"ok\" if it is good, 2 naming each problem's "
                 "key and line; starts nothing and writes nothing")
      ->excludes("--config");
  app.add_option("--restore-from", config.restore_from,
                 "restore the backup in DIR (made by `fieldsync admin backup "
                 "--to DIR`) into --data-dir, a new or empty folder; check it, "
                 "print what it holds and exit (then start the server on "
                 "that --data-dir)")
      ->excludes("--check-config");
  app.add_option("--listen", options.listen,
                 "HOST:PORT to serve on; port 0 picks a free port and prints "
                 "it")
      ->capture_default_str();
  app.add_option("--data-dir", options.data_dir,
                 "folder for the RocksDB data; created and loaded with the "
                 "Đồng Tháp catalogue on first start")
      ->capture_default_str();
  app.add_option("--durability", options.durability,
                 "when a push is acknowledged: sync (WAL fsynced; survives "
                 "power loss) or relaxed (written; survives a crash)")
      ->capture_default_str();
  app.add_option("--log-retention", options.log_retention,
                 "server sequences whose log is kept whole; older entries "
                 "that a later change superseded are compacted away (pulls "
                 "from any cursor still resume)")
      ->capture_default_str();
  app.add_option("--block-cache-mb", options.block_cache_mb,
                 "MiB of memory for RocksDB's cache of table blocks (shared by "
                 "all data); more keeps more of a large database's pulls out "
                 "of decompression")
      ->check(CLI::Range(fieldsync::server::kMinBlockCacheMb,
                         fieldsync::server::kMaxBlockCacheMb))
      ->capture_default_str();
  app.add_option("--tls-cert", options.tls.cert_file,
                 "PEM certificate chain of the server: serve TLS");
  app.add_option("--tls-key", options.tls.key_file,
                 "PEM private key of --tls-cert");
  app.add_option("--tls-client-ca", options.tls.client_ca_file,
                 "PEM CA of client certificates: require mutual TLS");
  app.add_flag("--tls-self-signed", options.tls.self_signed,
               "serve TLS with a certificate the server makes on first start "
               "and keeps in DATA_DIR/tls (key mode 0600); clients pin its "
               "SHA-256, which the admin secret file and enrolment QR codes "
               "carry");
  app.add_flag("--plaintext", options.tls.plaintext,
               "serve without TLS (a warning is logged), on a loopback "
               "address only; otherwise the server needs --tls-self-signed, "
               "or --tls-cert and --tls-key");
  app.add_option("--metrics-listen", options.metrics_listen,
                 "HOST:PORT of an HTTP listener of its own for /metrics "
                 "(Prometheus), /healthz and /readyz; \"\" turns it off, port "
                 "0 picks a free one. Unauthenticated: loopback only unless "
                 "--metrics-allow-remote")
      ->capture_default_str();
  app.add_flag("--metrics-allow-remote", options.metrics_allow_remote,
               "let --metrics-listen use an address other than loopback "
               "(anyone who reaches it reads the metrics: firewall it)");
  app.add_flag("--dev-device-header", options.dev_device_header,
               "DEVELOPMENT ONLY: identify devices by the x-fieldsync-device "
               "header, without authentication; plaintext on loopback only, "
               "on a data folder of its own, and the secrets it mints are "
               "refused by a server without this flag");
}

const char* const kDescription =
    "fieldsync-server: the FieldSync sync server. Serves the catalogue, "
    "areas and sync over gRPC (health checking and reflection on).";

// fieldsync-server --restore-from DIR --data-dir NEW: the exit code.
int Restore(const std::string& from, const std::string& data_dir,
            fieldsync::cli::Language language) {
  // The restored files are the server's user's alone, as the server's own.
  ::umask(077);
  absl::StatusOr<fieldsync::BackupSummary> restored =
      fieldsync::RestoreBackup(from, data_dir);
  if (!restored.ok()) {
    std::cerr << "fieldsync-server: "
              << fieldsync::cli::Format(
                     fieldsync::cli::Msg::kRestoreRefused, language,
                     std::string(restored.status().message()))
              << std::endl;
    return 1;
  }
  std::cout << "fieldsync-server: "
            << fieldsync::cli::Format(fieldsync::cli::Msg::kRestoreDone,
                                      language, restored->documents,
                                      restored->bytes, restored->last_sequence,
                                      from, data_dir)
            << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = fieldsync::server;
  // Before any thread exists, so that only RunServer() takes the signals.
  fs::BlockShutdownSignals();
  const fieldsync::cli::Language language =
      fieldsync::cli::LanguageFromEnvironment();

  // Flags override the file, so the file is read first: the first pass
  // finds --config (and checks the flags, answers --help); the second
  // applies the flags given over the file's values.
  ConfigFlags config;
  {
    ServerOptions ignored;
    CLI::App app{kDescription};
    AddServerFlags(app, ignored, config);
    CLI11_PARSE(app, argc, argv);
  }
  const bool check_only = !config.check_config.empty();
  fs::ConfigOrigins origins{.file = check_only ? config.check_config
                                               : config.config};
  ServerOptions options;
  if (!origins.file.empty()) {
    absl::StatusOr<std::string> text = fs::ReadConfigFile(origins.file);
    if (!text.ok()) {
      std::cerr << "fieldsync-server: "
                << fieldsync::cli::Format(fieldsync::cli::Msg::kCfgCannotRead,
                                          language,
                                          std::string(text.status().message()))
                << std::endl;
      return kBadConfigExit;
    }
    fs::ParsedConfig parsed = fs::ParseServerConfig(*text, options);
    if (!parsed.problems.empty()) {
      for (const fs::ConfigProblem& problem : parsed.problems) {
        std::cerr << fs::DescribeConfigProblem(origins.file, problem, language)
                  << std::endl;
      }
      std::cerr << "fieldsync-server: "
                << fieldsync::cli::Format(
                       fieldsync::cli::Msg::kCfgProblemsCount, language,
                       origins.file, parsed.problems.size())
                << std::endl;
      return kBadConfigExit;
    }
    options = parsed.options;
    origins.file_lines = parsed.lines;
  }
  {
    ConfigFlags again;
    CLI::App app{kDescription};
    AddServerFlags(app, options, again);
    CLI11_PARSE(app, argc, argv);
    for (const fs::ConfigKey& key : fs::ConfigKeys()) {
      if (app.get_option(key.flag)->count() > 0) origins.flags.insert(key.name);
    }
    if (!config.restore_from.empty()) {
      // A default data folder would be an easy place to restore into by
      // mistake: the operator names the new one.
      if (app.get_option("--data-dir")->count() == 0) {
        std::cerr << "fieldsync-server: "
                  << fieldsync::cli::Text(
                         fieldsync::cli::Msg::kRestoreNeedsDataDir, language)
                  << std::endl;
        return kBadConfigExit;
      }
      return Restore(config.restore_from, options.data_dir, language);
    }
  }
  options.metrics_listen_given = origins.flags.contains("metrics_listen") ||
                                 origins.file_lines.contains("metrics_listen");
  if (check_only) {
    // The settings together, as RunServer() would check them first; these
    // name options, not lines, as they may come from flags too.
    absl::Status together = absl::OkStatus();
    if (absl::StatusOr<fs::ListenAddress> address =
            fs::ParseListenAddress(options.listen);
        !address.ok()) {
      together = address.status();
    } else {
      together = fs::CheckTlsOptions(options.tls, *address);
    }
    if (together.ok()) {
      together = fs::MetricsAddress(options.metrics_listen,
                                    options.metrics_allow_remote)
                     .status();
    }
    if (!together.ok()) {
      std::cerr << "fieldsync-server: "
                << fieldsync::cli::Format(fieldsync::cli::Msg::kCfgCombination,
                                          language,
                                          std::string(together.message()))
                << std::endl;
      return kBadConfigExit;
    }
    std::cout << "fieldsync-server: "
              << fieldsync::cli::Format(fieldsync::cli::Msg::kCfgOk, language,
                                        origins.file, origins.file_lines.size())
              << std::endl;
    return 0;
  }
  std::cerr << "fieldsync-server: "
            << fs::EffectiveConfigText(options, origins, language)
            << std::flush;
  return fs::RunServer(options);
}
