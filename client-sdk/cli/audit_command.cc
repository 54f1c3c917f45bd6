// `fieldsync admin audit`: the audit trail as a table (or JSON), filtered
// on the server, page after page.
#include <chrono>
#include <optional>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/messages.h"
#include "client-sdk/cli/table.h"

namespace fieldsync::cli {
namespace {

// Microseconds since the epoch of `text`, a UTC date or time; nullopt if it
// is neither.
std::optional<int64_t> ParseTime(const std::string& text) {
  absl::Time time;
  std::string error;
  for (const char* format : {"%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ"}) {
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &time, &error)) {
      return absl::ToUnixMicros(time);
    }
  }
  return std::nullopt;
}

std::string TimeText(int64_t micros) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixMicros(micros),
                          absl::UTCTimeZone());
}

}  // namespace

int RunAudit(const CliContext& ctx, const AuditOptions& options) {
  const Language lang = ctx.language;
  v1::ListAuditEventsRequest request;
  request.set_device_id(options.device);
  request.set_area_id(options.area);
  request.set_kind(options.action);
  for (const auto& [flag, text, set] :
       {std::tuple{"--since", &options.since,
                   &v1::ListAuditEventsRequest::set_since_micros},
        std::tuple{"--until", &options.until,
                   &v1::ListAuditEventsRequest::set_until_micros}}) {
    if (text->empty()) continue;
    std::optional<int64_t> micros = ParseTime(*text);
    if (!micros.has_value()) {
      return ReportUsageError(ctx, Format(Msg::kBadTime, lang, flag, *text));
    }
    (request.*set)(*micros);
  }
  client::AdminClient admin(ctx.server, SecretOf(ctx), std::chrono::seconds(10),
                            ctx.tls);
  v1::ListAuditEventsResponse all;
  do {
    absl::StatusOr<v1::ListAuditEventsResponse> page =
        admin.ListAuditEventsPage(request);
    if (!page.ok()) return ReportError(ctx, page.status());
    for (v1::AuditEvent& event : *page->mutable_events()) {
      *all.add_events() = std::move(event);
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (ctx.json) return PrintJson(ctx, all);
  Table table({std::string(Text(Msg::kColTimeUtc, lang)),
               std::string(Text(Msg::kColAction, lang)),
               std::string(Text(Msg::kColActor, lang)),
               std::string(Text(Msg::kColTarget, lang)),
               std::string(Text(Msg::kColDetail, lang))});
  for (const v1::AuditEvent& e : all.events()) {
    table.AddRow({TimeText(e.time_micros()), e.kind(), e.actor_device_id(),
                  e.target(), e.detail()});
  }
  *ctx.out << table.Render(TerminalWidth());
  *ctx.out << Format(Msg::kAuditCount, lang, all.events_size()) << "\n";
  return 0;
}

}  // namespace fieldsync::cli
