// What the commands share: JSON output and error reporting.
#include "client-sdk/cli/commands.h"

#include <google/protobuf/util/json_util.h>

#include <ostream>

#include "client-sdk/admin_client.h"
#include "client-sdk/cli/reason_text.h"
#include "client-sdk/cli/tablet_home.h"
#include "sync/error_info.h"
#include "sync/field_error.h"

namespace fieldsync::cli {

std::string SecretOf(const CliContext& ctx) {
  if (ctx.secret_file.empty() && ctx.logged_in) {
    return TabletHome(TabletHome::Resolve(ctx.data_dir))
        .LoadSecret()
        .value_or("");
  }
  if (ctx.secret_file.empty()) return "";
  absl::StatusOr<std::string> secret = client::ReadSecretFile(ctx.secret_file);
  return secret.ok() ? *secret : "";
}

int PrintJson(const CliContext& ctx, const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return ReportError(ctx, absl::InternalError(std::string(status.message())));
  }
  *ctx.out << json;
  return 0;
}

int PrintJsonArray(const CliContext& ctx,
                   const std::vector<const google::protobuf::Message*>& items) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  *ctx.out << "[";
  for (size_t i = 0; i < items.size(); ++i) {
    std::string json;
    auto status =
        google::protobuf::util::MessageToJsonString(*items[i], &json, options);
    if (!status.ok()) {
      return ReportError(ctx,
                         absl::InternalError(std::string(status.message())));
    }
    *ctx.out << (i == 0 ? "\n  " : ",\n  ") << json;
  }
  *ctx.out << (items.empty() ? "]\n" : "\n]\n");
  return 0;
}

int ReportError(const CliContext& ctx, const absl::Status& status) {
  const Language lang = ctx.language;
  *ctx.err << Text(Msg::kErrorPrefix, lang) << ": ";
  if (status.code() == absl::StatusCode::kUnavailable ||
      status.code() == absl::StatusCode::kDeadlineExceeded) {
    *ctx.err << Format(Msg::kErrUnreachable, lang, ctx.server,
                       std::string(status.message()))
             << "\n";
    return 1;
  }
  // The server's reason code, in the user's language; its English message
  // only as a detail, or alone from a server whose code this CLI does not
  // know.
  std::optional<google::rpc::ErrorInfo> info = AttachedErrorInfo(status);
  std::optional<std::string> reason =
      info.has_value() ? ReasonText(*info, lang) : std::nullopt;
  std::vector<FieldViolation> violations = FieldViolations(status);
  if (!reason.has_value()) {
    *ctx.err << (violations.empty()
                     ? Format(Msg::kErrServerRejected, lang,
                              std::string(status.message()))
                     : std::string(Text(Msg::kErrRequestRefused, lang)))
             << "\n";
  } else {
    *ctx.err << Format(Msg::kErrServerRejected, lang, *reason) << "\n";
    if (violations.empty() && !status.message().empty()) {
      *ctx.err << "  "
               << Format(Msg::kErrServerDetail, lang,
                         std::string(status.message()))
               << "\n";
    }
  }
  for (const FieldViolation& v : violations) {
    *ctx.err << "  "
             << Format(Msg::kErrFieldViolation, lang, v.field(),
                       v.description())
             << "\n";
  }
  if (status.code() == absl::StatusCode::kUnauthenticated &&
      ctx.secret_file.empty()) {
    *ctx.err << "  " << Text(Msg::kErrNeedSecret, lang) << "\n";
  }
  return 1;
}

int ReportUsageError(const CliContext& ctx, const std::string& message) {
  *ctx.err << Text(Msg::kErrorPrefix, ctx.language) << ": " << message << "\n";
  return 2;
}

}  // namespace fieldsync::cli
