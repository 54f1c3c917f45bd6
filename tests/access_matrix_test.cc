// Every role against every RPC, inside and outside its scope, through the
// real server, plus the same calls with no secret and after revocation.
// Refusals take the form each RPC has: PERMISSION_DENIED for admin calls,
// a rejected mutation (with the reason) in a push, NOT_FOUND for a model the
// caller may not see, and documents simply absent from a pull.
// access_matrix_audit_test.cc: the audit of lookups outside the caller's
// area.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "client-sdk/admin_client.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/monitoring_client.h"
#include "client-sdk/sync_client.h"
#include "sync/error_info.h"
#include "sync/field_error.h"
#include "tests/access_matrix_fixture.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using t::AccessMatrixTest;
using t::Device;

TEST_F(AccessMatrixTest, EachRoleEachRpcInsideAndOutsideItsScope) {
  Device& tpd = devices_[0];
  Device& lv = devices_[1];
  Device& sadec = devices_[2];
  Device& admin = devices_[3];
  Device& auditor = devices_[4];
  constexpr auto kApplied = v1::MUTATION_OUTCOME_APPLIED;
  constexpr auto kRejected = v1::MUTATION_OUTCOME_REJECTED;

  // Push: inside and outside the scope.
  EXPECT_EQ(PushReport(tpd, "xa-tan-phu-dong"), kApplied);
  EXPECT_EQ(PushReport(tpd, "xa-tan-quy-tay"), kRejected);
  EXPECT_EQ(PushReport(lv, "xa-vinh-thoi"), kApplied);
  EXPECT_EQ(PushReport(lv, "xa-tan-phu-dong"), kRejected);
  EXPECT_EQ(PushReport(sadec, "xa-tan-quy-tay"), kApplied);
  EXPECT_EQ(PushReport(sadec, "xa-vinh-thoi"), kRejected);
  EXPECT_EQ(PushReport(admin, "xa-vinh-thoi"), kApplied);
  EXPECT_EQ(PushReport(auditor, "xa-tan-phu-dong"), kRejected);

  // Admin RPCs: province admins only, whole or by the page.
  for (const Device& d : devices_) {
    const absl::StatusCode expected = d.role == v1::ROLE_PROVINCE_ADMIN
                                          ? absl::StatusCode::kOk
                                          : absl::StatusCode::kPermissionDenied;
    EXPECT_EQ(AdminCall(d.secret), expected) << d.name;
    client::AdminClient as(server_->address(), d.secret);
    v1::ListDevicesRequest page;
    page.set_page_size(2);
    EXPECT_EQ(as.ListDevicesPage(page).status().code(), expected) << d.name;
  }

  // The audit trail: province admins and auditors, whole or filtered.
  for (const Device& d : devices_) {
    client::AdminClient as(server_->address(), d.secret);
    v1::ListAuditEventsRequest request;
    request.set_kind("enroll");
    request.set_page_size(3);
    const bool reader =
        d.role == v1::ROLE_PROVINCE_ADMIN || d.role == v1::ROLE_AUDITOR;
    absl::StatusOr<v1::ListAuditEventsResponse> page =
        as.ListAuditEventsPage(request);
    EXPECT_EQ(page.status().code(), reader
                                        ? absl::StatusCode::kOk
                                        : absl::StatusCode::kPermissionDenied)
        << d.name;
    if (page.ok()) EXPECT_GT(page->events_size(), 0) << d.name;
  }

  // Hierarchy changes: province admins only (checked, not written, here).
  for (const Device& d : devices_) {
    client::AdminClient as(server_->address(), d.secret);
    v1::ApplyAreaChangesRequest request;
    request.set_validate_only(true);
    v1::AreaChange* change = request.add_changes();
    change->set_action(v1::AREA_CHANGE_ACTION_RENAME);
    change->set_old_area_id(d.area);
    change->set_new_area_name("Tên mới");
    change->set_valid_from("2025-07-01");
    EXPECT_EQ(as.ApplyAreaChanges(request).status().code(),
              d.role == v1::ROLE_PROVINCE_ADMIN
                  ? absl::StatusCode::kOk
                  : absl::StatusCode::kPermissionDenied)
        << d.name;
  }

  // Backups: province admins only; a refused caller leaves no folder.
  for (const Device& d : devices_) {
    client::AdminClient as(server_->address(), d.secret);
    v1::BackupRequest request;
    request.set_target_dir(dir_.Sub("backup-" + d.id));
    const bool allowed = d.role == v1::ROLE_PROVINCE_ADMIN;
    auto made = as.Backup(request);
    EXPECT_EQ(made.status().code(), allowed
                                        ? absl::StatusCode::kOk
                                        : absl::StatusCode::kPermissionDenied)
        << d.name << ": " << made.status();
    EXPECT_EQ(std::filesystem::exists(request.target_dir()), allowed) << d.name;
  }

  // WhoAmI: every device, about itself. The review queue: reviewers only.
  for (const Device& d : devices_) {
    client::AdminClient self(server_->address(), d.secret);
    auto me = self.WhoAmI();
    ASSERT_TRUE(me.ok()) << d.name << ": " << me.status();
    EXPECT_EQ(me->device().id(), d.id);
    EXPECT_EQ(me->device().area_id(), d.area);
    EXPECT_EQ(me->working_area_id(), d.area);
    EXPECT_EQ(me->device().secret_hash(), "");
    EXPECT_EQ(self.ListConflicts({}).status().code(),
              d.role == v1::ROLE_COMMUNE_OFFICER
                  ? absl::StatusCode::kPermissionDenied
                  : absl::StatusCode::kOk)
        << d.name;
  }

  // Read API: models in and out of sight; areas and sectors for everyone.
  struct Sight {
    const Device* device;
    bool sees_sa_dec_model, sees_lai_vung_model;
  };
  for (const Sight& s : {Sight{&tpd, true, false}, Sight{&lv, false, true},
                         Sight{&sadec, true, false}, Sight{&admin, true, true},
                         Sight{&auditor, true, true}}) {
    client::CatalogueClient catalogue(server_->address(), s.device->secret);
    EXPECT_EQ(catalogue.GetModel("huyen-tp-sa-dec-05").ok(),
              s.sees_sa_dec_model)
        << s.device->name;
    EXPECT_EQ(catalogue.GetModel("huyen-h-lai-vung-45").ok(),
              s.sees_lai_vung_model)
        << s.device->name;
    EXPECT_TRUE(catalogue.GetModel("tinh-kt-01").ok()) << s.device->name;
    EXPECT_OK(catalogue.ListAreas(v1::ListAreasRequest()));
    EXPECT_OK(catalogue.ListSectors());
  }

  // Totals: an area outside the caller's reads exactly as an unknown one.
  struct Figures {
    const Device* device;
    bool reads_sa_dec, reads_tan_phu_dong, reads_vinh_thoi;
  };
  auto totals = [&](const Device& d, const std::string& area) {
    client::MonitoringClient monitoring(server_->address(), d.secret);
    v1::GetTotalsRequest request;
    request.set_area_id(area);
    request.set_period("2021");
    return monitoring.GetAllTotals(request).status();
  };
  // Per caller, each area read or answered exactly as an unknown one.
  const std::vector<Figures> reach = {
      Figures{&tpd, false, true, false}, Figures{&lv, false, false, true},
      Figures{&sadec, true, true, false}, Figures{&admin, true, true, true},
      Figures{&auditor, true, true, true}};
  auto expect_reach =
      [&](const Figures& f,
          const std::function<absl::Status(const Device&, const std::string&)>&
              ask) {
        const Device& d = *f.device;
        for (auto [area, reads] :
             {std::pair<std::string, bool>{"tp-sa-dec", f.reads_sa_dec},
              {"xa-tan-phu-dong", f.reads_tan_phu_dong},
              {"xa-vinh-thoi", f.reads_vinh_thoi}}) {
          absl::Status s = ask(d, area);
          if (reads) {
            EXPECT_TRUE(s.ok()) << d.name << " on " << area << ": " << s;
            continue;
          }
          absl::Status unknown = ask(d, "xa-khong-co");
          EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << d.name << area;
          std::string same(unknown.message());
          same.replace(same.find("xa-khong-co"), 11, area);
          EXPECT_EQ(s.message(), same) << d.name;
        }
      };
  for (const Figures& f : reach) expect_reach(f, totals);

  // Completeness: the same reach as totals; with no area an officer asks
  // within its own. A model the caller may not see reads as an unknown one.
  auto completeness = [&](const Device& d, const std::string& model,
                          const std::string& area) {
    client::MonitoringClient monitoring(server_->address(), d.secret);
    v1::GetCompletenessRequest request;
    request.set_model_id(model);
    request.set_period("2021");
    request.set_area_id(area);
    return monitoring.GetAllCompleteness(request);
  };
  for (const Figures& f : reach) {
    const Device& d = *f.device;
    expect_reach(f, [&](const Device& device, const std::string& area) {
      return completeness(device, "tinh-kt-01", area).status();
    });
    auto own = completeness(d, "tinh-kt-01", "");
    ASSERT_TRUE(own.ok()) << d.name << ": " << own.status();
    EXPECT_EQ(own->area_id(),
              d.role == v1::ROLE_PROVINCE_ADMIN || d.role == v1::ROLE_AUDITOR
                  ? ""
                  : d.area)
        << d.name;
  }
  for (auto [device, sees] : {std::pair<const Device*, bool>{&tpd, false},
                              {&lv, true},
                              {&sadec, false},
                              {&admin, true},
                              {&auditor, true}}) {
    auto s = completeness(*device, "huyen-h-lai-vung-45", "").status();
    EXPECT_EQ(s.ok(), sees) << device->name << ": " << s;
    if (sees) continue;
    auto unknown = completeness(*device, "huyen-khong-co-01", "").status();
    std::string same(unknown.message());
    same.replace(same.find("huyen-khong-co-01"), 17, "huyen-h-lai-vung-45");
    EXPECT_EQ(s.message(), same) << device->name;
  }

  // Assigning the areas expected to report: catalogue editors only, each
  // within what it may write and read.
  auto assign = [&](const Device& d, const std::string& model,
                    const std::string& area) {
    client::AdminClient client(server_->address(), d.secret);
    v1::AssignModelAreasRequest request;
    request.set_model_id(model);
    request.add_area_ids(area);
    return client.AssignModelAreas(request).status().code();
  };
  EXPECT_EQ(assign(tpd, "huyen-tp-sa-dec-05", "xa-tan-phu-dong"),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(assign(auditor, "huyen-tp-sa-dec-05", "xa-tan-phu-dong"),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(assign(sadec, "huyen-tp-sa-dec-05", "xa-tan-phu-dong"),
            absl::StatusCode::kOk);
  EXPECT_EQ(assign(sadec, "huyen-tp-sa-dec-05", "xa-vinh-thoi"),
            absl::StatusCode::kNotFound)
      << "an area outside the district is unknown to its officer";
  EXPECT_NE(assign(sadec, "huyen-h-lai-vung-45", "xa-tan-phu-dong"),
            absl::StatusCode::kOk);
  EXPECT_EQ(assign(admin, "huyen-h-lai-vung-45", "xa-vinh-thoi"),
            absl::StatusCode::kOk);

  // Overview: counts only the catalogue entries the caller may see.
  for (auto [device, models] : {std::pair<const Device*, int>{&tpd, 40 + 31},
                                {&lv, 40 + 16},
                                {&sadec, 40 + 31},
                                {&admin, 147},
                                {&auditor, 147}}) {
    client::MonitoringClient monitoring(server_->address(), device->secret);
    auto overview = monitoring.GetOverview(v1::GetOverviewRequest());
    ASSERT_TRUE(overview.ok()) << device->name << ": " << overview.status();
    EXPECT_EQ(overview->province_models() + overview->district_models(), models)
        << device->name;
  }

  // Appendix export: a province admin and an auditor every entry and any
  // district; a district officer its own district's entries, another
  // district reading exactly as an unknown one; a commune officer nothing.
  auto appendix = [&](const Device& d, const std::string& area) {
    client::MonitoringClient monitoring(server_->address(), d.secret);
    v1::ExportAppendixRequest request;
    request.set_year(2021);
    request.set_area_id(area);
    return monitoring.ExportAllAppendix(request);
  };
  auto exported_ids = [](const v1::ExportAppendixResponse& r) {
    std::set<std::string> ids;
    for (const v1::AppendixRow& row : r.rows()) ids.insert(row.model_id());
    return ids;
  };
  for (const Device* d : {&admin, &auditor}) {
    auto all = appendix(*d, "");
    ASSERT_TRUE(all.ok()) << d->name << ": " << all.status();
    EXPECT_EQ(exported_ids(*all).size(), 147u) << d->name;
    auto lai_vung = appendix(*d, "h-lai-vung");
    ASSERT_TRUE(lai_vung.ok()) << d->name << ": " << lai_vung.status();
    EXPECT_EQ(exported_ids(*lai_vung).size(), 16u) << d->name;
  }
  for (const std::string& area : {std::string(), std::string("tp-sa-dec")}) {
    auto own = appendix(sadec, area);
    ASSERT_OK(own);
    const std::set<std::string> ids = exported_ids(*own);
    EXPECT_EQ(ids.size(), 31u);
    for (const std::string& id : ids) {
      EXPECT_EQ(id.rfind("huyen-tp-sa-dec-", 0), 0u) << id;
    }
  }
  for (std::string area : {"h-lai-vung", "dong-thap"}) {
    absl::Status s = appendix(sadec, area).status();
    absl::Status unknown = appendix(sadec, "h-khong-co").status();
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << area << ": " << s;
    std::string same(unknown.message());
    same.replace(same.find("h-khong-co"), 10, area);
    EXPECT_EQ(s.message(), same) << area;
  }
  for (const Device* d : {&tpd, &lv}) {
    EXPECT_EQ(appendix(*d, "").status().code(),
              absl::StatusCode::kPermissionDenied)
        << d->name;
  }

  // Pull: over the whole catalogue and every report, nothing outside the
  // caller's scopes ever arrives.
  const std::map<std::string, std::vector<std::string>> kScopes = {
      {tpd.id, {"commune/xa-tan-phu-dong", "catalogue", "catalogue/tp-sa-dec"}},
      {lv.id, {"commune/xa-vinh-thoi", "catalogue", "catalogue/h-lai-vung"}},
      {sadec.id, {"district/tp-sa-dec", "catalogue"}},
      {admin.id, {"province"}},
      {auditor.id, {"province"}}};
  for (const Device& d : devices_) {
    client::SyncClient tablet(
        {.target = server_->address(), .device_id = d.id, .secret = d.secret});
    const std::vector<std::string>& mine = kScopes.at(d.id);
    std::string cursor;
    int documents = 0;
    ASSERT_TRUE(tablet
                    .Pull(cursor,
                          [&](const v1::PullResponse& page) {
                            for (const v1::Document& doc : page.documents()) {
                              ++documents;
                              EXPECT_TRUE(std::any_of(
                                  doc.scopes().begin(), doc.scopes().end(),
                                  [&](const std::string& s) {
                                    return std::find(mine.begin(), mine.end(),
                                                     s) != mine.end();
                                  }))
                                  << d.name << " received " << doc.key();
                            }
                          })
                    .ok());
    EXPECT_GT(documents, 0) << d.name;
  }
}

// `outside` (an item outside the caller's area) is answered exactly as
// `unknown` (one that does not exist): the same code, and the same message
// once the missing id is replaced by the real one.
void ExpectAnsweredAsMissing(const absl::Status& outside,
                             const absl::Status& unknown,
                             const std::string& missing_id,
                             const std::string& id, const std::string& what) {
  EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound)
      << what << ": " << outside;
  ASSERT_EQ(unknown.code(), absl::StatusCode::kNotFound)
      << what << ": " << unknown;
  std::string same(unknown.message());
  ASSERT_NE(same.find(missing_id), std::string::npos) << same;
  same.replace(same.find(missing_id), missing_id.size(), id);
  EXPECT_EQ(outside.message(), same) << what;
  // The same error details: the reason a generic client reads (NOT_FOUND,
  // with the same metadata), and the same field named.
  std::optional<google::rpc::ErrorInfo> outside_info =
      AttachedErrorInfo(outside);
  std::optional<google::rpc::ErrorInfo> unknown_info =
      AttachedErrorInfo(unknown);
  ASSERT_TRUE(outside_info.has_value()) << what << ": no ErrorInfo";
  ASSERT_TRUE(unknown_info.has_value()) << what << ": no ErrorInfo";
  EXPECT_EQ(unknown_info->reason(), "NOT_FOUND") << what;
  EXPECT_EQ(outside_info->SerializeAsString(),
            unknown_info->SerializeAsString())
      << what << ": " << outside_info->ShortDebugString() << " vs "
      << unknown_info->ShortDebugString();
  std::vector<FieldViolation> outside_fields = FieldViolations(outside);
  std::vector<FieldViolation> unknown_fields = FieldViolations(unknown);
  ASSERT_EQ(outside_fields.size(), unknown_fields.size()) << what;
  for (size_t i = 0; i < outside_fields.size(); ++i) {
    EXPECT_EQ(outside_fields[i].field(), unknown_fields[i].field()) << what;
  }
}

// The admin RPCs that name one item (a model's history, a model to update,
// assign, archive or restore, a report to review, a proposal to decide) —
// and a report id naming a commune of another district — answer an item
// outside the caller's area as a missing one, whatever its state, and
// change nothing.
TEST_F(AccessMatrixTest, NamedItemsOutsideTheCallersAreaReadAsMissing) {
  Device& lv = devices_[1];
  Device& sadec = devices_[2];
  Device& admin = devices_[3];
  Device& auditor = devices_[4];
  // A commune of Lai Vung files a draft report and a proposal.
  ASSERT_NO_FATAL_FAILURE(FileDraftAndProposal(lv));

  // Sa Đéc's district officer.
  client::AdminClient district(server_->address(), sadec.secret);
  ExpectAnsweredAsMissing(district.ModelHistory("huyen-h-lai-vung-45").status(),
                          district.ModelHistory("huyen-khong-co-01").status(),
                          "huyen-khong-co-01", "huyen-h-lai-vung-45",
                          "ModelHistory");
  auto history_page = [&](const std::string& id) {
    v1::ModelHistoryRequest request;
    request.set_id(id);
    request.set_page_size(1);
    return district.ModelHistoryPage(request).status();
  };
  ExpectAnsweredAsMissing(
      history_page("huyen-h-lai-vung-45"), history_page("huyen-khong-co-01"),
      "huyen-khong-co-01", "huyen-h-lai-vung-45", "ModelHistory, one page");
  EXPECT_OK(district.ModelHistory("huyen-tp-sa-dec-05"));
  EXPECT_OK(district.ModelHistory("tinh-kt-01"));
  auto archive = [&](const std::string& id) {
    v1::ArchiveModelRequest request;
    request.set_id(id);
    return district.ArchiveModel(request).status();
  };
  ExpectAnsweredAsMissing(archive("huyen-h-lai-vung-45"),
                          archive("huyen-khong-co-01"), "huyen-khong-co-01",
                          "huyen-h-lai-vung-45", "ArchiveModel");
  auto restore = [&](const std::string& id) {
    v1::RestoreModelRequest request;
    request.set_id(id);
    return district.RestoreModel(request).status();
  };
  ExpectAnsweredAsMissing(restore("huyen-h-lai-vung-45"),
                          restore("huyen-khong-co-01"), "huyen-khong-co-01",
                          "huyen-h-lai-vung-45", "RestoreModel");
  auto update = [&](const std::string& id) {
    v1::UpdateModelRequest request;
    request.mutable_model()->set_id(id);
    request.mutable_model()->set_name("đổi tên");
    request.mutable_update_mask()->add_paths("name");
    return district.UpdateModel(request).status();
  };
  ExpectAnsweredAsMissing(update("huyen-h-lai-vung-45"),
                          update("huyen-khong-co-01"), "huyen-khong-co-01",
                          "huyen-h-lai-vung-45", "UpdateModel");
  auto assign = [&](const std::string& id) {
    v1::AssignModelAreasRequest request;
    request.set_model_id(id);
    return district.AssignModelAreas(request).status();
  };
  ExpectAnsweredAsMissing(assign("huyen-h-lai-vung-45"),
                          assign("huyen-khong-co-01"), "huyen-khong-co-01",
                          "huyen-h-lai-vung-45", "AssignModelAreas");
  auto review = [&](const std::string& id) {
    v1::ReviewReportRequest request;
    request.set_id(id);
    request.set_accept(true);
    return district.ReviewReport(request).status();
  };
  ExpectAnsweredAsMissing(review("lv-nhap"), review("khong-co"), "khong-co",
                          "lv-nhap", "ReviewReport");
  ExpectAnsweredAsMissing(review("xa-vinh-thoi.huyen-h-lai-vung-45.2025"),
                          review("khong-co"), "khong-co",
                          "xa-vinh-thoi.huyen-h-lai-vung-45.2025",
                          "ReviewReport by an id naming the area");
  auto forward = [&](const std::string& id) {
    v1::DecideProposalRequest request;
    request.set_id(id);
    request.set_decision(v1::PROPOSAL_DECISION_FORWARD);
    return district.DecideProposal(request).status();
  };
  ExpectAnsweredAsMissing(forward("luon-lv"), forward("khong-co"), "khong-co",
                          "luon-lv", "DecideProposal");

  // Creating a model under another district's id says nothing of whether
  // it is taken; under the officer's own, a taken id is theirs to know.
  auto create = [&](const std::string& id) {
    v1::CreateModelRequest request;
    request.mutable_model()->set_id(id);
    request.mutable_model()->set_name("Mô hình mới");
    request.mutable_model()->set_owner_area_id("tp-sa-dec");
    request.mutable_model()->set_level(v1::MODEL_LEVEL_DISTRICT);
    return district.CreateModel(request).status();
  };
  const absl::Status taken = create("huyen-h-lai-vung-45");
  const absl::Status free = create("huyen-h-lai-vung-99");
  EXPECT_EQ(taken.code(), absl::StatusCode::kInvalidArgument) << taken;
  EXPECT_EQ(free.code(), taken.code()) << free;
  std::string same(free.message());
  ASSERT_NE(same.find("huyen-h-lai-vung-99"), std::string::npos) << same;
  same.replace(same.find("huyen-h-lai-vung-99"), 19, "huyen-h-lai-vung-45");
  EXPECT_EQ(taken.message(), same);
  EXPECT_EQ(create("huyen-tp-sa-dec-05").code(),
            absl::StatusCode::kAlreadyExists);

  // The province reads them all, and nothing above changed them.
  for (const Device* d : {&admin, &auditor}) {
    client::AdminClient reader(server_->address(), d->secret);
    auto history = reader.ModelHistory("huyen-h-lai-vung-45");
    ASSERT_TRUE(history.ok()) << d->name << ": " << history.status();
    EXPECT_EQ(history->versions_size(), 1) << d->name;
  }
  client::AdminClient province(server_->address(), admin.secret);
  v1::DecideProposalRequest forward_it;
  forward_it.set_id("luon-lv");
  forward_it.set_decision(v1::PROPOSAL_DECISION_FORWARD);
  auto forwarded = province.DecideProposal(forward_it);
  ASSERT_OK(forwarded);
  EXPECT_EQ(forwarded->proposal().status(), v1::PROPOSAL_STATUS_FORWARDED);
}

// A commune officer probing a neighbour's report ids (the CLI's ids name
// the commune: "<area>.<model>.<period>") learns nothing: an edit or delete
// of an existing report and of a missing one, on any base version, get the
// same refusal with no version; and it cannot take an id naming the
// neighbour for a report of its own, which would block the neighbour's.
TEST_F(AccessMatrixTest, ACommuneProbingANeighboursReportIdsLearnsNothing) {
  Device& tpd = devices_[0];
  Device neighbour{"commune Tân Quy Tây", v1::ROLE_COMMUNE_OFFICER,
                   "xa-tan-quy-tay"};
  {
    client::AdminClient root(server_->address(), admin_secret_);
    v1::EnrollDeviceRequest request;
    request.set_name(neighbour.name);
    request.set_role(neighbour.role);
    request.set_area_id(neighbour.area);
    auto enrolled = root.Enroll(request);
    ASSERT_OK(enrolled);
    neighbour.id = enrolled->device().id();
    neighbour.secret = enrolled->secret();
  }
  const std::string prefix = "report/xa-tan-quy-tay.huyen-tp-sa-dec-05.";
  const std::string filed = prefix + "2025";
  client::SyncClient theirs({.target = server_->address(),
                             .device_id = neighbour.id,
                             .secret = neighbour.secret});
  auto created = theirs.Push({t::MutationBuilder(neighbour.id, 1, filed)
                                  .AreaId("xa-tan-quy-tay")
                                  .Period("2025")
                                  .Results("59 thành viên")});
  ASSERT_OK(created);
  ASSERT_EQ((*created)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED);
  const uint64_t version = (*created)[0].version();

  const std::string missing = prefix + "2024";
  const std::string squatted = prefix + "2026";
  client::SyncClient mine({.target = server_->address(),
                           .device_id = tpd.id,
                           .secret = tpd.secret});
  auto probes = mine.Push(
      {t::MutationBuilder(tpd.id, 1, filed).Results("x"),
       t::MutationBuilder(tpd.id, 2, filed).Base(version).Results("x"),
       t::MutationBuilder(tpd.id, 3, missing).Base(version).Results("x"),
       t::MutationBuilder(tpd.id, 4, filed).Base(version).Delete(),
       t::MutationBuilder(tpd.id, 5, missing).Delete(),
       t::MutationBuilder(tpd.id, 6, squatted)
           .AreaId("xa-tan-phu-dong")
           .Period("2026")
           .Results("chiếm chỗ")});
  ASSERT_OK(probes);
  ASSERT_EQ(probes->size(), 6u);
  const std::vector<std::string> keys = {filed, filed,   missing,
                                         filed, missing, squatted};
  for (size_t i = 0; i < keys.size(); ++i) {
    const v1::MutationResult& r = (*probes)[i];
    EXPECT_EQ(r.outcome(), v1::MUTATION_OUTCOME_REJECTED) << i;
    EXPECT_EQ(r.version(), 0u) << i << ": " << r.reason();
    std::string reason = r.reason();
    ASSERT_NE(reason.find(keys[i]), std::string::npos) << reason;
    reason.replace(reason.find(keys[i]), keys[i].size(), "<key>");
    EXPECT_EQ(reason, "<key> is outside your scope") << i;
    EXPECT_EQ(r.reason_code(), v1::MUTATION_REASON_OUTSIDE_SCOPE) << i;
    EXPECT_GT(r.sequence(), 0u) << i << ": a refusal for its value";
  }

  // The neighbour's report is as it was, and its next report's id is free.
  auto next = theirs.Push({t::MutationBuilder(neighbour.id, 2, filed)
                               .Base(version)
                               .Results("60 thành viên"),
                           t::MutationBuilder(neighbour.id, 3, squatted)
                               .AreaId("xa-tan-quy-tay")
                               .Period("2026")
                               .Results("báo cáo")});
  ASSERT_OK(next);
  EXPECT_EQ((*next)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << (*next)[0].reason();
  EXPECT_EQ((*next)[1].outcome(), v1::MUTATION_OUTCOME_APPLIED)
      << (*next)[1].reason();
}

TEST_F(AccessMatrixTest, NoSecretAndRevokedAreRefusedEverywhere) {
  Device& tpd = devices_[0];
  client::AdminClient admin(server_->address(), admin_secret_);
  ASSERT_OK(admin.Revoke(tpd.id));
  for (const std::string& secret : {std::string(), tpd.secret}) {
    SCOPED_TRACE(secret.empty() ? "no secret" : "revoked");
    client::CatalogueClient catalogue(server_->address(), secret);
    EXPECT_EQ(catalogue.ListModels(v1::ListModelsRequest()).status().code(),
              absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(catalogue.GetModel("tinh-kt-01").status().code(),
              absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(catalogue.ListAreas(v1::ListAreasRequest()).status().code(),
              absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(catalogue.ListSectors().status().code(),
              absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(AdminCall(secret), absl::StatusCode::kUnauthenticated);
    client::SyncClient tablet(
        {.target = server_->address(), .device_id = tpd.id, .secret = secret});
    std::string cursor;
    EXPECT_EQ(tablet.Pull(cursor, [](const v1::PullResponse&) {}).code(),
              absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(tablet
                  .Push({t::MutationBuilder(tpd.id, 1, "report/x")
                             .AreaId("xa-tan-phu-dong")
                             .Results("x")})
                  .status()
                  .code(),
              absl::StatusCode::kUnauthenticated);
    client::MonitoringClient monitoring(server_->address(), secret);
    v1::GetTotalsRequest totals;
    totals.set_area_id("xa-tan-phu-dong");
    totals.set_period("2021");
    EXPECT_EQ(monitoring.GetAllTotals(totals).status().code(),
              absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(monitoring.GetOverview(v1::GetOverviewRequest()).status().code(),
              absl::StatusCode::kUnauthenticated);
    v1::ExportAppendixRequest appendix;
    appendix.set_year(2021);
    EXPECT_EQ(monitoring.ExportAllAppendix(appendix).status().code(),
              absl::StatusCode::kUnauthenticated);
    // Health stays open.
    EXPECT_OK(catalogue.CheckHealth());
  }
}

}  // namespace
}  // namespace fieldsync
