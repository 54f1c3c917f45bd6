// fieldsync-server: the authoritative FieldSync replica behind gRPC.
#include <CLI/CLI.hpp>

#include "server/server_app.h"

int main(int argc, char** argv) {
  // Before any thread exists, so that only RunServer() takes the signals.
  fieldsync::server::BlockShutdownSignals();

  fieldsync::server::ServerOptions options;
  CLI::App app{
      "fieldsync-server: the FieldSync sync server. Serves the catalogue, "
      "areas and sync over gRPC (health checking and reflection on)."};
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
      ->check(CLI::Range(8, 1 << 20))
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
  app.add_flag("--dev-device-header", options.dev_device_header,
               "DEVELOPMENT ONLY: identify devices by the x-fieldsync-device "
               "header, without authentication; plaintext on loopback only, "
               "on a data folder of its own, and the secrets it mints are "
               "refused by a server without this flag");
  CLI11_PARSE(app, argc, argv);
  return fieldsync::server::RunServer(options);
}
