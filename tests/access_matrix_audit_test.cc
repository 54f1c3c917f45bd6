// Lookups answered NOT_FOUND because the item lies outside the caller's
// area, through the real server: answered byte for byte as a lookup of a
// missing item, and recorded in the audit trail, which a missing item is
// not. The fixture is the access matrix's (access_matrix_fixture.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/sync_client.h"
#include "fieldsync/v1/admin_service.grpc.pb.h"
#include "fieldsync/v1/catalogue_service.grpc.pb.h"
#include "fieldsync/v1/monitoring_service.grpc.pb.h"
#include "tests/access_matrix_fixture.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using t::AccessMatrixTest;
using t::Device;

// A call's answer as it is on the wire: code, message and the serialized
// google.rpc.Status that carries its details.
struct WireAnswer {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  std::string details;
};

// Calls `rpc` on `stub` with `secret` and returns the answer as sent.
template <typename Stub, typename Request, typename Response>
WireAnswer AskOnTheWire(Stub& stub,
                        grpc::Status (Stub::*rpc)(grpc::ClientContext*,
                                                  const Request&, Response*),
                        const std::string& secret, const Request& request) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + secret);
  Response response;
  const grpc::Status status = (stub.*rpc)(&context, request, &response);
  return {status.error_code(), status.error_message(), status.error_details()};
}

// `outside` (a lookup of `id`, outside the caller's area) is byte for byte
// `missing` (a lookup of `missing_id`, which does not exist) once every
// `missing_needle` in it is `outside_needle`: the needles are the same
// length, so the details' length prefixes are unchanged.
void ExpectSameAnswerOnTheWire(const WireAnswer& outside,
                               const WireAnswer& missing,
                               const std::string& missing_needle,
                               const std::string& outside_needle,
                               const std::string& what) {
  ASSERT_EQ(missing_needle.size(), outside_needle.size()) << what;
  auto as_outside = [&](std::string text) {
    for (size_t at = text.find(missing_needle); at != std::string::npos;
         at = text.find(missing_needle, at + outside_needle.size())) {
      text.replace(at, missing_needle.size(), outside_needle);
    }
    return text;
  };
  EXPECT_EQ(missing.code, grpc::StatusCode::NOT_FOUND)
      << what << ": " << missing.message;
  EXPECT_EQ(outside.code, missing.code) << what << ": " << outside.message;
  EXPECT_NE(missing.message.find(missing_needle), std::string::npos)
      << what << ": " << missing.message;
  EXPECT_EQ(outside.message, as_outside(missing.message)) << what;
  EXPECT_FALSE(missing.details.empty()) << what << ": no details";
  EXPECT_EQ(outside.details, as_outside(missing.details))
      << what << ": the details differ";
}

// Every lookup answered NOT_FOUND because its item lies outside the caller's
// area (a model, a model's history, a report to review, a proposal to
// decide, a review item to resolve, an area to assign) answers exactly as a
// lookup of a missing item, on the wire, and leaves an "out_of_scope" record
// in the audit trail naming the caller, the item and the RPC; the lookup of
// a missing item leaves none. Figures outside the caller's area are audited
// as every figures read is.
TEST_F(AccessMatrixTest, OutOfScopeLookupsAreAuditedAndAnsweredAsMissing) {
  Device& tpd = devices_[0];
  Device& lv = devices_[1];
  Device& sadec = devices_[2];
  Device& admin = devices_[3];
  // Lai Vung's commune files a report and a proposal; the province edits
  // the report's results, and the commune's later edit of the same field
  // from the same base waits in Lai Vung's review queue.
  ASSERT_NO_FATAL_FAILURE(FileDraftAndProposal(lv));
  const uint64_t base = filed_version_;
  client::SyncClient province_tablet({.target = server_->address(),
                                      .device_id = admin.id,
                                      .secret = admin.secret});
  auto edited =
      province_tablet.Push({t::MutationBuilder(admin.id, 1, "report/lv-nhap")
                                .Base(base)
                                .Results("tỉnh sửa")});
  ASSERT_OK(edited);
  ASSERT_EQ((*edited)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED);
  client::SyncClient tablet(
      {.target = server_->address(), .device_id = lv.id, .secret = lv.secret});
  auto losing = tablet.Push({t::MutationBuilder(lv.id, 3, "report/lv-nhap")
                                 .Base(base)
                                 .Results("xã sửa")});
  ASSERT_OK(losing);
  ASSERT_EQ((*losing)[0].outcome(), v1::MUTATION_OUTCOME_CONFLICT)
      << (*losing)[0].reason();
  client::AdminClient province(server_->address(), admin_secret_);
  v1::ListConflictsRequest queue;
  queue.set_key("report/lv-nhap");
  auto conflicts = province.ListConflicts(queue);
  ASSERT_OK(conflicts);
  ASSERT_EQ(conflicts->conflicts_size(), 1);
  const uint64_t item = conflicts->conflicts(0).id();
  const uint64_t no_item = item + 1;  // the newest item is `item`
  ASSERT_EQ(absl::StrCat(no_item).size(), absl::StrCat(item).size());

  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  auto admin_stub = v1::AdminService::NewStub(channel);
  auto catalogue_stub = v1::CatalogueService::NewStub(channel);
  auto monitoring_stub = v1::MonitoringService::NewStub(channel);
  using AdminStub = v1::AdminService::Stub;

  // Each probe: who asks, what, the item outside its area and a missing one
  // with an id of the same length; `target` is what the audit record names.
  struct Probe {
    std::string what;
    const Device* device;
    std::function<WireAnswer(const std::string&)> ask;
    std::string outside_id, missing_id;
    std::string target;
  };
  const std::string kOutsideModel = "huyen-h-lai-vung-45";
  const std::string kMissingModel = "huyen-h-lai-vung-99";
  std::vector<Probe> probes;
  probes.push_back({"GetModel", &tpd,
                    [&](const std::string& id) {
                      v1::GetModelRequest r;
                      r.set_id(id);
                      return AskOnTheWire(*catalogue_stub,
                                          &v1::CatalogueService::Stub::GetModel,
                                          tpd.secret, r);
                    },
                    kOutsideModel, kMissingModel, "model/" + kOutsideModel});
  probes.push_back({"ModelHistory", &sadec,
                    [&](const std::string& id) {
                      v1::ModelHistoryRequest r;
                      r.set_id(id);
                      return AskOnTheWire(*admin_stub, &AdminStub::ModelHistory,
                                          sadec.secret, r);
                    },
                    kOutsideModel, kMissingModel, "model/" + kOutsideModel});
  probes.push_back({"UpdateModel", &sadec,
                    [&](const std::string& id) {
                      v1::UpdateModelRequest r;
                      r.mutable_model()->set_id(id);
                      r.mutable_model()->set_name("đổi tên");
                      r.mutable_update_mask()->add_paths("name");
                      return AskOnTheWire(*admin_stub, &AdminStub::UpdateModel,
                                          sadec.secret, r);
                    },
                    kOutsideModel, kMissingModel, "model/" + kOutsideModel});
  probes.push_back({"ArchiveModel", &sadec,
                    [&](const std::string& id) {
                      v1::ArchiveModelRequest r;
                      r.set_id(id);
                      return AskOnTheWire(*admin_stub, &AdminStub::ArchiveModel,
                                          sadec.secret, r);
                    },
                    kOutsideModel, kMissingModel, "model/" + kOutsideModel});
  probes.push_back({"RestoreModel", &sadec,
                    [&](const std::string& id) {
                      v1::RestoreModelRequest r;
                      r.set_id(id);
                      return AskOnTheWire(*admin_stub, &AdminStub::RestoreModel,
                                          sadec.secret, r);
                    },
                    kOutsideModel, kMissingModel, "model/" + kOutsideModel});
  auto assign = [&](const std::string& model, const std::string& area) {
    v1::AssignModelAreasRequest r;
    r.set_model_id(model);
    if (!area.empty()) r.add_area_ids(area);
    return AskOnTheWire(*admin_stub, &AdminStub::AssignModelAreas, sadec.secret,
                        r);
  };
  probes.push_back({"AssignModelAreas", &sadec,
                    [&](const std::string& id) { return assign(id, ""); },
                    kOutsideModel, kMissingModel, "model/" + kOutsideModel});
  probes.push_back({"AssignModelAreas", &sadec,
                    [&](const std::string& area) {
                      return assign("huyen-tp-sa-dec-05", area);
                    },
                    "xa-vinh-thoi", "xa-vinh-thox", "xa-vinh-thoi"});
  auto review = [&](const std::string& id) {
    v1::ReviewReportRequest r;
    r.set_id(id);
    r.set_accept(true);
    return AskOnTheWire(*admin_stub, &AdminStub::ReviewReport, sadec.secret, r);
  };
  probes.push_back(
      {"ReviewReport", &sadec, review, "lv-nhap", "lv-none", "report/lv-nhap"});
  probes.push_back({"ReviewReport", &sadec, review,
                    "xa-vinh-thoi.huyen-h-lai-vung-45.2025",
                    "xx-vinh-thoi.huyen-h-lai-vung-45.2025",
                    "report/xa-vinh-thoi.huyen-h-lai-vung-45.2025"});
  probes.push_back({"DecideProposal", &sadec,
                    [&](const std::string& id) {
                      v1::DecideProposalRequest r;
                      r.set_id(id);
                      r.set_decision(v1::PROPOSAL_DECISION_FORWARD);
                      return AskOnTheWire(*admin_stub,
                                          &AdminStub::DecideProposal,
                                          sadec.secret, r);
                    },
                    "luon-lv", "luon-xx", "proposal/luon-lv"});
  probes.push_back(
      {"ResolveConflict", &sadec,
       [&](const std::string& needle) {
         v1::ResolveConflictRequest r;
         r.set_id(needle == absl::StrCat("review item ", item) ? item
                                                               : no_item);
         r.set_resolution(v1::RESOLUTION_KEEP_CURRENT);
         return AskOnTheWire(*admin_stub, &AdminStub::ResolveConflict,
                             sadec.secret, r);
       },
       absl::StrCat("review item ", item),
       absl::StrCat("review item ", no_item), "report/lv-nhap"});
  for (const Probe& probe : probes) {
    ExpectSameAnswerOnTheWire(probe.ask(probe.outside_id),
                              probe.ask(probe.missing_id), probe.missing_id,
                              probe.outside_id, probe.what);
  }
  // Figures of an area outside the caller's: answered as an unknown area
  // (the first test) and audited as every figures read is.
  auto totals = [&](const std::string& area) {
    v1::GetTotalsRequest r;
    r.set_area_id(area);
    r.set_period("2021");
    return AskOnTheWire(*monitoring_stub,
                        &v1::MonitoringService::Stub::GetTotals, tpd.secret, r);
  };
  ExpectSameAnswerOnTheWire(totals("xa-vinh-thoi"), totals("xa-vinh-thox"),
                            "xa-vinh-thox", "xa-vinh-thoi", "GetTotals");

  // Nothing the probes named changed.
  auto history = province.ModelHistory(kOutsideModel);
  ASSERT_OK(history);
  EXPECT_EQ(history->versions_size(), 1);
  auto still_open = province.ListConflicts(queue);
  ASSERT_OK(still_open);
  ASSERT_EQ(still_open->conflicts_size(), 1);
  EXPECT_FALSE(still_open->conflicts(0).resolved());

  const std::vector<v1::AuditEvent> events = StopAndReadAudit();
  auto recorded = [&](const std::string& kind, const Device& actor,
                      const std::string& target, const std::string& detail) {
    return std::count_if(events.begin(), events.end(), [&](const auto& e) {
      return e.kind() == kind && e.actor_device_id() == actor.id &&
             e.target() == target &&
             e.detail().find(detail) != std::string::npos &&
             e.peer().find("127.0.0.1") != std::string::npos;
    });
  };
  for (const Probe& probe : probes) {
    EXPECT_EQ(recorded("out_of_scope", *probe.device, probe.target,
                       probe.what + ": "),
              1)
        << probe.what << " of " << probe.outside_id << " is not audited once";
  }
  EXPECT_EQ(recorded("totals", tpd, "xa-vinh-thoi", "period 2021"), 1);
  // A missing item is not out of scope: no record names one.
  for (const v1::AuditEvent& e : events) {
    if (e.kind() != "out_of_scope") continue;
    for (const Probe& probe : probes) {
      EXPECT_EQ(e.target().find(probe.missing_id), std::string::npos)
          << e.ShortDebugString();
      EXPECT_EQ(e.detail().find(probe.missing_id), std::string::npos)
          << e.ShortDebugString();
    }
    EXPECT_TRUE(e.actor_device_id() == tpd.id ||
                e.actor_device_id() == sadec.id)
        << e.ShortDebugString();
  }
}

// A backup, made or refused, leaves its audit event: who, which folder,
// and what it held or why it was refused; the role refusal its "refused".
TEST_F(AccessMatrixTest, BackupsAndTheirRefusalsAreAudited) {
  Device& sadec = devices_[2];
  Device& admin = devices_[3];
  client::AdminClient province(server_->address(), admin.secret);
  client::AdminClient district(server_->address(), sadec.secret);
  v1::BackupRequest made;
  made.set_target_dir(dir_.Sub("backup"));
  auto backup = province.Backup(made);
  ASSERT_OK(backup);
  v1::BackupRequest relative;
  relative.set_target_dir("backups/relative");
  EXPECT_EQ(province.Backup(relative).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::BackupRequest again = made;  // exists and is not empty now
  EXPECT_EQ(province.Backup(again).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::BackupRequest by_district;
  by_district.set_target_dir(dir_.Sub("district-backup"));
  EXPECT_EQ(district.Backup(by_district).status().code(),
            absl::StatusCode::kPermissionDenied);

  const std::vector<v1::AuditEvent> events = StopAndReadAudit();
  auto count = [&](const std::string& kind, const Device& actor,
                   const std::string& target, const std::string& detail) {
    return std::count_if(events.begin(), events.end(), [&](const auto& e) {
      return e.kind() == kind && e.actor_device_id() == actor.id &&
             e.target() == target &&
             e.detail().find(detail) != std::string::npos;
    });
  };
  EXPECT_EQ(count("backup", admin, made.target_dir(),
                  absl::StrCat(backup->documents(), " documents")),
            1);
  EXPECT_EQ(
      count("backup_refused", admin, "backups/relative", "is a relative path"),
      1);
  EXPECT_EQ(count("backup_refused", admin, made.target_dir(),
                  "exists and is not empty"),
            1);
  EXPECT_EQ(count("refused", sadec, "",
                  "backing up the database is for province admins"),
            1);
}

}  // namespace
}  // namespace fieldsync
