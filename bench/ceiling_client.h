// The device side of the push ceiling (ceiling_server.h): one connection
// made and used exactly as client::SyncClient makes and uses its own, so
// both sides of the push/ceiling ratio pay the same client costs.
#ifndef FIELDSYNC_BENCH_CEILING_CLIENT_H_
#define FIELDSYNC_BENCH_CEILING_CLIENT_H_

#include <memory>
#include <string>

#include "bench/load_driver.h"

namespace fieldsync::bench {

// Pushes each batch on its own Ingest stream; counts results as stored.
std::unique_ptr<BatchPusher> CeilingPusher(const std::string& target);

}  // namespace fieldsync::bench

#endif  // FIELDSYNC_BENCH_CEILING_CLIENT_H_
