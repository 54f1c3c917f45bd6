#include "bench/ceiling_server.h"

#include <grpcpp/grpcpp.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bench/ceiling.grpc.pb.h"
#include "sync/keys.h"
#include "sync/tuning.h"

namespace fieldsync::bench {
namespace {

// Threads that write batches. RocksDB joins concurrent writers into one
// write group with one WAL fsync, so several threads give the ceiling the
// group commit fieldsync-server does with its single writer. 2, 8 and 16
// threads measured the same within noise on the 2-core machine of
// docs/benchmarks.md.
constexpr int kWriterThreads = 8;

// Runs tasks on kWriterThreads threads, so no gRPC callback thread blocks
// on a write (STYLE.md 9).
class WritePool {
 public:
  WritePool() {
    for (int i = 0; i < kWriterThreads; ++i)
      threads_.emplace_back([this] { Run(); });
  }
  ~WritePool() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (std::thread& t : threads_) t.join();
  }
  void Submit(std::function<void()> task) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    tasks_.push_back(std::move(task));
  }

 private:
  void Run() ABSL_LOCKS_EXCLUDED(mu_) {
    while (true) {
      std::function<void()> task;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](WritePool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
              return p->stopping_ || !p->tasks_.empty();
            },
            this));
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// One ingest stream: read a batch, write it on the pool, answer, read the
// next. Deletes itself in OnDone.
class IngestReactor
    : public grpc::ServerBidiReactor<v1::PushRequest, v1::PushResponse> {
 public:
  IngestReactor(rocksdb::DB* db, WritePool* pool) : db_(db), pool_(pool) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    pool_->Submit([this] {
      rocksdb::WriteBatch batch;
      std::string key;
      std::string value;
      response_.Clear();
      for (const v1::Mutation& m : request_.mutations()) {
        key.assign(m.device_id());
        key.push_back('\0');
        AppendBigEndian64(key, m.mutation_seq());
        m.SerializeToString(&value);
        batch.Put(key, value);
        response_.add_results();
      }
      rocksdb::WriteOptions options;
      options.sync = true;
      rocksdb::Status s = db_->Write(options, &batch);
      if (!s.ok()) {
        Finish(grpc::Status(grpc::StatusCode::INTERNAL, s.ToString()));
        return;
      }
      response_.set_max_batch_bytes(tuning::kMaxBatchBytes);
      StartWrite(&response_);
    });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  rocksdb::DB* const db_;
  WritePool* const pool_;
  v1::PushRequest request_;
  v1::PushResponse response_;
};

class IngestServiceImpl : public IngestService::CallbackService {
 public:
  IngestServiceImpl(rocksdb::DB* db, WritePool* pool) : db_(db), pool_(pool) {}
  grpc::ServerBidiReactor<v1::PushRequest, v1::PushResponse>* Ingest(
      grpc::CallbackServerContext*) override {
    return new IngestReactor(db_, pool_);
  }

 private:
  rocksdb::DB* const db_;
  WritePool* const pool_;
};

class CeilingServerImpl : public CeilingServer {
 public:
  const std::string& address() const override { return address_; }
  ~CeilingServerImpl() override {
    if (server_ != nullptr) {
      server_->Shutdown();
      server_->Wait();
    }
  }

  // Destroyed in reverse: the gRPC server, then the pool (its last writes
  // done), then the database.
  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<WritePool> pool_;
  std::unique_ptr<IngestServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<CeilingServer>> CeilingServer::Start(
    const std::string& db_path) {
  auto ceiling = std::make_unique<CeilingServerImpl>();
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, db_path, &db);
  if (!s.ok()) return absl::InternalError(s.ToString());
  ceiling->db_.reset(db);
  ceiling->pool_ = std::make_unique<WritePool>();
  ceiling->service_ =
      std::make_unique<IngestServiceImpl>(db, ceiling->pool_.get());

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(ceiling->service_.get());
  builder.SetMaxReceiveMessageSize(tuning::kMaxMessageBytes);
  builder.SetDefaultCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  ceiling->server_ = builder.BuildAndStart();
  if (ceiling->server_ == nullptr || port == 0) {
    return absl::UnavailableError("the ceiling server could not listen");
  }
  ceiling->address_ = absl::StrCat("127.0.0.1:", port);
  return ceiling;
}

}  // namespace fieldsync::bench
