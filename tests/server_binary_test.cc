// Starts the real fieldsync-server binary on a free loopback port and talks
// to it over gRPC: health, reflection, the read API, bad input, restarts.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "client-sdk/admin_client.h"
#include "client-sdk/catalogue_client.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "sync/field_error.h"
#include "tests/support/readme_counts.h"
#include "tests/support/server_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace fieldsync {
namespace {

namespace t = fieldsync::testing;
using ::testing::HasSubstr;

class ServerBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<t::ServerProcess>(dir_.Sub("data"));
    ASSERT_FALSE(server_->address().empty())
        << "server did not start:\n"
        << server_->process().out() << server_->process().err();
    client_ = std::make_unique<client::CatalogueClient>(server_->address(),
                                                        AdminSecret());
  }

  std::string AdminSecret() {
    auto secret = client::ReadSecretFile(dir_.Sub("data/admin-secret"));
    EXPECT_OK(secret);
    return secret.ok() ? *secret : "";
  }

  size_t Count(v1::ListModelsRequest request) {
    auto models = client_->ListAllModels(request);
    EXPECT_OK(models);
    return models.ok() ? models->size() : 0;
  }

  t::TempDir dir_;
  std::unique_ptr<t::ServerProcess> server_;
  std::unique_ptr<client::CatalogueClient> client_;
};

TEST_F(ServerBinaryTest, AnswersTheHealthCheck) {
  auto health = client_->CheckHealth();
  ASSERT_OK(health);
  EXPECT_EQ(*health, grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServerBinaryTest, ListsAsManyModelsPerLevelAndDistrictAsTheReadme) {
  v1::ListModelsRequest request;
  EXPECT_EQ(Count(request), static_cast<size_t>(t::kModelsTotal));
  request.set_level(v1::MODEL_LEVEL_PROVINCE);
  EXPECT_EQ(Count(request), static_cast<size_t>(t::kProvinceModels));
  request.set_level(v1::MODEL_LEVEL_DISTRICT);
  EXPECT_EQ(Count(request), static_cast<size_t>(t::kDistrictModels));
  for (const auto& [district, count] : t::DistrictCounts()) {
    request.set_area_id(district);
    EXPECT_EQ(Count(request), static_cast<size_t>(count)) << district;
  }
  auto areas = client_->ListAreas(v1::ListAreasRequest());
  ASSERT_OK(areas);
  EXPECT_EQ(areas->areas_size(), t::kAreasTotal);
}

TEST_F(ServerBinaryTest, SearchIgnoresDiacritics) {
  v1::ListModelsRequest request;
  request.set_search("tan phu dong");
  auto models = client_->ListAllModels(request);
  ASSERT_OK(models);
  std::vector<std::string> ids;
  for (const auto& m : *models) ids.push_back(m.id());
  for (const char* id : t::kTanPhuDongImplementers) {
    EXPECT_THAT(ids, ::testing::Contains(id));
  }
}

TEST_F(ServerBinaryTest, TheReadApiNeedsAnEnrolledCaller) {
  client::CatalogueClient anonymous(server_->address());
  EXPECT_EQ(anonymous.ListModels(v1::ListModelsRequest()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(anonymous.ListAreas(v1::ListAreasRequest()).status().code(),
            absl::StatusCode::kUnauthenticated);
  client::CatalogueClient forged(server_->address(), "fs1.dev-x.forged");
  EXPECT_EQ(forged.GetModel("tinh-kt-01").status().code(),
            absl::StatusCode::kUnauthenticated);
  // Health and reflection stay open.
  EXPECT_OK(anonymous.CheckHealth());
}

TEST_F(ServerBinaryTest, BadInputGetsPreciseStatusWithDetails) {
  v1::ListModelsRequest request;
  request.set_area_id("xa-khong-co");
  auto unknown_area = client_->ListModels(request);
  EXPECT_EQ(unknown_area.status().code(), absl::StatusCode::kInvalidArgument);
  auto violations = FieldViolations(unknown_area.status());
  ASSERT_EQ(violations.size(), 1u) << unknown_area.status();
  EXPECT_EQ(violations[0].field(), "area_id");
  EXPECT_THAT(violations[0].description(), HasSubstr("xa-khong-co"));

  request.Clear();
  request.set_sector_slug("hang-khong");
  EXPECT_THAT(FieldViolations(client_->ListModels(request).status()),
              ::testing::SizeIs(1));

  request.Clear();
  request.set_page_size(10000);
  auto big = client_->ListModels(request);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(big.status().message()), HasSubstr("10000"));

  request.Clear();
  request.set_page_token("garbage");
  auto token = client_->ListModels(request);
  ASSERT_EQ(FieldViolations(token.status()).size(), 1u);
  EXPECT_EQ(FieldViolations(token.status())[0].field(), "page_token");

  auto missing = client_->GetModel("tinh-kt-99");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("tinh-kt-99"));
}

TEST_F(ServerBinaryTest, ReflectionListsTheServices) {
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  auto stream = stub->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> names;
  for (const auto& s : response.list_services_response().service()) {
    names.push_back(s.name());
  }
  EXPECT_THAT(names, ::testing::IsSupersetOf({"fieldsync.v1.CatalogueService",
                                              "grpc.health.v1.Health"}));

  grpc::reflection::v1alpha::ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("fieldsync.v1.CatalogueService");
  ASSERT_TRUE(stream->Write(symbol));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_GT(response.file_descriptor_response().file_descriptor_proto_size(),
            0);
  // Tools must be able to describe the health service too (buf curl).
  symbol.set_file_containing_symbol("grpc.health.v1.Health");
  ASSERT_TRUE(stream->Write(symbol));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_FALSE(response.has_error_response())
      << response.error_response().error_message();
  EXPECT_GT(response.file_descriptor_response().file_descriptor_proto_size(),
            0);
  stream->WritesDone();
  EXPECT_OK(stream->Finish());
}

TEST_F(ServerBinaryTest, RestartLoadsNothingTwiceAndKeepsCounts) {
  EXPECT_THAT(server_->process().out(), HasSubstr("loaded the Đồng Tháp"));
  ASSERT_EQ(server_->Stop(), 0) << server_->process().err();
  EXPECT_THAT(server_->process().out(), HasSubstr("stopped"));

  t::ServerProcess again(dir_.Sub("data"));
  ASSERT_FALSE(again.address().empty()) << again.process().err();
  EXPECT_THAT(again.process().out(), HasSubstr("nothing loaded again"));
  client::CatalogueClient client(again.address(), AdminSecret());
  auto models = client.ListAllModels(v1::ListModelsRequest());
  ASSERT_OK(models);
  EXPECT_EQ(models->size(), static_cast<size_t>(t::kModelsTotal));
  // An idle connection must not hold up a graceful shutdown.
  const auto before = std::chrono::steady_clock::now();
  EXPECT_EQ(again.Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(3));
}

TEST_F(ServerBinaryTest, APortInUseIsRefusedNamingIt) {
  t::RunResult second =
      t::Run({FS_SERVER_BINARY, "--plaintext", "--listen", server_->address(),
              "--data-dir", dir_.Sub("other")});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("cannot listen on " + server_->address()));
  EXPECT_THAT(second.err, HasSubstr("in use"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("other")))
      << "a server that cannot listen must not create its data directory";
  // The first server is unaffected.
  EXPECT_OK(client_->CheckHealth());
}

TEST_F(ServerBinaryTest, TheSameDataDirectoryIsNotOpenedTwice) {
  t::RunResult second = t::Run({FS_SERVER_BINARY, "--plaintext", "--listen",
                                "127.0.0.1:0", "--data-dir", dir_.Sub("data")});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr(dir_.Sub("data")));
}

TEST(ServerStartupTest, AnUnwritableDataDirectoryIsRefusedNamingIt) {
  t::TempDir dir;
  std::ofstream(dir.Sub("a-file")) << "not a folder";
  t::RunResult result =
      t::Run({FS_SERVER_BINARY, "--plaintext", "--listen", "127.0.0.1:0",
              "--data-dir", dir.Sub("a-file/data")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("data directory \"" + dir.Sub("a-file/data")));
  EXPECT_THAT(result.err, HasSubstr("--data-dir"));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("listening")));
}

TEST(ServerStartupTest, AMalformedListenAddressIsRefusedNamingIt) {
  t::TempDir dir;
  t::RunResult result = t::Run({FS_SERVER_BINARY, "--listen", "127.0.0.1:port",
                                "--data-dir", dir.Sub("data")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("127.0.0.1:port"));
  // Nothing was created for a server that never started.
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("data")));
}

TEST(ServerStartupTest, ATooSmallBlockCacheIsRefusedNamingIt) {
  t::TempDir dir;
  t::RunResult result =
      t::Run({FS_SERVER_BINARY, "--plaintext", "--listen", "127.0.0.1:0",
              "--data-dir", dir.Sub("data"), "--block-cache-mb", "3"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("--block-cache-mb"));
  EXPECT_THAT(result.err, HasSubstr("3"));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("data")));
}

TEST(ServerStartupTest, HelpListsTheOptions) {
  t::RunResult result = t::Run({FS_SERVER_BINARY, "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("--listen"));
  EXPECT_THAT(result.out, HasSubstr("--data-dir"));
}

}  // namespace
}  // namespace fieldsync
