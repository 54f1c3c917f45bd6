// Calls without a valid secret cannot exhaust the server: 100,000 of them,
// half with made-up secrets (a new device id each) and half with none,
// against the real binary, leave its memory (RSS, from /proc) and its data
// folder about as they were, and the audit trail holds a few events with
// counts rather than one per call. The calls go out on several connections
// with many in flight, through gRPC's callback API, so the 100,000 take
// seconds.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "fieldsync/v1/catalogue_service.grpc.pb.h"
#include "sync/rocksdb_store.h"
#include "tests/support/cli_server_test.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;

constexpr int kCalls = 100'000;
constexpr int kConnections = 8;
constexpr int kInFlightPerConnection = 32;

// The resident memory of process `pid`, in bytes.
int64_t RssBytes(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stoll(line.substr(6)) * 1024;  // "VmRSS:   1234 kB"
    }
  }
  return -1;
}

int64_t FolderBytes(const std::string& path) {
  int64_t bytes = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// Unauthenticated ListAreas calls, as fast as the server answers them: each
// connection keeps kInFlightPerConnection calls going, starting the next as
// one ends. Every other call carries a made-up secret.
class CallFlood {
 public:
  explicit CallFlood(const std::string& address) {
    for (int i = 0; i < kConnections; ++i) {
      grpc::ChannelArguments args;
      // A connection of its own, not one shared through the global pool.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      stubs_.push_back(v1::CatalogueService::NewStub(grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), args)));
    }
  }

  // Makes `total` calls; how many ended with each status code.
  std::map<grpc::StatusCode, int> Run(int total) {
    {
      absl::MutexLock lock(&mu_);
      total_ = total;
      started_ = 0;
      ended_ = 0;
      codes_.clear();
    }
    for (int lane = 0; lane < kConnections; ++lane) {
      for (int i = 0; i < kInFlightPerConnection; ++i) Start(lane);
    }
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](CallFlood* f) ABSL_EXCLUSIVE_LOCKS_REQUIRED(f->mu_) {
          return f->ended_ == f->total_;
        },
        this));
    return codes_;
  }

 private:
  struct Call {
    grpc::ClientContext context;
    v1::ListAreasRequest request;
    v1::ListAreasResponse response;
  };

  void Start(int lane) ABSL_LOCKS_EXCLUDED(mu_) {
    auto call = std::make_shared<Call>();
    {
      absl::MutexLock lock(&mu_);
      if (started_ == total_) return;
      if (started_++ % 2 == 0) {
        std::string random(32, '\0');
        for (char& c : random) c = static_cast<char>(rng_());
        call->context.AddMetadata(
            "authorization",
            absl::StrCat("Bearer fs1.dev-",
                         absl::BytesToHexString(random.substr(0, 6)), ".",
                         absl::WebSafeBase64Escape(random)));
      }
    }
    call->context.set_deadline(std::chrono::system_clock::now() +
                               std::chrono::seconds(30));
    stubs_[lane]->async()->ListAreas(&call->context, &call->request,
                                     &call->response,
                                     [this, call, lane](grpc::Status status) {
                                       {
                                         absl::MutexLock lock(&mu_);
                                         ++codes_[status.error_code()];
                                         ++ended_;
                                       }
                                       Start(lane);
                                     });
  }

  std::vector<std::unique_ptr<v1::CatalogueService::Stub>> stubs_;
  absl::Mutex mu_;
  std::mt19937_64 rng_ ABSL_GUARDED_BY(mu_){17};
  int total_ ABSL_GUARDED_BY(mu_) = 0;
  int started_ ABSL_GUARDED_BY(mu_) = 0;
  int ended_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<grpc::StatusCode, int> codes_ ABSL_GUARDED_BY(mu_);
};

class ExhaustionBinaryTest : public t::CliServerTest {};

TEST_F(ExhaustionBinaryTest,
       AHundredThousandRefusedCallsKeepMemoryAndDiskBounded) {
  // The admin works from this address before the flood (the throttle
  // keeps the addresses a device worked from open to it).
  ASSERT_OK(Admin().WhoAmI());
  CallFlood flood(server_->address());
  // gRPC's and RocksDB's own start-up allocations come first.
  flood.Run(4'000);
  const pid_t pid = server_->process().pid();
  const int64_t rss_before = RssBytes(pid);
  const int64_t disk_before = FolderBytes(dir_.Sub("data"));

  const auto start = std::chrono::steady_clock::now();
  std::map<grpc::StatusCode, int> codes = flood.Run(kCalls);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const int64_t rss_after = RssBytes(pid);
  const int64_t disk_after = FolderBytes(dir_.Sub("data"));
  std::cout << kCalls << " refused calls in " << seconds << " s ("
            << static_cast<int>(kCalls / seconds) << " calls/s); server RSS "
            << rss_before / 1024 << " KiB -> " << rss_after / 1024
            << " KiB; data folder " << disk_before / 1024 << " KiB -> "
            << disk_after / 1024 << " KiB" << std::endl;
  RecordProperty("calls_per_second", static_cast<int>(kCalls / seconds));
  RecordProperty("rss_growth_kib",
                 static_cast<int>((rss_after - rss_before) / 1024));
  RecordProperty("disk_growth_kib",
                 static_cast<int>((disk_after - disk_before) / 1024));

  EXPECT_EQ(codes[grpc::StatusCode::UNAUTHENTICATED] +
                codes[grpc::StatusCode::RESOURCE_EXHAUSTED],
            kCalls);
  EXPECT_LT(rss_after - rss_before, 16 << 20);
  EXPECT_LT(disk_after - disk_before, 256 << 10);
  // The server still answers its devices at once.
  EXPECT_OK(Admin().WhoAmI());

  ASSERT_EQ(server_->Stop(), 0);
  EXPECT_LT(FolderBytes(dir_.Sub("data")) - disk_before, 1 << 20);
  auto store = RocksDbStore::Open(dir_.Sub("data/db"));
  ASSERT_OK(store);
  int refused_events = 0;
  ASSERT_TRUE((*store)
                  ->ScanAudit([&](const v1::AuditEvent& e) {
                    refused_events += e.kind() == "refused";
                    return true;
                  })
                  .ok());
  EXPECT_GT(refused_events, 0);
  EXPECT_LT(refused_events, 100) << "refusals are audited one by one";
}

}  // namespace
}  // namespace fieldsync
