// The tablet SDK over an in-memory link to a real ServerReplica: tablets on a
// link that drops requests and answers and reorders batches still converge
// with every edit taken exactly once; backoff waits grow with jitter; the
// officer is told about conflicts and rejections with both values; and the
// catalogue and reports can be queried offline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

#include "client-sdk/local_replica.h"
#include "client-sdk/memory_transport.h"
#include "sync/deterministic.h"
#include "sync/memory_store.h"
#include "sync/server_replica.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;

v1::FieldSet Indicator(const std::string& code, double value) {
  return t::IndicatorSet(code, value);
}
v1::FieldSet Results(const std::string& text) {
  return t::ReportSet("results", text);
}
v1::FieldSet Area(const std::string& area) {
  return t::ReportSet("area_id", area);
}
v1::FieldSet ModelId(const std::string& id) {
  return t::ReportSet("model_id", id);
}
v1::FieldSet Period(const std::string& period) {
  return t::ReportSet("period", period);
}
using client::InMemoryTransport;
using client::LocalReplica;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// No real waiting in tests; the waits are recorded instead.
void NoSleep(std::chrono::milliseconds) {}

class SdkSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    replica_ = *ServerReplica::Open(
        {.store = &store_, .areas = &areas_, .clock = &clock_});
  }

  std::unique_ptr<LocalReplica> OpenTablet(const std::string& id) {
    auto tablet = LocalReplica::Open(dir_.Sub(id), id);
    EXPECT_OK(tablet);
    return tablet.ok() ? std::move(*tablet) : nullptr;
  }

  InMemoryTransport Link(const std::string& device_id,
                         client::LinkFaults faults = {},
                         const WritePolicy* policy = nullptr) {
    return InMemoryTransport({.replica = replica_.get(),
                              .device_id = device_id,
                              .scopes = {"commune/xa-tan-phu-dong", "catalogue",
                                         "catalogue/tp-sa-dec"},
                              .policy = policy,
                              .max_batch_bytes = 400,
                              .max_page_bytes = 700,
                              .faults = faults});
  }

  client::SyncReport Sync(LocalReplica& tablet, client::Transport& link,
                          client::SyncOptions options = {}) {
    if (!options.sleep) options.sleep = NoSleep;
    auto report = tablet.Sync(link, options);
    EXPECT_OK(report);
    return report.ok() ? *report : client::SyncReport();
  }

  std::optional<v1::Document> ServerDoc(const std::string& key) {
    return *store_.GetDoc(key);
  }

  t::TempDir dir_;
  MemoryStore store_;
  AreaTree areas_ = t::SmallAreaTree();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<ServerReplica> replica_;
};

TEST_F(SdkSyncTest, TabletsOnAWeakLinkConvergeWithEveryEditTakenOnce) {
  constexpr int kTablets = 4;
  constexpr int kRounds = 12;
  std::vector<std::unique_ptr<LocalReplica>> tablets;
  std::vector<InMemoryTransport> links;
  for (int i = 0; i < kTablets; ++i) {
    tablets.push_back(OpenTablet("tablet-" + std::to_string(i)));
    links.push_back(
        Link("tablet-" + std::to_string(i), {.drop_request = 0.2,
                                             .drop_response = 0.2,
                                             .reorder = 0.3,
                                             .seed = uint64_t(i) + 1}));
  }
  std::mt19937 random(7);
  std::vector<int> edits(kTablets, 0);
  // The last value each tablet gave its own report's indicator.
  std::vector<double> own_last(kTablets, 0);
  int dropped = 0, reordered = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kTablets; ++i) {
      for (int e = 0; e < 5; ++e) {
        const bool shared = random() % 2 == 0;
        const std::string key =
            shared ? "report/chung-" + std::to_string(random() % 3)
                   : "report/rieng-" + std::to_string(i);
        const double value = random() % 1000;
        std::vector<v1::FieldSet> sets = {
            Area("xa-tan-phu-dong"),
            Indicator(shared ? "members-" + std::to_string(i) : "members",
                      value)};
        if (shared && random() % 3 == 0) {
          sets.push_back(Results("kết quả của máy " + std::to_string(i)));
        }
        ASSERT_OK(tablets[i]->Edit(key, sets, 0, "cán bộ"));
        ++edits[i];
        if (!shared) own_last[i] = value;
      }
      // Syncs are cut short by the link; what is left goes next time.
      client::SyncOptions options{.max_attempts = 3, .sleep = NoSleep};
      int64_t last_done = -1;
      options.on_progress = [&](const client::SyncProgress& p) {
        const int64_t done = p.pushed_documents + p.pulled_documents;
        EXPECT_GE(done, last_done) << "progress went backwards";
        EXPECT_LE(p.pushed_documents, p.push_total_documents);
        last_done = done;
      };
      tablets[i]->Sync(links[i], options).IgnoreError();
    }
  }
  for (const InMemoryTransport& link : links) {
    dropped += link.dropped();
    reordered += link.reordered();
  }
  EXPECT_GT(dropped, 20);
  EXPECT_GT(reordered, 5);

  // The link heals: two clean rounds bring everyone level.
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < kTablets; ++i) {
      InMemoryTransport clean = Link("tablet-" + std::to_string(i));
      Sync(*tablets[i], clean);
    }
  }
  for (int i = 0; i < kTablets; ++i) {
    const std::string device = "tablet-" + std::to_string(i);
    EXPECT_TRUE(tablets[i]->Outbox()->empty());
    // Every edit was taken exactly once, in order.
    EXPECT_EQ(*store_.GetDeviceSeq(device), uint64_t(edits[i]));
    auto own = tablets[i]->Get("report/rieng-" + std::to_string(i));
    ASSERT_TRUE(own.ok() && own->has_value());
    EXPECT_EQ((*own)->report().indicators().at("members").value(), own_last[i]);
    for (const std::string key :
         {"report/chung-0", "report/chung-1", "report/chung-2",
          "report/rieng-0", "report/rieng-1", "report/rieng-2",
          "report/rieng-3"}) {
      auto local = tablets[i]->Get(key);
      ASSERT_OK(local);
      std::optional<v1::Document> server = ServerDoc(key);
      ASSERT_EQ(local->has_value(), server.has_value()) << key;
      if (server.has_value()) {
        EXPECT_EQ(DeterministicBytes(**local), DeterministicBytes(*server))
            << device << " " << key;
      }
    }
  }
  // Different tablets' indicators of one shared report all merged in.
  std::optional<v1::Document> shared = ServerDoc("report/chung-0");
  ASSERT_TRUE(shared.has_value());
  EXPECT_GE(shared->report().indicators_size(), 2);
}

TEST_F(SdkSyncTest, BackoffGrowsWithJitterUpToTheCap) {
  auto tablet = OpenTablet("tablet-a");
  ASSERT_TRUE(
      tablet->Edit("report/r1", {Area("xa-tan-phu-dong")}, 0, "A").ok());
  InMemoryTransport dead = Link("tablet-a", {.drop_request = 1.0});
  std::vector<std::chrono::milliseconds> waits;
  client::SyncOptions options{
      .max_attempts = 6,
      .initial_backoff = std::chrono::milliseconds(400),
      .max_backoff = std::chrono::milliseconds(3000),
      .jitter_seed = 42,
      .sleep = [&](std::chrono::milliseconds w) { waits.push_back(w); }};
  absl::StatusOr<client::SyncReport> report = tablet->Sync(dead, options);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kUnavailable);
  ASSERT_EQ(waits.size(), 5u);
  const int64_t caps[] = {400, 800, 1600, 3000, 3000};
  for (size_t i = 0; i < waits.size(); ++i) {
    EXPECT_GE(waits[i].count(), caps[i] / 2) << i;
    EXPECT_LE(waits[i].count(), caps[i]) << i;
  }
  // Jitter: tablets with other seeds wait differently.
  std::vector<std::chrono::milliseconds> first = waits;
  waits.clear();
  options.jitter_seed = 43;
  tablet->Sync(dead, options).IgnoreError();
  EXPECT_NE(first, waits);
  EXPECT_EQ(tablet->Outbox()->size(), 1u);  // nothing lost meanwhile
}

// A transport that refuses with a status no wait will change.
class RefusingTransport : public client::Transport {
 public:
  absl::Status PushBatches(const std::vector<v1::Mutation>&,
                           const client::BatchCallback&) override {
    ++calls;
    return absl::PermissionDeniedError("device revoked");
  }
  absl::Status Pull(std::string&, const client::PageCallback&) override {
    ++calls;
    return absl::PermissionDeniedError("device revoked");
  }
  int calls = 0;
};

TEST_F(SdkSyncTest, ARefusalIsNotRetried) {
  auto tablet = OpenTablet("tablet-a");
  ASSERT_TRUE(
      tablet->Edit("report/r1", {Area("xa-tan-phu-dong")}, 0, "A").ok());
  RefusingTransport refusing;
  int sleeps = 0;
  auto report = tablet->Sync(
      refusing, {.sleep = [&](std::chrono::milliseconds) { ++sleeps; }});
  EXPECT_EQ(report.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refusing.calls, 1);
  EXPECT_EQ(sleeps, 0);
  EXPECT_EQ(tablet->Outbox()->size(), 1u);
}

TEST_F(SdkSyncTest, AConflictNamesTheFieldAndBothValues) {
  auto a = OpenTablet("tablet-a");
  auto b = OpenTablet("tablet-b");
  InMemoryTransport link_a = Link("tablet-a"), link_b = Link("tablet-b");
  ASSERT_OK(a->Edit("report/r1", {Area("xa-tan-phu-dong")}, 0, "A"));
  Sync(*a, link_a);
  Sync(*b, link_b);
  ASSERT_TRUE(
      a->Edit("report/r1", {Results("Tân Phú Đông: 59 hộ")}, 0, "Cán bộ A")
          .ok());
  ASSERT_TRUE(
      b->Edit("report/r1",
              {Results("Tân Phú Đông: 60 hộ"), Indicator("members", 60)}, 0,
              "Cán bộ B")
          .ok());
  Sync(*a, link_a);
  std::vector<v1::Notice> told;
  client::SyncReport report =
      Sync(*b, link_b,
           {.on_notice = [&](const v1::Notice& n) { told.push_back(n); }});
  ASSERT_EQ(report.notices.size(), 1u);  // the indicator merged quietly
  const v1::Notice& n = report.notices[0];
  EXPECT_EQ(n.kind(), v1::NOTICE_KIND_CONFLICT);
  EXPECT_EQ(n.key(), "report/r1");
  EXPECT_EQ(n.path(), "results");
  EXPECT_EQ(n.local_value(), "Tân Phú Đông: 60 hộ");
  EXPECT_EQ(n.server_value(), "Tân Phú Đông: 59 hộ");
  EXPECT_EQ(n.author(), "Cán bộ B");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].DebugString(), n.DebugString());
  // Kept across a restart, for the officer to look at later.
  b.reset();
  b = OpenTablet("tablet-b");
  auto kept = b->Notices();
  ASSERT_OK(kept);
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].server_value(), "Tân Phú Đông: 59 hộ");
  // The indicator of B merged in.
  EXPECT_EQ((*b->Get("report/r1"))->report().indicators().at("members").value(),
            60);
}

TEST_F(SdkSyncTest, ARejectionSaysWhyAndLeavesTheOutbox) {
  auto tablet = OpenTablet("tablet-a");
  WritePolicy policy =
      WritePolicyFor(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong", areas_);
  InMemoryTransport link = Link("tablet-a", {}, &policy);
  // Another commune's report: this officer may not write it.
  ASSERT_OK(tablet->Edit("report/r9", {Area("xa-vinh-thoi")}, 0, "A"));
  client::SyncReport report = Sync(*tablet, link);
  ASSERT_EQ(report.notices.size(), 1u);
  EXPECT_EQ(report.notices[0].kind(), v1::NOTICE_KIND_REJECTED);
  EXPECT_EQ(report.notices[0].path(), "area_id");
  EXPECT_EQ(report.notices[0].local_value(), "xa-vinh-thoi");
  EXPECT_EQ(report.notices[0].server_value(), "");
  EXPECT_THAT(report.notices[0].reason(), HasSubstr("report/r9"));
  EXPECT_TRUE(tablet->Outbox()->empty());
}

// The in-memory link checks pages as a tablet on gRPC does: a page changed
// on the way is refused whole, and the cursor stays where it was.
TEST_F(SdkSyncTest, APageDamagedOnTheWayIsRefusedWhole) {
  auto writer = OpenTablet("tablet-a");
  InMemoryTransport link = Link("tablet-a");
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(writer->Edit("report/r" + std::to_string(i),
                           {Area("xa-tan-phu-dong")}, 0, "A"));
  }
  Sync(*writer, link);
  InMemoryTransport damaging = Link("tablet-b", {.corrupt_page = 1.0});
  std::string cursor;
  int pages = 0;
  absl::Status pulled =
      damaging.Pull(cursor, [&](const v1::PullResponse&) { ++pages; });
  EXPECT_EQ(pulled.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(pages, 0);
  EXPECT_EQ(cursor, "");
  InMemoryTransport clean = Link("tablet-b");
  ASSERT_OK(clean.Pull(cursor, [&](const v1::PullResponse&) { ++pages; }));
  EXPECT_GT(pages, 0);
}

// A tablet restored from an older copy of itself (a reinstall, a backup)
// counts its mutations again from where the copy stood: the server has
// those numbers already, for other edits. Before digests its next edit came
// back DUPLICATE and left the outbox, lost; now the server refuses the
// number (SEQ_REUSED, expecting the next one) and the tablet sends the edit
// again under it, in the same sync.
TEST_F(SdkSyncTest, ATabletRestoredFromAnOlderCopyLosesNoEdit) {
  namespace fs = std::filesystem;
  auto tablet = OpenTablet("tablet-a");
  InMemoryTransport link = Link("tablet-a");
  ASSERT_TRUE(
      tablet
          ->Edit("report/r1", {Area("xa-tan-phu-dong"), Results("một")}, 0, "A")
          .ok());
  Sync(*tablet, link);
  tablet.reset();
  fs::copy(dir_.Sub("tablet-a"), dir_.Sub("backup"),
           fs::copy_options::recursive);
  tablet = OpenTablet("tablet-a");
  ASSERT_TRUE(
      tablet
          ->Edit("report/r2", {Area("xa-tan-phu-dong"), Results("hai")}, 0, "A")
          .ok());
  ASSERT_EQ(Sync(*tablet, link).pushed, 1);

  // Restored from the copy: its next edit takes number 2 again.
  tablet.reset();
  fs::remove_all(dir_.Sub("tablet-a"));
  fs::copy(dir_.Sub("backup"), dir_.Sub("tablet-a"),
           fs::copy_options::recursive);
  tablet = OpenTablet("tablet-a");
  auto reused = tablet->Edit("report/r3",
                             {Area("xa-tan-phu-dong"), Results("ba")}, 0, "A");
  ASSERT_OK(reused);
  ASSERT_EQ(reused->mutation_seq(), 2u);
  ASSERT_TRUE(
      tablet->Edit("report/r1", {Results("một, sửa sau")}, 0, "A").ok());
  client::SyncReport report = Sync(*tablet, link);
  EXPECT_EQ(report.pushed, 2);
  EXPECT_TRUE(tablet->Outbox()->empty());
  ASSERT_TRUE(ServerDoc("report/r2").has_value());
  EXPECT_EQ(ServerDoc("report/r2")->report().results(), "hai");
  ASSERT_TRUE(ServerDoc("report/r3").has_value());
  EXPECT_EQ(ServerDoc("report/r3")->report().results(), "ba");
  EXPECT_EQ(ServerDoc("report/r1")->report().results(), "một, sửa sau");
  // Its next edit follows the server's numbers.
  auto next = tablet->Edit("report/r3", {Results("bốn")}, 0, "A");
  ASSERT_OK(next);
  EXPECT_EQ(next->mutation_seq(), 5u);
}

TEST_F(SdkSyncTest, TheCatalogueAndReportsAnswerOffline) {
  auto add_model = [&](std::string id, std::string name, std::string sector,
                       v1::ModelLevel level, std::string owner) {
    v1::Document doc;
    doc.set_key("model/" + id);
    v1::Model& m = *doc.mutable_model();
    m.set_id(id);
    m.set_name(name);
    m.set_sector_slug(sector);
    m.set_level(level);
    m.set_owner_area_id(owner);
    m.set_status(v1::MODEL_STATUS_CONTINUING);
    ASSERT_OK(replica_->WriteServerDocument(doc));
  };
  for (const v1::Area& area : areas_.Subtree("", "")) {
    v1::Document doc;
    doc.set_key("area/" + area.id());
    *doc.mutable_area() = area;
    ASSERT_OK(replica_->WriteServerDocument(doc));
  }
  add_model("tinh-kt-01", "Hợp tác xã Tân Phú Đông", "nong-nghiep",
            v1::MODEL_LEVEL_PROVINCE, "dong-thap");
  add_model("huyen-sd-01", "Vườn hoa kiểng Sa Đéc", "nong-nghiep",
            v1::MODEL_LEVEL_DISTRICT, "tp-sa-dec");
  add_model("huyen-sd-02", "Chợ đêm", "thuong-mai", v1::MODEL_LEVEL_DISTRICT,
            "tp-sa-dec");
  add_model("huyen-lv-01", "Quýt hồng Lai Vung", "nong-nghiep",
            v1::MODEL_LEVEL_DISTRICT, "h-lai-vung");  // not in this scope
  auto tablet = OpenTablet("tablet-a");
  InMemoryTransport link = Link("tablet-a");
  Sync(*tablet, link);

  auto ids = [](const std::vector<v1::Model>& models) {
    std::vector<std::string> out;
    for (const v1::Model& m : models) out.push_back(m.id());
    return out;
  };
  v1::ListModelsRequest filter;
  filter.set_search("tan phu dong");
  EXPECT_THAT(ids(*tablet->ListModels(filter)), ElementsAre("tinh-kt-01"));
  filter.set_match_diacritics(true);
  EXPECT_TRUE(tablet->ListModels(filter)->empty());
  filter.Clear();
  filter.set_sector_slug("nong-nghiep");
  EXPECT_THAT(ids(*tablet->ListModels(filter)),
              ElementsAre("huyen-sd-01", "tinh-kt-01"));
  filter.Clear();
  filter.set_area_id("tp-sa-dec");
  EXPECT_THAT(ids(*tablet->ListModels(filter)),
              ElementsAre("huyen-sd-01", "huyen-sd-02"));
  filter.set_search(std::string("\xff\xfe", 2));
  EXPECT_EQ(tablet->ListModels(filter).status().code(),
            absl::StatusCode::kInvalidArgument);

  // Reports: one synced, one still in the outbox; both answer.
  ASSERT_TRUE(tablet
                  ->Edit("report/a",
                         {Area("xa-tan-phu-dong"), ModelId("huyen-sd-01"),
                          Period("2025")},
                         0, "A")
                  .ok());
  Sync(*tablet, link);
  ASSERT_TRUE(tablet
                  ->Edit("report/b",
                         {Area("xa-tan-phu-dong"), ModelId("huyen-sd-01"),
                          Period("2024")},
                         0, "A")
                  .ok());
  ASSERT_TRUE(tablet
                  ->Edit("report/c",
                         {Area("xa-tan-phu-dong"), ModelId("huyen-sd-02"),
                          Period("2025")},
                         0, "A")
                  .ok());
  auto keys = [](const std::vector<v1::Document>& docs) {
    std::vector<std::string> out;
    for (const v1::Document& d : docs) out.push_back(d.key());
    return out;
  };
  EXPECT_THAT(keys(*tablet->ListReports({.model_id = "huyen-sd-01"})),
              ElementsAre("report/a", "report/b"));
  EXPECT_THAT(keys(*tablet->ListReports({.period = "2025"})),
              ElementsAre("report/a", "report/c"));
  EXPECT_THAT(
      keys(*tablet->ListReports({.model_id = "huyen-sd-01", .period = "2024"})),
      ElementsAre("report/b"));
  EXPECT_EQ(tablet->Outbox()->size(), 2u);
}

}  // namespace
}  // namespace fieldsync
