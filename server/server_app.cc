#include "server/server_app.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.pb.h"
#include "server/admin_secret_file.h"
#include "server/admin_service.h"
#include "server/audit_log.h"
#include "server/authenticator.h"
#include "server/backup_admin.h"
#include "server/call_tracker.h"
#include "server/catalogue_cache.h"
#include "server/catalogue_index.h"
#include "server/catalogue_service.h"
#include "server/data_dir.h"
#include "server/device_registry.h"
#include "server/executor.h"
#include "server/field_report_seed.h"
#include "server/group_commit.h"
#include "server/listen_address.h"
#include "server/log_compactor.h"
#include "server/metrics_listener.h"
#include "server/monitoring_service.h"
#include "server/open_streams.h"
#include "server/sampled_metrics.h"
#include "server/seed_data.h"
#include "server/seed_loader.h"
#include "server/self_signed_certificate.h"
#include "server/server_metrics.h"
#include "server/sync_service.h"
#include "sync/clock.h"
#include "sync/rocksdb_store.h"
#include "sync/server_replica.h"
#include "sync/status_macros.h"
#include "sync/store_format.h"
#include "sync/tuning.h"

namespace fieldsync::server {
namespace {

// How long in-flight calls get to finish after a shutdown signal.
constexpr auto kShutdownGrace = std::chrono::seconds(5);

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

absl::Status CannotListen(const ListenAddress& address,
                          const absl::Status& why) {
  return absl::UnavailableError(absl::StrCat(
      "cannot listen on ", address.ToString(), ": ", std::string(why.message()),
      "; pick another with --listen (port 0 picks a free one)"));
}

int Fail(const absl::Status& status) {
  std::cerr << "fieldsync-server: " << status.message() << std::endl;
  return 1;
}

absl::StatusOr<Durability> ParseDurability(const std::string& text) {
  if (text == "sync") return Durability::kSync;
  if (text == "relaxed") return Durability::kRelaxed;
  return absl::InvalidArgumentError(
      absl::StrCat("--durability \"", text, "\": expected sync or relaxed"));
}

// Starts the metrics listener, if `address` names one, and serves
// `metrics`' counters on it; prints where.
absl::StatusOr<std::unique_ptr<MetricsListener>> StartMetrics(
    const std::optional<ListenAddress>& address) {
  if (!address.has_value()) {
    std::cout << "fieldsync-server: metrics off (--metrics-listen \"\")"
              << std::endl;
    return nullptr;
  }
  FS_ASSIGN_OR_RETURN(std::unique_ptr<MetricsListener> listener,
                      MetricsListener::Start(*address));
  ListenAddress bound = *address;
  bound.port = listener->port();
  // Tests read this line to learn the port; it must not say "listening
  // on", which announces the gRPC port.
  std::cout << "fieldsync-server: metrics at http://" << bound.ToString()
            << "/metrics (and /healthz, /readyz)" << std::endl;
  return listener;
}

absl::StatusOr<std::unique_ptr<RocksDbStore>> OpenSeededStore(
    const std::string& data_dir, const RocksDbStoreOptions& store_options) {
  FS_RETURN_IF_ERROR(PrepareDataDir(data_dir));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<RocksDbStore> store,
                      RocksDbStore::Open(data_dir + "/db", store_options));
  // A folder a newer release wrote is refused before anything is written
  // to it; an older one is migrated when the replica opens it.
  FS_RETURN_IF_ERROR(
      CheckFormatReadable(*store, kServerStoreFormat, "data folder"));
  // The embedded JSON is parsed only on the first start.
  FS_ASSIGN_OR_RETURN(bool loaded_before, SeedLoaded(*store));
  FS_ASSIGN_OR_RETURN(std::optional<std::string> layout,
                      store->GetMeta(kAppendixLayoutMetaKey));
  if (loaded_before && layout.has_value()) {
    std::cout << "fieldsync-server: the catalogue was loaded before; "
                 "nothing loaded again"
              << std::endl;
    return store;
  }
  FS_ASSIGN_OR_RETURN(Seed seed,
                      ParseSeed(EmbeddedCatalogueJson(), EmbeddedAreasJson()));
  // A first start: the folder is born in the current format.
  if (!loaded_before) {
    FS_RETURN_IF_ERROR(StartAtFormat(*store, kServerStoreFormat));
  }
  FS_RETURN_IF_ERROR(LoadSeedOnce(*store, seed).status());
  if (loaded_before) {
    std::cout << "fieldsync-server: the catalogue was loaded before; added "
                 "the appendix tables' layout"
              << std::endl;
    return store;
  }
  std::cout << "fieldsync-server: loaded the Đồng Tháp catalogue: "
            << seed.models.size() << " models, " << seed.sectors.size()
            << " sectors, " << seed.areas.size() << " areas" << std::endl;
  return store;
}

// On the first start there is no device at all: enrol a province admin and
// leave its secret in a file only the server's user can read. There is no
// default password, and the secret is never printed. A development
// server's devices do not count for a server that is not one (their
// secrets are refused there), so the first start out of development mode
// enrols a real admin. `server_sha256` pins the server's own certificate in
// the file, if it serves one.
absl::Status EnrollFirstAdmin(DeviceRegistry& registry,
                              const std::string& data_dir, AuditLog& audit,
                              bool development,
                              const std::string& server_sha256) {
  const std::string path = data_dir + "/admin-secret";
  if (registry.CountEnrolled(development) > 0) {
    return RepinAdminSecretFile(path, server_sha256);
  }
  FS_ASSIGN_OR_RETURN(
      auto enrolled,
      registry.Enroll("First province admin", v1::ROLE_PROVINCE_ADMIN,
                      "dong-thap",
                      audit.Event("enroll", "server", "",
                                  "first province admin, secret in " + path)));
  FS_RETURN_IF_ERROR(
      WriteAdminSecretFile(path, enrolled.second, server_sha256));
  std::cout << "fieldsync-server: enrolled the first province admin ("
            << enrolled.first.id() << "); its secret is in " << path
            << " (readable by this user only)" << std::endl;
  return absl::OkStatus();
}

// Development mode lets any caller claim any device, so it runs where only
// this machine can call, in plaintext (TLS would suggest otherwise), and
// never on a folder whose devices were enrolled for real.
absl::Status CheckDevelopmentMode(const ServerOptions& options,
                                  const ListenAddress& address) {
  if (!options.dev_device_header) return absl::OkStatus();
  if (!options.tls.cert_file.empty() || options.tls.self_signed) {
    return absl::InvalidArgumentError(
        "--dev-device-header refuses TLS (--tls-cert, --tls-self-signed): "
        "development mode trusts any caller, so it serves plaintext on "
        "loopback only; drop one or the other");
  }
  if (!IsLoopback(address.host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--dev-device-header on ", address.ToString(),
        ": development mode trusts any caller, so it listens on loopback only "
        "(--listen 127.0.0.1:PORT)"));
  }
  return absl::OkStatus();
}

// The self-signed certificate's files, made on first start, in `tls`; its
// SHA-256 for the admin's secret file.
absl::StatusOr<std::string> UseSelfSignedCertificate(
    const std::string& data_dir, TlsOptions& tls) {
  FS_RETURN_IF_ERROR(PrepareDataDir(data_dir));
  FS_ASSIGN_OR_RETURN(SelfSignedCertificate cert,
                      EnsureSelfSignedCertificate(data_dir));
  tls.self_signed = false;
  tls.cert_file = cert.cert_file;
  tls.key_file = cert.key_file;
  std::cout << "fieldsync-server: " << (cert.created ? "made" : "serving")
            << " a self-signed TLS certificate, " << cert.cert_file << " (key "
            << cert.key_file << ", readable by this user only); "
            << "SHA-256 " << cert.sha256
            << ": clients pin it (the admin secret file and enrolment QR "
               "codes carry it)"
            << std::endl;
  return cert.sha256;
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int RunServer(const ServerOptions& options) {
  // Everything the server creates is its user's alone (RocksDB's files, the
  // TLS key, the admin secret), whatever umask it was started with.
  ::umask(077);
  absl::StatusOr<ListenAddress> address = ParseListenAddress(options.listen);
  if (!address.ok()) return Fail(address.status());
  absl::StatusOr<Durability> durability = ParseDurability(options.durability);
  if (!durability.ok()) return Fail(durability.status());
  if (absl::Status s = CheckTlsOptions(options.tls, *address); !s.ok()) {
    return Fail(s);
  }
  if (absl::Status s = CheckDevelopmentMode(options, *address); !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<std::optional<ListenAddress>> metrics_address =
      MetricsAddress(options.metrics_listen, options.metrics_allow_remote);
  if (!metrics_address.ok()) return Fail(metrics_address.status());
  // A port already taken is found before anything touches the data
  // directory, so a failed start writes nothing. (The bind below still
  // reports a port taken in between.)
  if (address->port != 0) {
    if (absl::Status free = ProbeBind(*address); !free.ok()) {
      return Fail(CannotListen(*address, free));
    }
  }
  // Counted from the start; served from here on, before the store opens, so
  // /healthz answers and /readyz says "starting" while it does. A metrics
  // port taken is found before the data directory is touched too.
  ServerMetrics metrics;
  absl::StatusOr<std::unique_ptr<MetricsListener>> metrics_listener =
      StartMetrics(*metrics_address);
  if (!metrics_listener.ok() && !options.metrics_listen_given) {
    std::cerr << "fieldsync-server: WARNING: serving no metrics: "
              << metrics_listener.status().message() << std::endl;
    metrics_listener = std::unique_ptr<MetricsListener>();
  }
  if (!metrics_listener.ok()) return Fail(metrics_listener.status());
  MetricsListener::Registration counters_served;
  if (*metrics_listener != nullptr) {
    counters_served = (*metrics_listener)->Add(metrics.registry());
  }
  TlsOptions tls = options.tls;
  std::string server_sha256;  // of a self-signed certificate, clients pin it
  if (tls.self_signed) {
    absl::StatusOr<std::string> sha256 =
        UseSelfSignedCertificate(options.data_dir, tls);
    if (!sha256.ok()) return Fail(sha256.status());
    server_sha256 = *sha256;
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentials(tls, *address);
  if (!credentials.ok()) return Fail(credentials.status());

  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = OpenSeededStore(
      options.data_dir, {.durability = *durability,
                         .block_cache_bytes = options.block_cache_mb << 20,
                         .statistics = true});
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<CatalogueIndex> loaded = CatalogueIndex::Load(**store);
  if (!loaded.ok()) return Fail(loaded.status());
  // The replica starts from the area tree of this first load and keeps its
  // own from then on (hierarchy changes go through it); the read cache
  // swaps in newer indexes beside it.
  auto index = std::make_shared<const CatalogueIndex>(*std::move(loaded));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  // gRPC serves health checks without our generated health.pb, so nothing
  // would pull it out of the static library; reflection needs its
  // descriptor to describe grpc.health.v1.Health to tools like buf curl.
  grpc::health::v1::HealthCheckRequest::descriptor();
  SystemClock clock;
  absl::StatusOr<std::unique_ptr<ServerReplica>> replica = ServerReplica::Open(
      {.store = store->get(), .areas = &index->areas(), .clock = &clock});
  if (!replica.ok()) return Fail(replica.status());
  for (const std::string& migration : (*replica)->migrations()) {
    std::cout << "fieldsync-server: migrated the data folder, " << migration
              << std::endl;
  }
  absl::StatusOr<size_t> reports =
      LoadFieldReportsOnce(**replica, **store, EmbeddedFieldReportsJson());
  if (!reports.ok()) return Fail(reports.status());
  if (*reports > 0) {
    std::cout << "fieldsync-server: loaded " << *reports
              << " Sa Đéc field reports of 2021, imported from the city's "
                 "report"
              << std::endl;
  }
  absl::StatusOr<std::unique_ptr<DeviceRegistry>> registry =
      DeviceRegistry::Load(store->get(), replica->get(), &clock,
                           options.dev_device_header);
  if (!registry.ok()) return Fail(registry.status());
  if (const size_t real = (*registry)->CountEnrolled(false);
      options.dev_device_header && real > 0) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "--dev-device-header: the data folder \"", options.data_dir,
        "\" holds ", real,
        " device(s) enrolled by a server not in development mode; "
        "development mode, where anyone may claim any device, takes a data "
        "folder of its own (pass another --data-dir)")));
  }
  // Declared before the gRPC server: it drains after the last call.
  AuditLog audit(store->get(), &clock);
  if (absl::Status s =
          EnrollFirstAdmin(**registry, options.data_dir, audit,
                           options.dev_device_header, server_sha256);
      !s.ok()) {
    return Fail(s);
  }
  if (options.dev_device_header) {
    std::cerr << "fieldsync-server: WARNING: development mode: devices are "
                 "identified by the x-fieldsync-device header, without "
                 "authentication. Never use this in production. Secrets "
                 "enrolled now start \"fs1dev.\" and are refused by a server "
                 "not in development mode."
              << std::endl;
  }

  // Executors outlive the gRPC server (declared before it): reactors finish
  // their pending tasks before Wait() returns.
  LogCompactor compactor(
      replica->get(), options.log_retention,
      std::chrono::seconds(tuning::kCompactionIntervalSeconds));
  // Declared before the writer, which answers through it as it stops.
  Executor responders(2);
  GroupCommitter writer(replica->get(), &metrics);
  Executor readers(2);
  CallTracker calls;
  CatalogueCache catalogue_cache(store->get(), replica->get(), index);

  Authenticator auth(registry->get(), replica->get(), &clock, &audit,
                     options.dev_device_header,
                     /*bind_client_certificates=*/!tls.client_ca_file.empty());
  // Revoking a device or replacing its secret ends its open streams.
  OpenStreams streams(&auth);
  (*registry)->SetInvalidationListener(
      [&streams, &metrics,
       registry = registry->get()](const std::string& device_id) {
        streams.Revalidate(device_id);
        // A revoked device will not sync again: not a lagging one.
        std::optional<v1::Device> device = registry->Find(device_id);
        if (device.has_value() && device->revoked_at_micros() != 0) {
          metrics.sync_times().Forget(device_id);
        }
      });
  SyncService sync({.replica = replica->get(),
                    .writer = &writer,
                    .readers = &readers,
                    .responders = &responders,
                    .auth = &auth,
                    .streams = &streams,
                    .metrics = &metrics});
  AdminWriter admin_writer(replica->get(), store->get());
  CatalogueAdmin catalogue_admin(store->get(), &admin_writer, &audit,
                                 replica->get());
  ReviewAdmin review_admin(store->get(), replica->get(), &admin_writer, &audit);
  AreaAdmin area_admin(replica->get(), &clock);
  AuditTrail trail(store->get(), registry->get(), replica->get());
  BackupAdmin backup(store->get(), &audit, &clock, options.data_dir);
  AdminService admin(&auth, registry->get(), &catalogue_admin, &review_admin,
                     &area_admin, &readers, &audit, &trail, server_sha256,
                     &backup);
  CatalogueService catalogue(&catalogue_cache, &readers, &calls, &auth, &audit);
  MonitoringService monitoring({.auth = &auth,
                                .catalogue = &catalogue_cache,
                                .store = store->get(),
                                .readers = &readers,
                                .calls = &calls,
                                .audit = &audit,
                                .clock = &clock});

  // Declared after everything it reads, so it is unregistered first.
  MetricsListener::Registration sampled_served;
  if (*metrics_listener != nullptr) {
    sampled_served =
        (*metrics_listener)
            ->Add(std::make_shared<SampledMetrics>(
                SampledMetricsSources{.store = store->get(),
                                      .replica = replica->get(),
                                      .streams = &streams,
                                      .sync_times = &metrics.sync_times(),
                                      .clock = &clock}));
  }

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second server share
  // the port silently; a port in use must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int bound_port = 0;
  builder.AddListeningPort(address->ToString(), *credentials, &bound_port);
  builder.RegisterService(&catalogue);
  builder.RegisterService(&sync);
  builder.RegisterService(&admin);
  builder.RegisterService(&monitoring);
  // Weak links: compress, cap messages, and keep idle streams alive through
  // NATs without flooding a 2G link with pings.
  builder.SetMaxReceiveMessageSize(tuning::kMaxMessageBytes);
  // Bounds for callers that flood it, authenticated or not (docs/limits.md):
  // streams per connection, and memory and threads for all together.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             tuning::kMaxConcurrentStreamsPerConnection);
  grpc::ResourceQuota quota("fieldsync-server");
  quota.Resize(tuning::kServerMemoryQuotaBytes);
  quota.SetMaxThreads(tuning::kServerMaxThreads);
  builder.SetResourceQuota(quota);
  builder.SetDefaultCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 30'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    absl::Status why = ProbeBind(*address);
    return Fail(CannotListen(
        *address,
        why.ok() ? absl::UnavailableError("gRPC could not bind it") : why));
  }

  ListenAddress bound = *address;
  bound.port = bound_port;
  if (*metrics_listener != nullptr) {
    // Ready while the replica takes writes: after a failed write it
    // refuses them until a restart, and a load balancer should know.
    (*metrics_listener)->SetReadiness([r = replica->get()] {
      absl::Status failed = r->write_failure();
      if (failed.ok()) return failed;
      return absl::UnavailableError(
          absl::StrCat("writes refused since a write failed (restart the "
                       "server): ",
                       std::string(failed.message())));
    });
  }
  // Tests and scripts read this line to learn the port.
  std::cout << "fieldsync-server: listening on " << bound.ToString()
            << " (data in " << options.data_dir << ")" << std::endl;

  sigset_t set = ShutdownSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  std::cout << "fieldsync-server: "
            << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << " received, shutting down" << std::endl;
  if (*metrics_listener != nullptr) {
    (*metrics_listener)->ClearReadiness("shutting down");
  }
  // Idle connections would hold a graceful shutdown for the whole grace
  // period (call_tracker.h): wait for the calls in flight, then stop.
  calls.WaitIdle(absl::FromChrono(kShutdownGrace));
  server->Shutdown(std::chrono::system_clock::now());
  server->Wait();
  std::cout << "fieldsync-server: stopped" << std::endl;
  return 0;
}

}  // namespace fieldsync::server
