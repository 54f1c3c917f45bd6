// The admin lists that grow come in pages (AIP-158), through the real server:
// ListDevices and ModelHistory page by page add up to the whole list, in
// order, with nothing twice; a bad page size or token is refused naming the
// field, and a model outside the caller's area answers, paged or not,
// exactly as a missing one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client-sdk/admin_client.h"
#include "fieldsync/v1/page_token.pb.h"
#include "sync/deterministic.h"
#include "sync/field_error.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

constexpr char kModel[] = "huyen-tp-sa-dec-05";

class AdminPagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty()) << server_->process().err();
    root_ = std::make_unique<client::AdminClient>(
        server_->address(),
        *client::ReadSecretFile(dir_.Sub("data/admin-secret")));
  }

  // Enrols a device; its secret.
  std::string Enroll(const std::string& name, v1::Role role,
                     const std::string& area) {
    v1::EnrollDeviceRequest request;
    request.set_name(name);
    request.set_role(role);
    request.set_area_id(area);
    auto enrolled = root_->Enroll(request);
    EXPECT_OK(enrolled);
    return enrolled.ok() ? enrolled->secret() : "";
  }

  // Renames `kModel` `times` times as the province.
  void Rename(int times) {
    for (int i = 1; i <= times; ++i) {
      v1::UpdateModelRequest update;
      update.mutable_model()->set_id(kModel);
      update.mutable_model()->set_name(absl::StrCat("Tên thứ ", i));
      update.mutable_update_mask()->add_paths("name");
      ASSERT_OK(root_->UpdateModel(update));
    }
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
  std::unique_ptr<client::AdminClient> root_;
};

void ExpectBadField(const absl::Status& status, const std::string& field,
                    const std::string& text) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(text));
  std::vector<FieldViolation> violations = FieldViolations(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].field(), field);
}

TEST_F(AdminPagingTest, DevicesComeInPagesInIdOrder) {
  for (int i = 0; i < 7; ++i) {
    Enroll(absl::StrCat("Máy tính bảng ", i), v1::ROLE_COMMUNE_OFFICER,
           "xa-tan-phu-dong");
  }
  auto all = root_->ListDevices();
  ASSERT_OK(all);
  // The seven and the province's own device.
  ASSERT_EQ(all->devices_size(), 8);
  std::vector<std::string> expected;
  for (const v1::Device& d : all->devices()) {
    expected.push_back(d.id());
    EXPECT_EQ(d.secret_hash(), "");
  }
  EXPECT_TRUE(std::is_sorted(expected.begin(), expected.end()));

  std::vector<std::string> seen;
  v1::ListDevicesRequest request;
  request.set_page_size(3);
  int pages = 0;
  do {
    auto page = root_->ListDevicesPage(request);
    ASSERT_OK(page);
    EXPECT_LE(page->devices_size(), 3);
    for (const v1::Device& d : page->devices()) {
      seen.push_back(d.id());
      EXPECT_EQ(d.secret_hash(), "");
    }
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, expected);

  // Without a page size, the default page holds them all.
  auto one = root_->ListDevicesPage(v1::ListDevicesRequest());
  ASSERT_OK(one);
  EXPECT_EQ(one->devices_size(), 8);
  EXPECT_EQ(one->next_page_token(), "");

  // A page size out of range and a token that is not one are refused.
  for (int size : {-1, 501}) {
    v1::ListDevicesRequest bad;
    bad.set_page_size(size);
    ExpectBadField(root_->ListDevicesPage(bad).status(), "page_size",
                   absl::StrCat(size, " is outside the allowed range 0..500"));
  }
  v1::ListDevicesRequest forged;
  forged.set_page_token("not-a-token");
  ExpectBadField(root_->ListDevicesPage(forged).status(), "page_token",
                 "\"not-a-token\" is not a page token this server issued");
}

TEST_F(AdminPagingTest, AModelsHistoryComesInPagesOldestFirst) {
  Enroll("Máy tính bảng", v1::ROLE_COMMUNE_OFFICER, "xa-tan-phu-dong");
  Rename(6);
  auto all = root_->ModelHistory(kModel);
  ASSERT_OK(all);
  // The loaded catalogue's version and six renames.
  ASSERT_EQ(all->versions_size(), 7);

  v1::ModelHistoryRequest request;
  request.set_id(kModel);
  request.set_page_size(3);
  std::vector<v1::ModelVersion> seen;
  int pages = 0;
  do {
    auto page = root_->ModelHistoryPage(request);
    ASSERT_OK(page);
    EXPECT_LE(page->versions_size(), 3);
    for (const v1::ModelVersion& v : page->versions()) seen.push_back(v);
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 7u);
  for (size_t i = 0; i < seen.size(); ++i) {
    // The same versions as in one piece, with the same changes: a page's
    // first version says what it changed from the previous page's last.
    EXPECT_EQ(seen[i].SerializeAsString(),
              all->versions(static_cast<int>(i)).SerializeAsString())
        << i;
    if (i > 0) {
      EXPECT_GT(seen[i].version(), seen[i - 1].version());
    }
  }
  // The fourth version opens the second page: a rename from the third's
  // name, and the loaded version set every field.
  ASSERT_EQ(seen[3].changes_size(), 1);
  EXPECT_EQ(seen[3].changes(0).path(), "name");
  EXPECT_THAT(seen[3].changes(0).before(), HasSubstr("Tên thứ 2"));
  EXPECT_THAT(seen[3].changes(0).after(), HasSubstr("Tên thứ 3"));
  EXPECT_GT(seen[0].changes_size(), 5);

  // The default page holds them all.
  v1::ModelHistoryRequest whole;
  whole.set_id(kModel);
  auto one = root_->ModelHistoryPage(whole);
  ASSERT_OK(one);
  EXPECT_EQ(one->versions_size(), 7);
  EXPECT_EQ(one->next_page_token(), "");

  // Refused: a page size out of range, a token that is not one, and a
  // token of another model's history or of another list.
  for (int size : {-1, 101}) {
    v1::ModelHistoryRequest bad = whole;
    bad.set_page_size(size);
    ExpectBadField(root_->ModelHistoryPage(bad).status(), "page_size",
                   absl::StrCat(size, " is outside the allowed range 0..100"));
  }
  v1::ModelHistoryRequest first = whole;
  first.set_page_size(2);
  auto page = root_->ModelHistoryPage(first);
  ASSERT_OK(page);
  ASSERT_FALSE(page->next_page_token().empty());
  v1::ModelHistoryRequest other_model = first;
  other_model.set_id("tinh-kt-01");
  other_model.set_page_token(page->next_page_token());
  ExpectBadField(root_->ModelHistoryPage(other_model).status(), "page_token",
                 "was issued for other filters");
  v1::ListDevicesRequest devices;
  devices.set_page_size(1);
  auto device_page = root_->ListDevicesPage(devices);
  ASSERT_OK(device_page);
  ASSERT_FALSE(device_page->next_page_token().empty());
  v1::ModelHistoryRequest device_token = first;
  device_token.set_page_token(device_page->next_page_token());
  ExpectBadField(root_->ModelHistoryPage(device_token).status(), "page_token",
                 "was issued for other filters");
  v1::ModelHistoryRequest forged = whole;
  forged.set_page_token("AAAA");
  ExpectBadField(root_->ModelHistoryPage(forged).status(), "page_token",
                 "is not a page token this server issued");
}

// A page token as the server makes one (server/page_token.h: base64url of a
// PageToken, the fingerprint FNV-1a over the request's deterministic bytes
// without its paging fields), for a request nobody could get one for.
std::string TokenFor(const std::string& id, uint64_t after) {
  v1::ModelHistoryRequest filters;
  filters.set_id(id);
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : DeterministicBytes(filters)) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  v1::PageToken token;
  token.set_after_id(absl::StrCat(after));
  token.set_filter_fingerprint(hash);
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

// A district officer paging the history of another district's model, with
// or without a token, hears exactly what it hears for a missing model.
TEST_F(AdminPagingTest, AnotherAreasHistoryReadsAsMissingOnEveryPage) {
  Rename(3);
  client::AdminClient district(
      server_->address(),
      Enroll("Phòng Kinh tế Sa Đéc", v1::ROLE_DISTRICT_OFFICER, "tp-sa-dec"));
  auto ask = [&](const std::string& id, bool token) {
    v1::ModelHistoryRequest request;
    request.set_id(id);
    request.set_page_size(1);
    if (token) request.set_page_token(TokenFor(id, 1));
    return district.ModelHistoryPage(request).status();
  };
  const std::string lai_vung = "huyen-h-lai-vung-45";
  const std::string missing = "huyen-khong-co-01";
  for (bool token : {false, true}) {
    SCOPED_TRACE(token ? "with a token" : "first page");
    absl::Status outside = ask(lai_vung, token);
    absl::Status unknown = ask(missing, token);
    EXPECT_EQ(outside.code(), absl::StatusCode::kNotFound) << outside;
    ASSERT_EQ(unknown.code(), absl::StatusCode::kNotFound) << unknown;
    std::string same(unknown.message());
    ASSERT_NE(same.find(missing), std::string::npos) << same;
    same.replace(same.find(missing), missing.size(), lai_vung);
    EXPECT_EQ(outside.message(), same);
  }
  // The token made here is the server's kind: the province pages on with it.
  v1::ModelHistoryRequest forged;
  forged.set_id(lai_vung);
  forged.set_page_token(TokenFor(lai_vung, 0x7fffffff));
  auto past_the_end = root_->ModelHistoryPage(forged);
  ASSERT_OK(past_the_end);
  EXPECT_EQ(past_the_end->versions_size(), 0);
  // Its own district's model pages as the province's does.
  v1::ModelHistoryRequest own;
  own.set_id(kModel);
  own.set_page_size(2);
  auto page = district.ModelHistoryPage(own);
  ASSERT_OK(page);
  EXPECT_EQ(page->versions_size(), 2);
  EXPECT_FALSE(page->next_page_token().empty());
}

}  // namespace
}  // namespace fieldsync
