// The audit trail read back through the real server and CLI
// (AdminService.ListAuditEvents, `fieldsync admin audit`): filters, pages
// that visit every event once, the reading itself recorded, bad input
// refused naming the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/secret_file.h"
#include "tests/support/cli_env.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;
using json = nlohmann::json;

class AuditBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
    absl::StatusOr<std::string> secret =
        client::ReadSecretFile(dir_.Sub("data/admin-secret"));
    ASSERT_OK(secret);
    admin_ = std::make_unique<client::AdminClient>(server_->address(), *secret);
  }

  std::string Enroll(v1::Role role, const std::string& area) {
    v1::EnrollDeviceRequest request;
    request.set_name("Cán bộ " + area);
    request.set_role(role);
    request.set_area_id(area);
    absl::StatusOr<v1::EnrollDeviceResponse> enrolled = admin_->Enroll(request);
    EXPECT_OK(enrolled);
    return enrolled.ok() ? enrolled->device().id() : "";
  }

  // Every event of `request`, page after page.
  std::vector<v1::AuditEvent> All(v1::ListAuditEventsRequest request) {
    std::vector<v1::AuditEvent> all;
    do {
      absl::StatusOr<v1::ListAuditEventsResponse> page =
          admin_->ListAuditEventsPage(request);
      EXPECT_OK(page);
      if (!page.ok()) break;
      all.insert(all.end(), page->events().begin(), page->events().end());
      request.set_page_token(page->next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
  std::unique_ptr<client::AdminClient> admin_;
};

TEST_F(AuditBinaryTest, FiltersAndPagesVisitEveryEventOnce) {
  const int64_t before = absl::ToUnixMicros(absl::Now());
  const std::string tpd = Enroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  const std::string lv = Enroll(v1::ROLE_DISTRICT_OFFICER, "h-lai-vung");
  ASSERT_OK(admin_->Revoke(tpd).status());

  v1::ListAuditEventsRequest enrolments;
  enrolments.set_kind("enroll");
  enrolments.set_page_size(1);
  std::vector<v1::AuditEvent> enrolled = All(enrolments);
  // The first admin, then the two enrolled here, in time order.
  ASSERT_EQ(enrolled.size(), 3u);
  EXPECT_EQ(enrolled[1].target(), tpd);
  EXPECT_EQ(enrolled[2].target(), lv);
  for (size_t i = 1; i < enrolled.size(); ++i) {
    EXPECT_LE(enrolled[i - 1].time_micros(), enrolled[i].time_micros());
  }

  v1::ListAuditEventsRequest revoked;
  revoked.set_kind("revoke");
  revoked.set_since_micros(before);
  ASSERT_EQ(All(revoked).size(), 1u);
  EXPECT_EQ(All(revoked)[0].target(), tpd);
  revoked.set_until_micros(before);
  revoked.set_since_micros(0);
  EXPECT_TRUE(All(revoked).empty());

  // By area: what devices of Lai Vung district did, here nothing; the
  // first admin (of the province) did everything above.
  v1::ListAuditEventsRequest lai_vung;
  lai_vung.set_area_id("h-lai-vung");
  EXPECT_TRUE(All(lai_vung).empty());
  v1::ListAuditEventsRequest province;
  province.set_area_id("dong-thap");
  province.set_kind("enroll");
  EXPECT_EQ(All(province).size(), 2u);  // the first admin's own is "server"

  // Reading the trail is on it, with the filter used.
  std::vector<v1::AuditEvent> reads;
  for (int i = 0; i < 50 && reads.empty(); ++i) {
    v1::ListAuditEventsRequest listed;
    listed.set_kind("list_audit");
    reads = All(listed);
    if (reads.empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(reads.empty());
  EXPECT_THAT(reads[0].detail(), HasSubstr("enroll"));
}

TEST_F(AuditBinaryTest, BadInputIsRefusedNamingTheField) {
  v1::ListAuditEventsRequest request;
  request.set_since_micros(200);
  request.set_until_micros(100);
  absl::StatusOr<v1::ListAuditEventsResponse> r =
      admin_->ListAuditEventsPage(request);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("since_micros"));

  request = v1::ListAuditEventsRequest();
  request.set_page_size(5000);
  r = admin_->ListAuditEventsPage(request);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("page_size"));

  request = v1::ListAuditEventsRequest();
  request.set_page_token("not-a-token");
  r = admin_->ListAuditEventsPage(request);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("page_token"));

  request = v1::ListAuditEventsRequest();
  request.set_area_id("xa-khong-co");
  r = admin_->ListAuditEventsPage(request);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("area_id"));

  // The CLI names the option and the value it could not read.
  t::RunResult cli = t::Run({FS_CLI_BINARY, "--server", server_->address(),
                             "--secret-file", dir_.Sub("data/admin-secret"),
                             "admin", "audit", "--since", "2026-13-01"},
                            t::kEnglishEnv);
  EXPECT_EQ(cli.exit_code, 2);
  EXPECT_THAT(cli.err, HasSubstr("--since \"2026-13-01\""));
}

TEST_F(AuditBinaryTest, TheCliPrintsATableAndJson) {
  const std::string tpd = Enroll(v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  const std::vector<std::string> base = {FS_CLI_BINARY, "--server",
                                         server_->address(), "--secret-file",
                                         dir_.Sub("data/admin-secret")};
  std::vector<std::string> table = base;
  table.insert(table.end(), {"admin", "audit", "--action", "enroll"});
  t::RunResult vi = t::Run(table, t::kVietnameseEnv);
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_THAT(vi.out, HasSubstr("HÀNH ĐỘNG"));
  EXPECT_THAT(vi.out, HasSubstr("Cán bộ xa-tan-phu-dong"));
  EXPECT_THAT(vi.out, HasSubstr("2 sự kiện"));

  std::vector<std::string> as_json = base;
  as_json.insert(as_json.end(), {"--json", "admin", "audit", "--device", tpd});
  t::RunResult j = t::Run(as_json, t::kEnglishEnv);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json parsed = json::parse(j.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << j.out;
  // tpd did nothing yet: no event is its own.
  EXPECT_FALSE(parsed.contains("events") && !parsed["events"].empty());
}

}  // namespace
}  // namespace fieldsync
