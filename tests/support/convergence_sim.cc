#include "tests/support/convergence_sim.h"

#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "sync/clock.h"
#include "sync/deterministic.h"
#include "sync/doc_kind.h"
#include "sync/field_path.h"
#include "sync/memory_store.h"
#include "sync/push_results.h"
#include "sync/received_page.h"
#include "sync/server_replica.h"
#include "sync/status_macros.h"
#include "sync/sync_session.h"
#include "tests/support/mutation_builder.h"

namespace fieldsync::testing {
namespace {

constexpr int64_t kStart = 1'790'000'000'000'000;
constexpr size_t kPageBytes = 2048;  // small pages: pulls span many pages
const char* const kCommunes[] = {"xa-tan-phu-dong", "xa-tan-quy-tay",
                                 "xa-vinh-thoi"};
const char* const kIndicators[] = {"members", "hectares", "cameras"};

struct Tablet {
  std::string id;
  v1::Authority authority = v1::AUTHORITY_COMMUNE;
  uint64_t next_seq = 1;
  int64_t clock = kStart;
  std::deque<v1::Mutation> outbox;  // made, not yet acknowledged
  std::vector<v1::Mutation> sent;   // acknowledged once, resent at times
  std::map<std::string, v1::Document> local;
  std::string cursor;
  // The tablet's stream as the server runs it: the protocol's rules, its
  // policy's authority on every mutation, its answers and pages encoded as
  // it asks (zstd or not).
  std::optional<SyncSession> session;
  bool zstd = false;
};

class Sim {
 public:
  explicit Sim(uint64_t seed) : rng_(seed), clock_(kStart) {}

  absl::Status Run(SimStats* stats) {
    replica_ = *ServerReplica::Open({.store = &store_,
                                     .areas = &areas_,
                                     .clock = &clock_,
                                     .locked_years = {}});
    tablets_.resize(Uniform(3, 8));
    const v1::Authority kAuthorities[] = {
        v1::AUTHORITY_COMMUNE, v1::AUTHORITY_COMMUNE, v1::AUTHORITY_DISTRICT,
        v1::AUTHORITY_PROVINCE};
    for (size_t i = 0; i < tablets_.size(); ++i) {
      Tablet& t = tablets_[i];
      t.id = absl::StrCat("tablet-", i);
      t.authority = kAuthorities[Uniform(0, 3)];
      t.zstd = Chance(50);
      t.session.emplace(
          replica_.get(),
          SessionDevice{.device_id = t.id,
                        .read_scopes = {"province"},
                        .policy = WritePolicy{.authority = t.authority}},
          /*still_valid=*/nullptr);
    }
    const int steps = Uniform(40, 160);
    for (int step = 0; step < steps; ++step) {
      Tablet& t = tablets_[Uniform(0, static_cast<int>(tablets_.size()) - 1)];
      const int op = Uniform(0, 99);
      // The server clock sometimes jumps back; device clocks wander freely.
      clock_.Advance(Uniform(-5, 60) * 1'000'000LL);
      t.clock += Uniform(-3600, 7200) * 1'000'000LL;
      if (op < 44) {
        Edit(t);
      } else if (op < 49) {
        Delete(t);
      } else if (op < 50) {
        FS_RETURN_IF_ERROR(CommitAll());
        FS_RETURN_IF_ERROR(Compact());
      } else if (op < 80) {
        FS_RETURN_IF_ERROR(Push(t, /*flaky=*/true));
      } else {
        FS_RETURN_IF_ERROR(CommitAll());
        FS_RETURN_IF_ERROR(Pull(t));
      }
    }
    // Full sync: every outbox drains over a reliable link, then all pull.
    FS_RETURN_IF_ERROR(CommitAll());
    for (Tablet& t : tablets_) {
      for (int round = 0; !t.outbox.empty(); ++round) {
        if (round > 10) return absl::InternalError(t.id + " cannot drain");
        FS_RETURN_IF_ERROR(Push(t, /*flaky=*/false));
        FS_RETURN_IF_ERROR(CommitAll());
      }
    }
    for (Tablet& t : tablets_) FS_RETURN_IF_ERROR(Pull(t));
    FS_RETURN_IF_ERROR(CheckConverged());
    FS_RETURN_IF_ERROR(CheckExactlyOnce());
    FS_RETURN_IF_ERROR(CheckNothingLost());
    if (stats != nullptr) {
      stats_.devices = static_cast<int>(tablets_.size());
      *stats = stats_;
    }
    return absl::OkStatus();
  }

 private:
  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }

  MutationBuilder Start(Tablet& t, const std::string& key, uint64_t base) {
    MutationBuilder b(t.id, t.next_seq++, key);
    // A tablet may claim more than its role; its session caps the claim.
    b.Base(base)
        .Authority(Chance(20) ? v1::AUTHORITY_PROVINCE : t.authority)
        .DeviceTime(t.clock);
    return b;
  }

  void Edit(Tablet& t) {
    // A few shared report ids make concurrent creates and edits likely.
    std::string key = absl::StrCat("report/r", Uniform(0, 5));
    if (Chance(20)) key = absl::StrCat("report/", t.id, "-", t.next_seq);
    auto known = t.local.find(key);
    const uint64_t base = known == t.local.end() ? 0 : known->second.version();
    MutationBuilder b = Start(t, key, base);
    if (base == 0) b.AreaId(kCommunes[Uniform(0, 2)]).Period("2025");
    const int fields = Uniform(1, 3);
    std::set<int> chosen;
    for (int i = 0; i < fields; ++i) chosen.insert(Uniform(0, 5));
    for (int f : chosen) {
      const std::string text = absl::StrCat(t.id, "#", t.next_seq, "/", f);
      switch (f) {
        case 0:
          b.Results(text);
          break;
        case 1:
          b.Difficulties(text);
          break;
        case 2:
        case 3:
          b.Indicator(kIndicators[Uniform(0, 2)], Uniform(0, 1000));
          break;
        case 4:
          b.Status(static_cast<v1::ReportStatus>(Uniform(1, 4)));
          break;
        default:
          if (base != 0) b.Period(Chance(50) ? "2025" : "2026-Q1");
          break;
      }
    }
    t.outbox.push_back(b.Build());
    ++stats_.mutations;
  }

  void Delete(Tablet& t) {
    if (t.local.empty()) return;
    auto it = t.local.begin();
    std::advance(it, Uniform(0, static_cast<int>(t.local.size()) - 1));
    t.outbox.push_back(Start(t, it->first, it->second.version()).Delete());
    ++stats_.mutations;
  }

  absl::Status Push(Tablet& t, bool flaky) {
    std::vector<v1::Mutation> batch(t.outbox.begin(), t.outbox.end());
    if (flaky && !batch.empty() && Chance(15)) {
      // The first messages were lost on the way: the rest arrive early.
      batch.erase(batch.begin(),
                  batch.begin() + Uniform(1, static_cast<int>(batch.size())));
    }
    if (flaky && batch.size() > 1 && Chance(30)) {
      batch.resize(Uniform(1, static_cast<int>(batch.size())));
    }
    if (!t.sent.empty() && Chance(flaky ? 40 : 10)) {
      // A retry of something already acknowledged (the ack was lost).
      const v1::Mutation& again =
          t.sent[Uniform(0, static_cast<int>(t.sent.size()) - 1)];
      batch.insert(batch.begin() + Uniform(0, static_cast<int>(batch.size())),
                   again);
    }
    if (batch.empty()) return absl::OkStatus();
    // As the server's group commit does: the batch is merged as one group
    // or a few, on top of the groups merged before and not yet written
    // (other tablets' too), and written later, alone or with others.
    const int parts = Uniform(1, 3);
    size_t from = 0;
    for (int part = 1; part <= parts && from < batch.size(); ++part) {
      const size_t to =
          part == parts
              ? batch.size()
              : from + Uniform(1, static_cast<int>(batch.size() - from));
      v1::PushRequest request;
      request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
      if (t.zstd) request.add_accepted_result_encodings(v1::PAGE_ENCODING_ZSTD);
      for (size_t i = from; i < to; ++i) *request.add_mutations() = batch[i];
      const int size = static_cast<int>(to - from);
      from = to;
      FS_ASSIGN_OR_RETURN(AcceptedBatch accepted,
                          t.session->AcceptBatch(request));
      const std::vector<const WritePolicy*> policies(accepted.mutations.size(),
                                                     t.session->policy());
      FS_ASSIGN_OR_RETURN(ServerReplica::PreparedPush prepared,
                          replica_->Prepare(std::move(accepted.mutations),
                                            policies, accepted.resolved));
      ++stats_.groups;
      if (!uncommitted_.empty()) ++stats_.stacked_groups;
      uncommitted_.push_back({&t, flaky, size, std::move(prepared)});
    }
    if (Chance(40)) return absl::OkStatus();  // written later
    return CommitAll();
  }

  // Writes every group merged and not yet written, as the committing
  // thread does: several with one write, or one after another.
  absl::Status CommitAll() {
    std::vector<Uncommitted> groups = std::move(uncommitted_);
    uncommitted_.clear();
    if (groups.empty()) return absl::OkStatus();
    std::vector<v1::PushResponse> responses;
    if (Chance(50)) {
      std::vector<ServerReplica::PreparedPush> together;
      for (Uncommitted& g : groups) together.push_back(std::move(g.prepared));
      FS_ASSIGN_OR_RETURN(responses, replica_->Commit(std::move(together)));
    } else {
      for (Uncommitted& g : groups) {
        FS_ASSIGN_OR_RETURN(v1::PushResponse response,
                            replica_->Commit(std::move(g.prepared)));
        responses.push_back(std::move(response));
      }
    }
    for (size_t i = 0; i < groups.size(); ++i) {
      FS_RETURN_IF_ERROR(Answered(*groups[i].tablet, groups[i].flaky,
                                  groups[i].size, std::move(responses[i])));
    }
    return absl::OkStatus();
  }

  // The tablet reads a group's answer, if the link delivers it.
  absl::Status Answered(Tablet& t, bool flaky, int size,
                        v1::PushResponse applied) {
    // The answer as it crosses the link, encoded as the tablet asked.
    v1::PushResponse response;
    if (!response.ParseFromString(t.session->Answer(std::move(applied), t.zstd)
                                      .SerializeAsString())) {
      return absl::InternalError("a push answer does not parse");
    }
    FS_RETURN_IF_ERROR(DecodePushResults(response));
    if (response.results_size() != size) {
      return absl::InternalError("one result per mutation expected");
    }
    for (const v1::MutationResult& r : response.results()) {
      FS_RETURN_IF_ERROR(CheckDuplicate(r));
    }
    if (flaky && Chance(20)) {
      ++stats_.lost_acks;  // the response never reached the tablet
      return absl::OkStatus();
    }
    for (const v1::MutationResult& r : response.results()) {
      if (r.sequence() == 0 && r.outcome() == v1::MUTATION_OUTCOME_REJECTED) {
        ++stats_.out_of_order;  // not taken: stays in the outbox
        continue;
      }
      if (!t.outbox.empty() &&
          t.outbox.front().mutation_seq() == r.mutation_seq()) {
        t.sent.push_back(t.outbox.front());
        t.outbox.pop_front();
      }
    }
    return absl::OkStatus();
  }

  // A duplicate must report the outcome the mutation first had.
  absl::Status CheckDuplicate(const v1::MutationResult& r) {
    const auto id = std::make_pair(r.device_id(), r.mutation_seq());
    if (r.outcome() == v1::MUTATION_OUTCOME_DUPLICATE) {
      ++stats_.duplicates;
      auto first = first_outcome_.find(id);
      if (first == first_outcome_.end() ||
          first->second != r.original_outcome()) {
        return absl::InternalError(
            absl::StrCat("duplicate of ", r.device_id(), "#", r.mutation_seq(),
                         " does not report its original outcome"));
      }
    } else if (r.sequence() != 0) {
      if (!first_outcome_.emplace(id, r.outcome()).second) {
        return absl::InternalError(absl::StrCat(
            r.device_id(), "#", r.mutation_seq(), " was taken twice"));
      }
      if (r.outcome() == v1::MUTATION_OUTCOME_CONFLICT) ++stats_.conflicts;
    }
    return absl::OkStatus();
  }

  // A pull through the tablet's session, each page checked as a tablet
  // checks it (checksum included) before its documents are applied.
  absl::Status Pull(Tablet& t) {
    v1::PullRequest request;
    request.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
    request.set_cursor(t.cursor);
    request.set_max_page_bytes(kPageBytes);
    if (t.zstd) request.add_accepted_page_encodings(v1::PAGE_ENCODING_ZSTD);
    FS_ASSIGN_OR_RETURN(PullPlan plan, t.session->AcceptPull(request));
    std::string decoded;
    int pages = 0;
    return t.session->PullPages(
        plan, [&](std::string bytes, bool) -> absl::Status {
          if (++pages > 10'000)
            return absl::InternalError("pull did not finish");
          v1::PullResponse page;
          FS_RETURN_IF_ERROR(ReadReceivedPage(bytes, page, decoded).status());
          for (const v1::Document& doc : page.documents()) {
            t.local[doc.key()] = doc;
          }
          t.cursor = page.cursor();
          return absl::OkStatus();
        });
  }

  absl::Status CheckConverged() {
    std::map<std::string, std::string> server;
    FS_RETURN_IF_ERROR(store_.ScanDocs("report/", [&](const v1::Document& d) {
      server[d.key()] = DeterministicBytes(d);
      return true;
    }));
    for (const Tablet& t : tablets_) {
      std::map<std::string, std::string> local;
      for (const auto& [key, doc] : t.local) {
        local[key] = DeterministicBytes(doc);
      }
      if (local != server) {
        std::string first_difference;
        for (const auto& [key, bytes] : server) {
          if (local[key] == bytes) continue;
          v1::Document mine;
          mine.ParseFromString(local[key]);
          v1::Document theirs;
          theirs.ParseFromString(bytes);
          first_difference = absl::StrCat(
              key, ": tablet has version ", mine.version(), " deleted ",
              mine.deleted(), ", server ", theirs.version(), " deleted ",
              theirs.deleted(), " scopes ", theirs.scopes_size());
          break;
        }
        return absl::InternalError(absl::StrCat(
            t.id, " differs from the server after full sync (", local.size(),
            " vs ", server.size(), " documents; ", first_difference, ")"));
      }
    }
    return absl::OkStatus();
  }

  // Log compaction drops server log entries; keep every one seen, so the
  // checks below cover the whole run.
  absl::Status KeepLog() {
    return store_.ScanLog(0, [&](const v1::LogEntry& e) {
      log_.emplace(e.sequence(), e);
      return true;
    });
  }

  // Compacts up to a random point: pulls from any cursor must stay correct.
  absl::Status Compact() {
    FS_RETURN_IF_ERROR(KeepLog());
    const uint64_t last = replica_->last_sequence();
    if (last == 0) return absl::OkStatus();
    ++stats_.compactions;
    return replica_
        ->CompactLog(std::uniform_int_distribution<uint64_t>(0, last)(rng_))
        .status();
  }

  absl::Status CheckExactlyOnce() {
    FS_RETURN_IF_ERROR(KeepLog());
    std::map<std::string, std::vector<uint64_t>> seqs;
    std::map<std::string, v1::Authority> authority;
    for (const Tablet& t : tablets_) authority[t.id] = t.authority;
    for (const auto& [sequence, e] : log_) {
      if (!e.has_mutation()) continue;
      const v1::Mutation& m = e.mutation();
      seqs[m.device_id()].push_back(m.mutation_seq());
      if (m.authority() != authority[m.device_id()]) {
        return absl::InternalError(absl::StrCat(
            m.device_id(), "#", m.mutation_seq(), " was taken with authority ",
            v1::Authority_Name(m.authority()), ", more than its role's"));
      }
    }
    for (const Tablet& t : tablets_) {
      std::vector<uint64_t> expected;
      for (uint64_t s = 1; s < t.next_seq; ++s) expected.push_back(s);
      if (seqs[t.id] != expected) {
        return absl::InternalError(absl::StrCat(
            t.id,
            ": the log does not hold each of its mutations exactly once (",
            seqs[t.id].size(), " entries for ", expected.size(),
            " mutations)"));
      }
    }
    return absl::OkStatus();
  }

  // Every value written by a taken mutation is somewhere a reviewer can see.
  absl::Status CheckNothingLost() {
    absl::flat_hash_map<std::string, std::set<std::string>> kept;
    auto keep = [&](const v1::Document& doc) {
      const google::protobuf::Message* body = Body(doc);
      if (body == nullptr) return true;
      for (const std::string& path : SetPaths(*body)) {
        kept[doc.key() + "|" + path].insert(ValueOf(*body, path));
      }
      return true;
    };
    std::set<std::string> keys;
    FS_RETURN_IF_ERROR(store_.ScanDocs("report/", [&](const v1::Document& d) {
      keys.insert(d.key());
      return true;
    }));
    for (const std::string& key : keys) {
      FS_RETURN_IF_ERROR(store_.ScanHistory(key, keep));
    }
    FS_RETURN_IF_ERROR(store_.ScanConflicts([&](const v1::ConflictRecord& c) {
      for (const v1::ConflictValue& v : c.values()) {
        kept[c.key() + "|" + v.path()].insert(v.losing_value());
      }
      return true;
    }));
    for (const auto& [sequence, e] : log_) {
      if (e.result().outcome() == v1::MUTATION_OUTCOME_REJECTED) continue;
      for (const v1::FieldSet& set : e.mutation().sets()) {
        if (!kept[e.key() + "|" + set.path()].contains(set.value())) {
          return absl::InternalError(
              absl::StrCat("the value ", e.mutation().device_id(), "#",
                           e.mutation().mutation_seq(), " wrote to ", e.key(),
                           " ", set.path(),
                           " is nowhere: not in the document, its history or "
                           "a conflict record"));
        }
      }
    }
    return absl::OkStatus();
  }

  std::mt19937_64 rng_;
  FakeClock clock_;
  AreaTree areas_ = SmallAreaTree();
  MemoryStore store_;
  std::unique_ptr<ServerReplica> replica_;
  std::vector<Tablet> tablets_;
  std::map<std::pair<std::string, uint64_t>, v1::MutationOutcome>
      first_outcome_;
  SimStats stats_;
  std::map<uint64_t, v1::LogEntry> log_;
  // Groups merged and not yet written, in the order they were merged.
  struct Uncommitted {
    Tablet* tablet;
    bool flaky;
    int size;
    ServerReplica::PreparedPush prepared;
  };
  std::vector<Uncommitted> uncommitted_;
};

}  // namespace

absl::Status RunConvergenceSim(uint64_t seed, SimStats* stats) {
  return Sim(seed).Run(stats);
}

}  // namespace fieldsync::testing
