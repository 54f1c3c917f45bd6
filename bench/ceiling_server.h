// The push ceiling: a lean gRPC -> RocksDB ingest server run inside the
// benchmark. Each batch becomes one rocksdb::WriteBatch of one Put per
// mutation (key: device id, NUL, big-endian mutation_seq; value: the
// mutation's bytes), written with sync=true, then answered with one empty
// MutationResult per mutation. No merge, no dedup, no documents, no scopes:
// what any gRPC service that stores the same pushes durably must pay at
// least.
#ifndef FIELDSYNC_BENCH_CEILING_SERVER_H_
#define FIELDSYNC_BENCH_CEILING_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace fieldsync::bench {

class CeilingServer {
 public:
  // Opens a RocksDB in `db_path` and serves on a free loopback port with
  // the settings of fieldsync-server that matter here (gzip by default, the
  // same largest message).
  static absl::StatusOr<std::unique_ptr<CeilingServer>> Start(
      const std::string& db_path);
  virtual ~CeilingServer() = default;

  // "127.0.0.1:PORT".
  virtual const std::string& address() const = 0;
};

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_CEILING_SERVER_H_
