// `fieldsync admin devices enroll|list|revoke`.
#include <optional>
#include <ostream>

#include "absl/strings/str_split.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/labels.h"
#include "client-sdk/cli/qr_code.h"
#include "client-sdk/cli/table.h"
#include "client-sdk/secret_file.h"
#include "sync/text_fold.h"

namespace fieldsync::cli {
namespace {

constexpr std::string_view kRoleChoices =
    "commune_officer, district_officer, province_admin, auditor";

std::optional<v1::Role> ParseRole(std::string_view text) {
  if (text == "commune_officer") return v1::ROLE_COMMUNE_OFFICER;
  if (text == "district_officer") return v1::ROLE_DISTRICT_OFFICER;
  if (text == "province_admin") return v1::ROLE_PROVINCE_ADMIN;
  if (text == "auditor") return v1::ROLE_AUDITOR;
  return std::nullopt;
}

// The admin client, or an exit code after printing why there is none.
std::optional<client::AdminClient> Connect(const CliContext& ctx, int& code) {
  if (ctx.secret_file.empty()) {
    code = ReportUsageError(
        ctx, std::string(Text(Msg::kErrNeedSecret, ctx.language)));
    return std::nullopt;
  }
  absl::StatusOr<std::string> secret = client::ReadSecretFile(ctx.secret_file);
  if (!secret.ok()) {
    code = ReportUsageError(ctx, std::string(secret.status().message()));
    return std::nullopt;
  }
  return client::AdminClient(ctx.server, *secret, std::chrono::seconds(10),
                             ctx.tls);
}

// The secret as text and as a QR code a tablet can scan, both in the
// secret file's format (client-sdk/secret_file.h): with the pin of the
// server's own certificate when the server gives one, or when this CLI
// reached it through a pin.
void PrintSecret(const CliContext& ctx, const std::string& secret,
                 const std::string& server_sha256) {
  const std::string pin =
      server_sha256.empty() ? ctx.tls.server_sha256 : server_sha256;
  const std::string text = client::SecretFileText(secret, pin);
  *ctx.out << Text(Msg::kSecretShownOnce, ctx.language) << "\n";
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    *ctx.out << "  " << line << "\n";
  }
  if (absl::StatusOr<std::string> qr = RenderQrCode(text); qr.ok()) {
    *ctx.out << Text(Msg::kSecretAsQr, ctx.language) << "\n" << *qr;
  }
}

}  // namespace

int RunDevicesEnroll(const CliContext& ctx, const EnrollOptions& options) {
  const Language lang = ctx.language;
  std::optional<v1::Role> role = ParseRole(options.role);
  if (!role) {
    return ReportUsageError(ctx, Format(Msg::kErrBadChoice, lang, "--role",
                                        options.role, kRoleChoices));
  }
  if (!IsValidUtf8(options.name)) {
    return ReportUsageError(ctx, Format(Msg::kErrNotUtf8, lang, "--name"));
  }
  int code = 0;
  std::optional<client::AdminClient> admin = Connect(ctx, code);
  if (!admin) return code;
  v1::EnrollDeviceRequest request;
  request.set_name(options.name);
  request.set_role(*role);
  request.set_area_id(options.area);
  absl::StatusOr<v1::EnrollDeviceResponse> enrolled = admin->Enroll(request);
  if (!enrolled.ok()) return ReportError(ctx, enrolled.status());
  if (ctx.json) return PrintJson(ctx, *enrolled);
  *ctx.out << Format(Msg::kDeviceEnrolled, lang, enrolled->device().id(),
                     RoleLabel(enrolled->device().role(), lang),
                     enrolled->device().area_id())
           << "\n";
  PrintSecret(ctx, enrolled->secret(), enrolled->server_certificate_sha256());
  return 0;
}

int RunDevicesList(const CliContext& ctx) {
  const Language lang = ctx.language;
  int code = 0;
  std::optional<client::AdminClient> admin = Connect(ctx, code);
  if (!admin) return code;
  absl::StatusOr<v1::ListDevicesResponse> devices = admin->ListDevices();
  if (!devices.ok()) return ReportError(ctx, devices.status());
  if (ctx.json) return PrintJson(ctx, *devices);
  Table table({std::string(Text(Msg::kColId, lang)),
               std::string(Text(Msg::kColRole, lang)),
               std::string(Text(Msg::kColArea, lang)),
               std::string(Text(Msg::kColState, lang)),
               std::string(Text(Msg::kColName, lang))});
  for (const v1::Device& d : devices->devices()) {
    table.AddRow(
        {d.id(), std::string(RoleLabel(d.role(), lang)), d.area_id(),
         std::string(Text(d.revoked_at_micros() == 0 ? Msg::kStateActive
                                                     : Msg::kStateRevoked,
                          lang)),
         d.name()});
  }
  *ctx.out << table.Render(TerminalWidth());
  *ctx.out << Format(Msg::kDevicesCount, lang, devices->devices_size()) << "\n";
  return 0;
}

int RunDevicesRotate(const CliContext& ctx, const std::string& id) {
  int code = 0;
  std::optional<client::AdminClient> admin = Connect(ctx, code);
  if (!admin) return code;
  absl::StatusOr<v1::RotateDeviceSecretResponse> rotated = admin->Rotate(id);
  if (!rotated.ok()) return ReportError(ctx, rotated.status());
  if (ctx.json) return PrintJson(ctx, *rotated);
  *ctx.out << Format(Msg::kSecretRotated, ctx.language, id) << "\n";
  PrintSecret(ctx, rotated->secret(), rotated->server_certificate_sha256());
  return 0;
}

int RunDevicesRevoke(const CliContext& ctx, const std::string& id) {
  int code = 0;
  std::optional<client::AdminClient> admin = Connect(ctx, code);
  if (!admin) return code;
  absl::StatusOr<v1::RevokeDeviceResponse> revoked = admin->Revoke(id);
  if (!revoked.ok()) return ReportError(ctx, revoked.status());
  if (ctx.json) return PrintJson(ctx, *revoked);
  *ctx.out << Format(Msg::kDeviceRevoked, ctx.language, id) << "\n";
  return 0;
}

}  // namespace fieldsync::cli
