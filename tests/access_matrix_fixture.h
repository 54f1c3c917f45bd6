// The fixture of the access-matrix tests (access_matrix_test.cc,
// access_matrix_audit_test.cc): the real server on its own data folder, and
// five devices enrolled on it: two commune officers of different districts,
// a district officer, a province admin and an auditor.
#ifndef FIELDSYNC_TESTS_ACCESS_MATRIX_FIXTURE_H_
#define FIELDSYNC_TESTS_ACCESS_MATRIX_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "client-sdk/admin_client.h"
#include "client-sdk/sync_client.h"
#include "sync/rocksdb_store.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync::testing {

struct Device {
  std::string name;
  v1::Role role;
  std::string area;
  std::string id;
  std::string secret;
  uint64_t next_seq = 1;
};

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
    admin_secret_ = *client::ReadSecretFile(dir_.Sub("data/admin-secret"));
    devices_ = {
        {"commune Tân Phú Đông", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong"},
        {"commune Vĩnh Thới", v1::ROLE_COMMUNE_OFFICER, "xa-vinh-thoi"},
        {"district Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec"},
        {"province admin", v1::ROLE_PROVINCE_ADMIN, "dong-thap"},
        {"auditor", v1::ROLE_AUDITOR, "dong-thap"}};
    client::AdminClient admin(server_->address(), admin_secret_);
    for (Device& d : devices_) {
      v1::EnrollDeviceRequest request;
      request.set_name(d.name);
      request.set_role(d.role);
      request.set_area_id(d.area);
      auto enrolled = admin.Enroll(request);
      ASSERT_OK(enrolled);
      d.id = enrolled->device().id();
      d.secret = enrolled->secret();
    }
  }

  // Pushes a new report in `commune` as `d`; the outcome.
  v1::MutationOutcome PushReport(Device& d, const std::string& commune) {
    client::SyncClient tablet(
        {.target = server_->address(), .device_id = d.id, .secret = d.secret});
    const uint64_t seq = d.next_seq++;
    auto r = tablet.Push(
        {MutationBuilder(d.id, seq,
                         "report/" + d.id + "-" + std::to_string(seq + 1))
             .AreaId(commune)
             .Period("2025")
             .Results("báo cáo")});
    EXPECT_TRUE(r.ok()) << d.name << ": " << r.status();
    return r.ok() ? (*r)[0].outcome() : v1::MUTATION_OUTCOME_UNSPECIFIED;
  }

  // `d` (a commune of Lai Vung) files the draft report "report/lv-nhap" and
  // the proposal "proposal/luon-lv" as its first two mutations; the
  // report's version goes to `filed_version_`.
  void FileDraftAndProposal(Device& d) {
    v1::Proposal proposal;
    proposal.set_area_id("xa-vinh-thoi");
    proposal.set_status(v1::PROPOSAL_STATUS_PROPOSED);
    proposal.mutable_draft()->set_name("Mô hình nuôi lươn không bùn");
    client::SyncClient tablet(
        {.target = server_->address(), .device_id = d.id, .secret = d.secret});
    auto pushed = tablet.Push({MutationBuilder(d.id, 1, "report/lv-nhap")
                                   .AreaId("xa-vinh-thoi")
                                   .Period("2025")
                                   .Results("nháp"),
                               MutationBuilder(d.id, 2, "proposal/luon-lv")
                                   .Set("area_id", proposal)
                                   .Set("status", proposal)
                                   .Set("draft", proposal)});
    ASSERT_OK(pushed);
    for (const v1::MutationResult& r : *pushed) {
      ASSERT_EQ(r.outcome(), v1::MUTATION_OUTCOME_APPLIED) << r.reason();
    }
    filed_version_ = (*pushed)[0].version();
  }

  absl::StatusCode AdminCall(const std::string& secret) {
    client::AdminClient admin(server_->address(), secret);
    return admin.ListDevices().status().code();
  }

  // Stops the server and reads its audit trail as stored, oldest first.
  std::vector<v1::AuditEvent> StopAndReadAudit() {
    EXPECT_EQ(server_->Stop(), 0);
    std::vector<v1::AuditEvent> events;
    auto store = RocksDbStore::Open(dir_.Sub("data/db"));
    EXPECT_OK(store);
    if (!store.ok()) return events;
    EXPECT_OK((*store)->ScanAudit([&](const v1::AuditEvent& e) {
      events.push_back(e);
      return true;
    }));
    return events;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_secret_;
  std::vector<Device> devices_;
  uint64_t filed_version_ = 0;  // FileDraftAndProposal's report
};

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_ACCESS_MATRIX_FIXTURE_H_
