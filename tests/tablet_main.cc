// fieldsync_test_tablet: a tablet as a separate process, for integration
// and crash tests against the real server. It makes reports (some shared
// with other tablets, so edits collide), pushes them, pulls everything and
// prints a digest of what it holds:  "digest=<hex> docs=<n>".
//
//   --server HOST:PORT --device ID [--reports N] [--shared K] [--seed S]
//   --pull-only          only pull and print the digest
//   --forever            crash mode: push one mutation at a time until
//                        killed, printing "acked <seq> <outcome>" for each
//                        acknowledged one; a failed push is retried as is
//   --first-seq N        the device's first mutation_seq
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "client-sdk/sync_client.h"
#include "sync/deterministic.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/tablet_mutations.h"

namespace {

using fieldsync::client::SyncClient;
using fieldsync::testing::MutationBuilder;
namespace v1 = fieldsync::v1;

// FNV-1a over the documents in key order: equal digests, equal replicas.
std::string Digest(const std::map<std::string, std::string>& docs) {
  uint64_t hash = 14695981039346656037ull;
  for (const auto& [key, bytes] : docs) {
    for (char c : key + '\0' + bytes) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
  }
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx",
                static_cast<unsigned long long>(hash));
  return text;
}

int PullAndPrint(SyncClient& client) {
  std::map<std::string, std::string> docs;
  std::string cursor;
  absl::Status s = client.Pull(cursor, [&](const v1::PullResponse& page) {
    for (const v1::Document& d : page.documents()) {
      if (d.key().starts_with("report/")) {
        docs[d.key()] = fieldsync::DeterministicBytes(d);
      }
    }
  });
  if (!s.ok()) {
    std::cerr << "pull failed: " << s << "\n";
    return 1;
  }
  std::cout << "digest=" << Digest(docs) << " docs=" << docs.size()
            << std::endl;
  return 0;
}

v1::Mutation Make(const std::string& device, uint64_t seq, std::mt19937& rng,
                  int shared) {
  return fieldsync::testing::TabletMutation(device, seq, rng, shared);
}

int PushForever(const fieldsync::client::SyncClientOptions& options,
                const std::string& device, uint64_t seq) {
  auto client = std::make_unique<SyncClient>(options);
  std::mt19937 rng(static_cast<unsigned>(seq));
  for (;; ++seq) {
    v1::Mutation m = Make(device, seq, rng, 0);
    // Retry the same mutation until the server answers: a crash in between
    // must not make it apply twice. A short pause keeps a dead server from
    // turning the retry loop into a busy loop.
    for (int attempt = 0;; ++attempt) {
      absl::StatusOr<std::vector<v1::MutationResult>> r = client->Push({m});
      if (r.ok()) {
        std::cout << "acked " << seq << " "
                  << v1::MutationOutcome_Name((*r)[0].outcome()) << std::endl;
        break;
      }
      // A new channel connects at once; the old one would wait out gRPC's
      // reconnect backoff (seconds) after the server restarts.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      client = std::make_unique<SyncClient>(options);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fieldsync_test_tablet: a tablet process for tests"};
  std::string server, device;
  int reports = 20, shared = 3;
  unsigned seed = 1;
  uint64_t first_seq = 1;
  bool pull_only = false, forever = false;
  app.add_option("--server", server)->required();
  app.add_option("--device", device)->required();
  app.add_option("--reports", reports);
  app.add_option("--shared", shared);
  app.add_option("--seed", seed);
  app.add_option("--first-seq", first_seq);
  app.add_flag("--forever", forever);
  app.add_flag("--pull-only", pull_only);
  CLI11_PARSE(app, argc, argv);

  const fieldsync::client::SyncClientOptions options{
      .target = server,
      .device_id = device,
      .scopes = {"province"},
      .timeout = std::chrono::seconds(forever ? 2 : 20),
      .max_batch_bytes = 4096,
      // Crash tests restart the server often: reconnect fast.
      .max_reconnect_backoff = std::chrono::milliseconds(200)};
  if (forever) return PushForever(options, device, first_seq);
  SyncClient client(options);
  if (pull_only) return PullAndPrint(client);

  std::mt19937 rng(seed);
  std::vector<v1::Mutation> mutations;
  for (int i = 0; i < reports; ++i) {
    mutations.push_back(Make(device, first_seq + i, rng, shared));
  }
  absl::StatusOr<std::vector<v1::MutationResult>> results =
      client.Push(mutations);
  if (!results.ok()) {
    std::cerr << "push failed: " << results.status() << "\n";
    return 1;
  }
  for (const v1::MutationResult& r : *results) {
    if (r.outcome() == v1::MUTATION_OUTCOME_REJECTED) {
      std::cerr << "rejected " << r.mutation_seq() << ": " << r.reason()
                << "\n";
      return 1;
    }
  }
  return PullAndPrint(client);
}
