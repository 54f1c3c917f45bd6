// Device enrolment and authorization through the real server: who may read
// and write what, revocation (also of an open stream), and secrets that are
// never stored or printed.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "client-sdk/catalogue_client.h"
#include "client-sdk/sync_client.h"
#include "fieldsync/v1/admin_service.grpc.pb.h"
#include "sync/error_info.h"
#include "sync/rocksdb_store.h"
#include "tests/support/mutation_builder.h"
#include "tests/support/push_stream.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

struct Enrolled {
  std::string id;
  std::string secret;
};

class AuthBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
    std::ifstream file(dir_.Sub("data/admin-secret"));
    std::getline(file, admin_secret_);
    ASSERT_FALSE(admin_secret_.empty());
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    admin_ = v1::AdminService::NewStub(channel_);
  }

  grpc::Status Enroll(const std::string& secret, v1::Role role,
                      const std::string& area, Enrolled* out = nullptr) {
    grpc::ClientContext context;
    if (!secret.empty())
      context.AddMetadata("authorization", "Bearer " + secret);
    v1::EnrollDeviceRequest request;
    request.set_name("Máy tính bảng " + area);
    request.set_role(role);
    request.set_area_id(area);
    v1::EnrollDeviceResponse response;
    grpc::Status s = admin_->EnrollDevice(&context, request, &response);
    if (s.ok() && out != nullptr) {
      *out = {response.device().id(), response.secret()};
      secrets_.push_back(response.secret());
    }
    return s;
  }

  Enrolled MustEnroll(v1::Role role, const std::string& area) {
    Enrolled e;
    grpc::Status s = Enroll(admin_secret_, role, area, &e);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return e;
  }

  client::SyncClient Tablet(const Enrolled& e) {
    return client::SyncClient(
        {.target = server_->address(), .device_id = e.id, .secret = e.secret});
  }

  std::set<std::string> PullKeys(client::SyncClient& tablet) {
    std::set<std::string> keys;
    std::string cursor;
    absl::Status s = tablet.Pull(cursor, [&](const v1::PullResponse& page) {
      for (const auto& d : page.documents()) keys.insert(d.key());
    });
    EXPECT_OK(s);
    return keys;
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
  std::string admin_secret_;
  std::vector<std::string> secrets_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(AuthBinaryTest, TheFirstAdminSecretIsInAnOwnerOnlyFile) {
  struct stat st;
  ASSERT_EQ(stat(dir_.Sub("data/admin-secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_THAT(server_->process().out(), HasSubstr("admin-secret"));
  EXPECT_THAT(server_->process().out(),
              ::testing::Not(HasSubstr(admin_secret_)));
}

TEST_F(AuthBinaryTest, EnrolmentIsForProvinceAdminsWithValidRolesAndAreas) {
  EXPECT_EQ(
      Enroll("", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong").error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Enroll("fs1.dev-x.bad", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong")
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status wrong_level =
      Enroll(admin_secret_, v1::ROLE_COMMUNE_OFFICER, "tp-sa-dec");
  EXPECT_EQ(wrong_level.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(wrong_level.error_message(), HasSubstr("area_id"));
  grpc::Status unknown =
      Enroll(admin_secret_, v1::ROLE_DISTRICT_OFFICER, "h-khong-co");
  EXPECT_THAT(unknown.error_message(), HasSubstr("h-khong-co"));

  Enrolled commune = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  EXPECT_EQ(
      Enroll(commune.secret, v1::ROLE_PROVINCE_ADMIN, "dong-thap").error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthBinaryTest, EachRoleReadsAndWritesOnlyItsScope) {
  Enrolled tpd = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Enrolled lv = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-vinh-thoi");
  Enrolled sadec = MustEnroll(v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec");
  Enrolled auditor = MustEnroll(v1::ROLE_AUDITOR, "dong-thap");

  client::SyncClient tpd_tablet = Tablet(tpd);
  auto own = tpd_tablet.Push({t::MutationBuilder(tpd.id, 1, "report/tpd-1")
                                  .AreaId("xa-tan-phu-dong")
                                  .Results("59 hội viên")});
  ASSERT_OK(own);
  EXPECT_EQ((*own)[0].outcome(), v1::MUTATION_OUTCOME_APPLIED);
  auto foreign = tpd_tablet.Push({t::MutationBuilder(tpd.id, 2, "report/x")
                                      .AreaId("xa-vinh-thoi")
                                      .Results("không phải của tôi")});
  ASSERT_OK(foreign);
  EXPECT_EQ((*foreign)[0].outcome(), v1::MUTATION_OUTCOME_REJECTED);
  // Pushing as another device is refused outright.
  auto spoof = tpd_tablet.Push({t::MutationBuilder(lv.id, 1, "report/y")
                                    .AreaId("xa-vinh-thoi")
                                    .Results("x")});
  EXPECT_EQ(spoof.status().code(), absl::StatusCode::kInvalidArgument);

  client::SyncClient lv_tablet = Tablet(lv);
  ASSERT_TRUE(lv_tablet
                  .Push({t::MutationBuilder(lv.id, 1, "report/lv-1")
                             .AreaId("xa-vinh-thoi")
                             .Results("Lai Vung")})
                  .ok());

  auto audit =
      Tablet(auditor).Push({t::MutationBuilder(auditor.id, 1, "report/a")
                                .AreaId("xa-tan-phu-dong")
                                .Results("x")});
  ASSERT_OK(audit);
  EXPECT_EQ((*audit)[0].outcome(), v1::MUTATION_OUTCOME_REJECTED);

  std::set<std::string> tpd_sees = PullKeys(tpd_tablet);
  EXPECT_TRUE(tpd_sees.contains("report/tpd-1"));
  EXPECT_FALSE(tpd_sees.contains("report/lv-1"));
  EXPECT_TRUE(tpd_sees.contains("model/tinh-kt-01"));          // province
  EXPECT_TRUE(tpd_sees.contains("model/huyen-tp-sa-dec-05"));  // its district
  EXPECT_FALSE(tpd_sees.contains("model/huyen-h-lai-vung-45"));
  EXPECT_FALSE(tpd_sees.contains("device/" + tpd.id));

  client::SyncClient sadec_tablet = Tablet(sadec);
  std::set<std::string> district_sees = PullKeys(sadec_tablet);
  EXPECT_TRUE(district_sees.contains("report/tpd-1"));
  EXPECT_FALSE(district_sees.contains("report/lv-1"));

  client::SyncClient auditor_tablet = Tablet(auditor);
  std::set<std::string> all = PullKeys(auditor_tablet);
  EXPECT_TRUE(all.contains("report/tpd-1"));
  EXPECT_TRUE(all.contains("report/lv-1"));
}

TEST_F(AuthBinaryTest, TheCatalogueShowsEachRoleItsPart) {
  Enrolled tpd = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Enrolled lai_vung = MustEnroll(v1::ROLE_DISTRICT_OFFICER, "h-lai-vung");
  Enrolled auditor = MustEnroll(v1::ROLE_AUDITOR, "dong-thap");
  auto count = [&](const Enrolled& e) {
    client::CatalogueClient catalogue(server_->address(), e.secret);
    auto models = catalogue.ListAllModels(v1::ListModelsRequest());
    EXPECT_OK(models);
    return models.ok() ? models->size() : 0;
  };
  EXPECT_EQ(count(tpd), 40u + 31u);       // the province's and Sa Đéc's
  EXPECT_EQ(count(lai_vung), 40u + 16u);  // the province's and Lai Vung's
  EXPECT_EQ(count(auditor), 147u);
  client::CatalogueClient commune(server_->address(), tpd.secret);
  EXPECT_EQ(commune.GetModel("huyen-h-lai-vung-45").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_OK(commune.GetModel("huyen-tp-sa-dec-05"));
}

TEST_F(AuthBinaryTest, ARevokedDeviceIsRefusedEvenOnItsOpenStream) {
  Enrolled tpd = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  auto stub = v1::SyncService::NewStub(channel_);
  t::PushStream stream(*stub, tpd.secret);
  v1::PushResponse response;
  ASSERT_TRUE(stream.WriteReport(tpd.id, 1, "report/r1", "trước"));
  ASSERT_TRUE(stream.Read(&response));
  EXPECT_EQ(response.results(0).outcome(), v1::MUTATION_OUTCOME_APPLIED);

  grpc::ClientContext revoke_context;
  revoke_context.AddMetadata("authorization", "Bearer " + admin_secret_);
  v1::RevokeDeviceRequest revoke;
  revoke.set_device_id(tpd.id);
  v1::RevokeDeviceResponse revoked;
  ASSERT_OK(admin_->RevokeDevice(&revoke_context, revoke, &revoked));
  EXPECT_NE(revoked.device().revoked_at_micros(), 0);

  stream.WriteReport(tpd.id, 2, "report/r2", "sau");
  grpc::Status s = stream.Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("revoked"));

  auto again = Tablet(tpd).Push({t::MutationBuilder(tpd.id, 2, "report/r2")
                                     .AreaId("xa-tan-phu-dong")
                                     .Results("sau")});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ReasonOf(again.status()), reason::kDeviceRevoked);

  grpc::ClientContext twice_context;
  twice_context.AddMetadata("authorization", "Bearer " + admin_secret_);
  grpc::Status twice = admin_->RevokeDevice(&twice_context, revoke, &revoked);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AuthBinaryTest, GuessingOneDevicesSecretIsStoppedWithoutHurtingOthers) {
  Enrolled target = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Enrolled other = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-quy-tay");
  auto pull = [&](const std::string& id, const std::string& secret) {
    client::SyncClient tablet(
        {.target = server_->address(), .device_id = id, .secret = secret});
    std::string cursor;
    return tablet.Pull(cursor, [](const v1::PullResponse&) {});
  };
  for (int i = 0; i < 10; ++i) {
    absl::Status wrong =
        pull(target.id, "fs1." + target.id + ".guess" + std::to_string(i));
    EXPECT_EQ(wrong.code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(ReasonOf(wrong), reason::kSecretInvalid) << wrong;
  }
  // Now even the right secret waits, from this address: the details say
  // so, and for how long, as codes.
  absl::Status throttled = pull(target.id, target.secret);
  EXPECT_EQ(throttled.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(throttled.message()), HasSubstr("try again"));
  std::optional<google::rpc::ErrorInfo> info = AttachedErrorInfo(throttled);
  ASSERT_TRUE(info.has_value()) << throttled;
  EXPECT_EQ(info->reason(), reason::kAuthThrottled);
  int64_t wait = 0;
  EXPECT_TRUE(
      absl::SimpleAtoi(info->metadata().at("retry_after_seconds"), &wait));
  EXPECT_GT(wait, 0);
  // Another tablet behind the same address is not affected.
  EXPECT_OK(pull(other.id, other.secret));
}

TEST_F(AuthBinaryTest, EnrolmentsRevocationsAndRefusalsAreAudited) {
  Enrolled tablet = MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  grpc::ClientContext revoke_context;
  revoke_context.AddMetadata("authorization", "Bearer " + admin_secret_);
  v1::RevokeDeviceRequest revoke;
  revoke.set_device_id(tablet.id);
  v1::RevokeDeviceResponse revoked;
  ASSERT_OK(admin_->RevokeDevice(&revoke_context, revoke, &revoked));
  std::string cursor;
  EXPECT_FALSE(Tablet(tablet)
                   .Pull(cursor, [](const v1::PullResponse&) {})
                   .ok());  // refused: revoked
  ASSERT_EQ(server_->Stop(), 0);

  auto store = RocksDbStore::Open(dir_.Sub("data/db"));
  ASSERT_OK(store);
  std::vector<v1::AuditEvent> events;
  ASSERT_TRUE((*store)
                  ->ScanAudit([&](const v1::AuditEvent& e) {
                    events.push_back(e);
                    return true;
                  })
                  .ok());
  auto has = [&](const std::string& kind, const std::string& target) {
    return std::any_of(events.begin(), events.end(), [&](const auto& e) {
      return e.kind() == kind && (target.empty() || e.target() == target ||
                                  e.actor_device_id() == target);
    });
  };
  EXPECT_TRUE(has("enroll", ""));  // the first admin, by the server
  EXPECT_TRUE(has("enroll", tablet.id));
  EXPECT_TRUE(has("revoke", tablet.id));
  EXPECT_TRUE(has("refused", tablet.id));
  for (const v1::AuditEvent& e : events) {
    EXPECT_GT(e.time_micros(), 0);
    for (const std::string& secret : {admin_secret_, tablet.secret}) {
      EXPECT_EQ(e.DebugString().find(secret), std::string::npos);
    }
    if (e.kind() == "refused") {
      EXPECT_THAT(e.peer(), HasSubstr("127.0.0.1"));
    }
  }
}

TEST_F(AuthBinaryTest, SecretsAreNotInTheDataDirectoryOrTheLogs) {
  MustEnroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  MustEnroll(v1::ROLE_AUDITOR, "dong-thap");
  ASSERT_EQ(server_->Stop(), 0);
  std::vector<std::string> secrets = secrets_;
  for (const std::string& s : secrets_) {
    // The random part alone must not appear either.
    secrets.push_back(s.substr(s.rfind('.') + 1));
  }
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_.Sub("data/db"))) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    for (const std::string& secret : secrets) {
      EXPECT_EQ(bytes.str().find(secret), std::string::npos)
          << "a secret is readable in " << entry.path();
    }
  }
  for (const std::string& secret : secrets) {
    EXPECT_EQ(server_->process().out().find(secret), std::string::npos);
    EXPECT_EQ(server_->process().err().find(secret), std::string::npos);
  }
}

}  // namespace
}  // namespace fieldsync
