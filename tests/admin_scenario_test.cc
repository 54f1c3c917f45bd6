// Province and district work over the real Đồng Tháp catalogue, through the
// real server binary: a commune proposes a model, the district forwards it,
// the province approves it and it reaches the tablets in scope on their
// next pull; a district and the province change one model's plan at once,
// the province's value stays and the district's waits in the review queue;
// resolving it syncs. Every decision done twice is refused with nothing
// changed, and `fieldsync admin models history` shows every version.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/local_replica.h"
#include "client-sdk/sync_client.h"
#include "sync/field_error.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

constexpr char kModel[] = "huyen-tp-sa-dec-05";
constexpr char kNewModel[] = "huyen-tp-sa-dec-de-xuat-01";

struct Person {
  std::string id, secret;
  std::unique_ptr<client::AdminClient> admin;
  std::unique_ptr<client::LocalReplica> tablet;
};

class AdminScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
    province_secret_ = *client::ReadSecretFile(dir_.Sub("data/admin-secret"));
  }

  Person Enroll(const std::string& name, v1::Role role,
                const std::string& area) {
    client::AdminClient root(server_->address(), province_secret_);
    v1::EnrollDeviceRequest request;
    request.set_name(name);
    request.set_role(role);
    request.set_area_id(area);
    auto enrolled = root.Enroll(request);
    EXPECT_OK(enrolled);
    Person p;
    p.id = enrolled->device().id();
    p.secret = enrolled->secret();
    p.admin =
        std::make_unique<client::AdminClient>(server_->address(), p.secret);
    p.tablet = *client::LocalReplica::Open(dir_.Sub("tablet-" + p.id), p.id);
    return p;
  }

  void Sync(Person& p) {
    client::SyncClient link(
        {.target = server_->address(), .device_id = p.id, .secret = p.secret});
    auto report = p.tablet->Sync(link);
    ASSERT_OK(report);
  }

  // The model as the server holds it now.
  v1::Model ServerModel(Person& p, const std::string& id) {
    auto history = p.admin->ModelHistory(id);
    EXPECT_OK(history);
    return history.ok() && history->versions_size() > 0
               ? history->versions().rbegin()->model()
               : v1::Model();
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
  std::string province_secret_;
};

void ExpectRefused(const absl::Status& status, absl::StatusCode code,
                   const std::string& field, const std::string& text) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(text));
  std::vector<FieldViolation> violations = FieldViolations(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].field(), field);
}

TEST_F(AdminScenarioTest, ProposalToCatalogueAndAPlanConflictResolved) {
  Person commune = Enroll("Cán bộ xã Tân Phú Đông", v1::ROLE_COMMUNE_OFFICER,
                          "xa-tan-phu-dong");
  Person neighbour = Enroll("Cán bộ xã Tân Quy Tây", v1::ROLE_COMMUNE_OFFICER,
                            "xa-tan-quy-tay");
  Person elsewhere =
      Enroll("Cán bộ Lai Vung", v1::ROLE_COMMUNE_OFFICER, "xa-vinh-thoi");
  Person district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  Person province = Enroll("Sở Kế hoạch", v1::ROLE_PROVINCE_ADMIN, "dong-thap");
  for (Person* p : {&commune, &neighbour, &elsewhere, &district}) Sync(*p);

  // 1. The commune proposes a model, offline, from its tablet.
  v1::Proposal proposal;
  proposal.set_area_id("xa-tan-phu-dong");
  proposal.set_status(v1::PROPOSAL_STATUS_PROPOSED);
  v1::Model* draft = proposal.mutable_draft();
  draft->set_name("Mô hình trồng hoa kiểng kết hợp du lịch");
  draft->set_results("15 hộ tham gia, thu nhập tăng 20%");
  std::vector<v1::FieldSet> sets =
      t::SetsOf(proposal, {"area_id", "status", "draft"});
  ASSERT_TRUE(
      commune.tablet->Edit("proposal/hoa-kieng-tpd", sets, 0, "Chị Lan").ok());
  Sync(commune);

  // 2. The district forwards it; 3. the province approves it.
  v1::DecideProposalRequest forward;
  forward.set_id("hoa-kieng-tpd");
  forward.set_decision(v1::PROPOSAL_DECISION_FORWARD);
  auto forwarded = district.admin->DecideProposal(forward);
  ASSERT_OK(forwarded);
  EXPECT_EQ(forwarded->proposal().status(), v1::PROPOSAL_STATUS_FORWARDED);
  v1::DecideProposalRequest approve;
  approve.set_id("hoa-kieng-tpd");
  approve.set_decision(v1::PROPOSAL_DECISION_APPROVE);
  approve.set_model_id(kNewModel);
  // A district cannot approve: that step belongs to the province.
  EXPECT_EQ(district.admin->DecideProposal(approve).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto approved = province.admin->DecideProposal(approve);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->proposal().status(), v1::PROPOSAL_STATUS_APPROVED);
  EXPECT_EQ(approved->model().owner_area_id(), "tp-sa-dec");
  EXPECT_EQ(approved->model().status(), v1::MODEL_STATUS_NEW);
  // Approving twice is refused, naming the proposal, and changes nothing.
  ExpectRefused(province.admin->DecideProposal(approve).status(),
                absl::StatusCode::kFailedPrecondition, "id",
                "is approved (model huyen-tp-sa-dec-de-xuat-01)");
  EXPECT_EQ(ServerModel(province, kNewModel).name(), draft->name());
  EXPECT_EQ(province.admin->ModelHistory(kNewModel)->versions_size(), 1);

  // 4. On their next pull, the tablets of Sa Đéc have it; Lai Vung's not.
  for (Person* p : {&commune, &neighbour, &elsewhere}) Sync(*p);
  v1::ListModelsRequest search;
  search.set_search("hoa kieng ket hop du lich");
  EXPECT_EQ(commune.tablet->ListModels(search)->size(), 1u);
  EXPECT_EQ(neighbour.tablet->ListModels(search)->size(), 1u);
  EXPECT_EQ(elsewhere.tablet->ListModels(search)->size(), 0u);
  auto proposed = commune.tablet->Get("proposal/hoa-kieng-tpd");
  ASSERT_TRUE(proposed.ok() && proposed->has_value());
  EXPECT_EQ((*proposed)->proposal().model_id(), kNewModel);

  // 5. The district and the province change the same plan at once, both
  // from the version they saw.
  const uint64_t seen =
      province.admin->ModelHistory(kModel)->versions().rbegin()->version();
  auto update = [&](Person& p, const std::string& plan) {
    v1::UpdateModelRequest request;
    request.mutable_model()->set_id(kModel);
    request.mutable_model()->set_plan_2021_2025(plan);
    request.mutable_update_mask()->add_paths("plan_2021_2025");
    request.set_base_version(seen);
    return p.admin->UpdateModel(request);
  };
  ASSERT_OK(update(district, "Kế hoạch của huyện: 50 hội quán"));
  ASSERT_OK(update(province, "Kế hoạch của tỉnh: 80 hội quán"));
  EXPECT_EQ(ServerModel(province, kModel).plan_2021_2025(),
            "Kế hoạch của tỉnh: 80 hội quán");  // the higher authority
  v1::ListConflictsRequest mine;
  mine.set_key("model/" + std::string(kModel));
  auto queue = district.admin->ListConflicts(mine);
  ASSERT_OK(queue);
  ASSERT_EQ(queue->conflicts_size(), 1);
  const v1::ConflictRecord& item = queue->conflicts(0);
  ASSERT_EQ(item.values_size(), 1);
  EXPECT_EQ(item.values(0).path(), "plan_2021_2025");
  v1::Model waiting, kept;
  waiting.ParseFromString(item.values(0).losing_value());
  kept.ParseFromString(item.values(0).current_value());
  EXPECT_EQ(waiting.plan_2021_2025(), "Kế hoạch của huyện: 50 hội quán");
  EXPECT_EQ(kept.plan_2021_2025(), "Kế hoạch của tỉnh: 80 hội quán");
  EXPECT_EQ(queue->open_by_kind().at("CONFLICT_KIND_FIELD"), 1u);
  EXPECT_GT(queue->oldest_open_micros(), 0);
  // A commune tablet syncs the province's value meanwhile.
  Sync(commune);
  EXPECT_EQ((*commune.tablet->Get("model/" + std::string(kModel)))
                ->model()
                .plan_2021_2025(),
            "Kế hoạch của tỉnh: 80 hội quán");

  // 6. The province settles it with the district's figure; it syncs.
  v1::ResolveConflictRequest resolve;
  resolve.set_id(item.id());
  resolve.set_resolution(v1::RESOLUTION_TAKE_WAITING);
  resolve.set_comment("Số liệu huyện sát thực tế hơn");
  // Another district's officer is answered as if the item did not exist.
  Person other =
      Enroll("Phòng Kinh tế Lai Vung", v1::ROLE_DISTRICT_OFFICER, "h-lai-vung");
  v1::ResolveConflictRequest missing = resolve;
  missing.set_id(item.id() + 100000);
  const absl::Status outside = other.admin->ResolveConflict(resolve).status();
  const absl::Status unknown = other.admin->ResolveConflict(missing).status();
  EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound);
  std::string same(unknown.message());
  same.replace(same.find(std::to_string(missing.id())),
               std::to_string(missing.id()).size(), std::to_string(item.id()));
  EXPECT_EQ(outside.message(), same);
  auto resolved = province.admin->ResolveConflict(resolve);
  ASSERT_OK(resolved);
  EXPECT_TRUE(resolved->conflict().resolved());
  Sync(commune);
  EXPECT_EQ((*commune.tablet->Get("model/" + std::string(kModel)))
                ->model()
                .plan_2021_2025(),
            "Kế hoạch của huyện: 50 hội quán");
  EXPECT_EQ(district.admin->ListConflicts(mine)->conflicts_size(), 0);
  // Resolving it again is refused and changes nothing.
  const size_t versions = province.admin->ModelHistory(kModel)->versions_size();
  ExpectRefused(province.admin->ResolveConflict(resolve).status(),
                absl::StatusCode::kFailedPrecondition, "id",
                "was resolved already");
  EXPECT_EQ(province.admin->ModelHistory(kModel)->versions_size(), versions);

  // 7. Bad input: a mask naming no field of Model.
  v1::UpdateModelRequest colour;
  colour.mutable_model()->set_id(kModel);
  colour.mutable_update_mask()->add_paths("colour");
  ExpectRefused(province.admin->UpdateModel(colour).status(),
                absl::StatusCode::kInvalidArgument, "update_mask.paths[0]",
                "\"colour\" is not a field of fieldsync.v1.Model");
  EXPECT_EQ(province.admin->ModelHistory(kModel)->versions_size(), versions);

  // 8. The province locks 2025 once; twice is refused.
  auto locked = province.admin->LockYear("2025");
  ASSERT_OK(locked);
  EXPECT_THAT(locked->locked_years(), ::testing::ElementsAre("2025"));
  ExpectRefused(province.admin->LockYear("2025").status(),
                absl::StatusCode::kFailedPrecondition, "year",
                "2025 is locked already");
  EXPECT_EQ(district.admin->LockYear("2024").status().code(),
            absl::StatusCode::kPermissionDenied);

  // 9. The history, as a person reads it.
  t::RunResult history = t::Run(
      {FS_CLI_BINARY, "--server", server_->address(), "--secret-file",
       dir_.Sub("data/admin-secret"), "admin", "models", "history", kModel},
      {"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "HOME=/nonexistent"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("(loaded catalogue)"));
  EXPECT_THAT(history.out, HasSubstr("Phòng Kinh tế Sa Đéc"));
  EXPECT_THAT(history.out, HasSubstr("Sở Kế hoạch"));
  EXPECT_THAT(history.out, HasSubstr(district.id + "~admin"));
  EXPECT_THAT(history.out, HasSubstr("plan_2021_2025: "));
  EXPECT_THAT(history.out, HasSubstr("→ Kế hoạch của tỉnh: 80"));
  EXPECT_THAT(history.out, HasSubstr("4 versions"));
  std::cout << history.out;
}

TEST_F(AdminScenarioTest, AcceptedReportsAndLockedYearsTakeAmendments) {
  Person commune = Enroll("Cán bộ xã Tân Phú Đông", v1::ROLE_COMMUNE_OFFICER,
                          "xa-tan-phu-dong");
  Person district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  v1::Report report;
  report.set_area_id("xa-tan-phu-dong");
  report.set_model_id(kModel);
  report.set_period("2025");
  report.set_results("59 thành viên");
  report.set_status(v1::REPORT_STATUS_SUBMITTED);
  std::vector<v1::FieldSet> sets =
      t::SetsOf(report, {"area_id", "model_id", "period", "results", "status"});
  ASSERT_OK(commune.tablet->Edit("report/tpd-05-2025", sets, 0, "Lan"));
  Sync(commune);

  v1::ReviewReportRequest review;
  review.set_id("tpd-05-2025");
  review.set_accept(false);
  ExpectRefused(district.admin->ReviewReport(review).status(),
                absl::StatusCode::kInvalidArgument, "comment", "say why");
  review.set_accept(true);
  review.set_comment("Đạt");
  auto accepted = district.admin->ReviewReport(review);
  ASSERT_OK(accepted);
  EXPECT_EQ(accepted->report().status(), v1::REPORT_STATUS_ACCEPTED);
  ExpectRefused(district.admin->ReviewReport(review).status(),
                absl::StatusCode::kFailedPrecondition, "id",
                "only a submitted report is reviewed");

  // A later change to the accepted report waits as an amendment.
  Sync(commune);
  v1::Report change;
  change.set_results("60 thành viên");
  v1::FieldSet results;
  results.set_path("results");
  results.set_value(t::ValueOf(change, "results"));
  ASSERT_TRUE(
      commune.tablet->Edit("report/tpd-05-2025", {results}, 0, "Lan").ok());
  client::SyncClient link({.target = server_->address(),
                           .device_id = commune.id,
                           .secret = commune.secret});
  auto synced = commune.tablet->Sync(link);
  ASSERT_OK(synced);
  ASSERT_EQ(synced->notices.size(), 1u);
  EXPECT_EQ(synced->notices[0].kind(), v1::NOTICE_KIND_AMENDMENT);
  EXPECT_EQ((*commune.tablet->Get("report/tpd-05-2025"))->report().results(),
            "59 thành viên");
  v1::ListConflictsRequest all;
  auto queue = district.admin->ListConflicts(all);
  ASSERT_OK(queue);
  ASSERT_EQ(queue->conflicts_size(), 1);
  EXPECT_EQ(queue->conflicts(0).kind(), v1::CONFLICT_KIND_AMENDMENT);
}

// Once the province locks a year, a new report for it and a report moved
// into it wait in the review queue like any other amendment; the province
// lets the new one in by resolving its item.
TEST_F(AdminScenarioTest, ALockedYearLocksNewReportsAndMovesIntoIt) {
  Person commune = Enroll("Cán bộ xã Tân Phú Đông", v1::ROLE_COMMUNE_OFFICER,
                          "xa-tan-phu-dong");
  Person district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  Person province = Enroll("Sở Kế hoạch", v1::ROLE_PROVINCE_ADMIN, "dong-thap");
  ASSERT_OK(province.admin->LockYear("2024"));

  client::SyncClient link({.target = server_->address(),
                           .device_id = commune.id,
                           .secret = commune.secret});
  const std::string late = "report/xa-tan-phu-dong.huyen-tp-sa-dec-05.2024";
  const std::string open = "report/xa-tan-phu-dong.huyen-tp-sa-dec-05.2026";
  auto pushed = link.Push({t::MutationBuilder(commune.id, 1, late)
                               .AreaId("xa-tan-phu-dong")
                               .Period("2024")
                               .Results("59 thành viên"),
                           t::MutationBuilder(commune.id, 2, open)
                               .AreaId("xa-tan-phu-dong")
                               .Period("2026")
                               .Results("61 thành viên")});
  ASSERT_OK(pushed);
  EXPECT_EQ((*pushed)[0].outcome(), v1::MUTATION_OUTCOME_AMENDMENT)
      << (*pushed)[0].reason();
  ASSERT_EQ((*pushed)[1].outcome(), v1::MUTATION_OUTCOME_APPLIED);
  auto moved = link.Push({t::MutationBuilder(commune.id, 3, open)
                              .Base((*pushed)[1].version())
                              .Period("2024")});
  ASSERT_OK(moved);
  EXPECT_EQ((*moved)[0].outcome(), v1::MUTATION_OUTCOME_AMENDMENT)
      << (*moved)[0].reason();

  // What the server holds of these two: no 2024 report; the other still in
  // 2026.
  auto held = [&]() {
    std::map<std::string, std::string> periods;
    std::string cursor;
    EXPECT_TRUE(link.Pull(cursor,
                          [&](const v1::PullResponse& page) {
                            for (const v1::Document& doc : page.documents()) {
                              if (doc.key() == late || doc.key() == open) {
                                periods[doc.key()] = doc.report().period();
                              }
                            }
                          })
                    .ok());
    return periods;
  };
  EXPECT_EQ(held(), (std::map<std::string, std::string>{{open, "2026"}}));

  // Both wait in the district's queue, as amendments.
  auto queue = district.admin->ListConflicts({});
  ASSERT_OK(queue);
  std::map<std::string, uint64_t> items;
  for (const v1::ConflictRecord& item : queue->conflicts()) {
    EXPECT_EQ(item.kind(), v1::CONFLICT_KIND_AMENDMENT) << item.key();
    items[item.key()] = item.id();
  }
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items.contains(late));
  ASSERT_TRUE(items.contains(open));

  // The province takes the late report in.
  v1::ResolveConflictRequest take;
  take.set_id(items[late]);
  take.set_resolution(v1::RESOLUTION_TAKE_WAITING);
  take.set_comment("Nộp muộn, đã xác minh");
  auto resolved = province.admin->ResolveConflict(take);
  ASSERT_OK(resolved);
  EXPECT_EQ(held(), (std::map<std::string, std::string>{{late, "2024"},
                                                        {open, "2026"}}));
}

// The review queue comes in pages (AIP-158): each page at most page_size
// items of the caller's scopes, oldest first, the next one from the
// token; the counts come with the first page.
TEST_F(AdminScenarioTest, TheReviewQueueComesInPages) {
  Person commune = Enroll("Cán bộ xã Tân Phú Đông", v1::ROLE_COMMUNE_OFFICER,
                          "xa-tan-phu-dong");
  Person other =
      Enroll("Cán bộ xã Vĩnh Thới", v1::ROLE_COMMUNE_OFFICER, "xa-vinh-thoi");
  Person district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  Person province = Enroll("Sở Kế hoạch", v1::ROLE_PROVINCE_ADMIN, "dong-thap");
  ASSERT_OK(province.admin->LockYear("2024"));
  // Five late reports of Sa Đéc's commune and three of Lai Vung's, mixed:
  // each waits in the queue as an amendment.
  auto late = [&](const Person& who, const std::string& area, uint64_t seq) {
    client::SyncClient link({.target = server_->address(),
                             .device_id = who.id,
                             .secret = who.secret});
    auto pushed = link.Push(
        {t::MutationBuilder(who.id, seq,
                            absl::StrCat("report/", area, ".m", seq, ".2024"))
             .AreaId(area)
             .Period("2024")
             .Results("muộn")});
    ASSERT_OK(pushed);
    ASSERT_EQ((*pushed)[0].outcome(), v1::MUTATION_OUTCOME_AMENDMENT)
        << (*pushed)[0].reason();
  };
  for (uint64_t i = 1; i <= 5; ++i) {
    late(commune, "xa-tan-phu-dong", i);
    if (i <= 3) late(other, "xa-vinh-thoi", i);
  }

  std::vector<std::string> seen;
  v1::ListConflictsRequest request;
  request.set_page_size(2);
  int pages = 0;
  do {
    auto page = district.admin->ListConflicts(request);
    ASSERT_OK(page);
    EXPECT_LE(page->conflicts_size(), 2);
    if (pages == 0) {
      EXPECT_EQ(page->open_by_kind().at("CONFLICT_KIND_AMENDMENT"), 5u);
      EXPECT_GT(page->oldest_open_micros(), 0);
    } else {
      EXPECT_TRUE(page->open_by_kind().empty());
    }
    for (const v1::ConflictRecord& item : page->conflicts()) {
      seen.push_back(item.key());
    }
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  std::vector<std::string> expected;
  for (int i = 1; i <= 5; ++i) {
    expected.push_back(absl::StrCat("report/xa-tan-phu-dong.m", i, ".2024"));
  }
  EXPECT_EQ(seen, expected);

  // The province sees all eight; without a page size, in one page.
  auto all = province.admin->ListConflicts({});
  ASSERT_OK(all);
  EXPECT_EQ(all->conflicts_size(), 8);
  EXPECT_TRUE(all->next_page_token().empty());

  // A page size out of range, and a token with other filters, are refused.
  v1::ListConflictsRequest too_big;
  too_big.set_page_size(501);
  EXPECT_EQ(district.admin->ListConflicts(too_big).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::ListConflictsRequest first;
  first.set_page_size(2);
  auto page = district.admin->ListConflicts(first);
  ASSERT_OK(page);
  ASSERT_FALSE(page->next_page_token().empty());
  v1::ListConflictsRequest other_filter;
  other_filter.set_page_size(2);
  other_filter.set_include_resolved(true);
  other_filter.set_page_token(page->next_page_token());
  EXPECT_EQ(district.admin->ListConflicts(other_filter).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AdminScenarioTest, ReviewersDecideFromTheCommandLine) {
  Person commune = Enroll("Cán bộ xã Tân Phú Đông", v1::ROLE_COMMUNE_OFFICER,
                          "xa-tan-phu-dong");
  Person district =
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  auto cli = [&](const std::string& secret, std::vector<std::string> args) {
    const std::string file = dir_.Sub(
        "secret-" + std::to_string(secret.size()) + secret.substr(4, 12));
    std::ofstream(file) << secret << "\n";
    args.insert(args.begin(), {FS_CLI_BINARY, "--server", server_->address(),
                               "--secret-file", file});
    return t::Run(
        args, {"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "HOME=/nonexistent"});
  };
  // A proposal from the commune's tablet.
  v1::Proposal proposal;
  proposal.set_area_id("xa-tan-phu-dong");
  proposal.set_status(v1::PROPOSAL_STATUS_PROPOSED);
  proposal.mutable_draft()->set_name("Mô hình nuôi cá trên ruộng lúa");
  std::vector<v1::FieldSet> sets =
      t::SetsOf(proposal, {"area_id", "status", "draft"});
  ASSERT_OK(commune.tablet->Edit("proposal/ca-ruong", sets, 0, "Lan"));
  Sync(commune);

  t::RunResult forward = cli(district.secret, {"admin", "proposals", "decide",
                                               "ca-ruong", "--forward"});
  EXPECT_EQ(forward.exit_code, 0) << forward.err;
  EXPECT_THAT(forward.out, HasSubstr("PROPOSAL_STATUS_FORWARDED"));
  t::RunResult approve =
      cli(province_secret_, {"admin", "proposals", "decide", "ca-ruong",
                             "--approve-as", "huyen-tp-sa-dec-de-xuat-02"});
  EXPECT_EQ(approve.exit_code, 0) << approve.err;
  t::RunResult again =
      cli(province_secret_, {"admin", "proposals", "decide", "ca-ruong",
                             "--approve-as", "huyen-tp-sa-dec-de-xuat-02"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("id: proposal \"ca-ruong\" is approved"));

  // A plan conflict settled with a new value typed at the command line.
  const uint64_t seen =
      district.admin->ModelHistory(kModel)->versions().rbegin()->version();
  for (const std::string* secret : {&district.secret, &province_secret_}) {
    v1::UpdateModelRequest request;
    request.mutable_model()->set_id(kModel);
    request.mutable_model()->set_plan_2021_2025(
        secret == &province_secret_ ? "kế hoạch tỉnh" : "kế hoạch huyện");
    request.mutable_update_mask()->add_paths("plan_2021_2025");
    request.set_base_version(seen);
    client::AdminClient(server_->address(), *secret)
        .UpdateModel(request)
        .IgnoreError();
  }
  auto queue = district.admin->ListConflicts({});
  ASSERT_TRUE(queue.ok() && queue->conflicts_size() == 1);
  const std::string item = std::to_string(queue->conflicts(0).id());
  t::RunResult resolve =
      cli(district.secret,
          {"review", "resolve", item, "--key", "model/" + std::string(kModel),
           "--value", "plan_2021_2025=Kế hoạch thống nhất: 65 hội quán",
           "--comment", "Đã họp thống nhất"});
  EXPECT_EQ(resolve.exit_code, 0) << resolve.err;
  EXPECT_EQ(district.admin->ModelHistory(kModel)
                ->versions()
                .rbegin()
                ->model()
                .plan_2021_2025(),
            "Kế hoạch thống nhất: 65 hội quán");
  t::RunResult twice =
      cli(district.secret, {"review", "resolve", item, "--keep"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("was resolved already"));

  // Locking a year, twice.
  t::RunResult lock = cli(province_secret_, {"admin", "years", "lock", "2024"});
  EXPECT_EQ(lock.exit_code, 0) << lock.err;
  t::RunResult relock =
      cli(province_secret_, {"admin", "years", "lock", "2024"});
  EXPECT_EQ(relock.exit_code, 1);
  EXPECT_THAT(relock.err, HasSubstr("year: 2024 is locked already"));
}

}  // namespace
}  // namespace fieldsync
