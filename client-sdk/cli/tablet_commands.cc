// The collector's commands around the link: `login`, `sync`, `outbox`,
// `conflicts`, and the reviewers' `review list`.
#include <unistd.h>

#include <algorithm>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client-sdk/admin_client.h"
#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/labels.h"
#include "client-sdk/cli/progress_bar.h"
#include "client-sdk/cli/reason_text.h"
#include "client-sdk/cli/table.h"
#include "client-sdk/cli/tablet_session.h"
#include "client-sdk/value_text.h"
#include "sync/text_fold.h"

namespace fieldsync::cli {
namespace {

std::string_view NoticeKindText(v1::NoticeKind kind, Language lang) {
  switch (kind) {
    case v1::NOTICE_KIND_CONFLICT:
      return Text(Msg::kNoticeConflict, lang);
    case v1::NOTICE_KIND_REJECTED:
      return Text(Msg::kNoticeRejected, lang);
    case v1::NOTICE_KIND_AMENDMENT:
      return Text(Msg::kNoticeAmendment, lang);
    default:
      return "-";
  }
}

std::string_view ConflictKindText(v1::ConflictKind kind, Language lang) {
  switch (kind) {
    case v1::CONFLICT_KIND_FIELD:
      return Text(Msg::kNoticeConflict, lang);
    case v1::CONFLICT_KIND_DELETE_VS_EDIT:
      return Text(Msg::kConflictDelete, lang);
    case v1::CONFLICT_KIND_AMENDMENT:
      return Text(Msg::kNoticeAmendment, lang);
    default:
      return "-";
  }
}

std::string TimeText(int64_t micros) {
  if (micros == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMicros(micros),
                          absl::LocalTimeZone());
}

std::string OrDash(std::string text) { return text.empty() ? "-" : text; }

// Why, from the notice's code in the user's language; the server's English
// only for a notice kept before codes, or a code this CLI does not know.
std::string NoticeReason(const v1::Notice& n, Language lang) {
  return OrDash(ReasonText(n.reason_code(), lang).value_or(n.reason()));
}

}  // namespace

int RunLogin(const CliContext& ctx, const LoginOptions& options) {
  std::string secret = options.secret;
  if (secret.empty() && !ctx.secret_file.empty()) {
    absl::StatusOr<std::string> read = client::ReadSecretFile(ctx.secret_file);
    if (!read.ok()) return ReportError(ctx, read.status());
    secret = *read;
  }
  if (secret.empty()) {
    return ReportUsageError(
        ctx, std::string(Text(Msg::kErrNoSecretGiven, ctx.language)));
  }
  if (!IsValidUtf8(secret)) {
    return ReportUsageError(ctx,
                            Format(Msg::kErrNotUtf8, ctx.language, "--secret"));
  }
  // The server says who the secret belongs to; nothing is saved unless it
  // does.
  client::AdminClient link(ctx.server, secret, std::chrono::seconds(20),
                           ctx.tls);
  absl::StatusOr<v1::WhoAmIResponse> me = link.WhoAmI();
  if (!me.ok()) return ReportError(ctx, me.status());
  TabletHome home(TabletHome::Resolve(ctx.data_dir));
  Login login{ctx.server, me->device()};
  // The pin the link above was checked with, kept for later commands.
  if (absl::Status s = home.Save(login, secret, ctx.tls.server_sha256);
      !s.ok()) {
    return ReportError(ctx, s);
  }
  if (ctx.json) return PrintJson(ctx, *me);
  *ctx.out << Format(Msg::kLoggedIn, ctx.language, me->device().name(),
                     RoleLabel(me->device().role(), ctx.language),
                     me->device().area_id())
           << "\n";
  return 0;
}

int RunSync(const CliContext& ctx, const SyncCommandOptions& options) {
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  absl::StatusOr<client::SyncClientOptions> link_options =
      LinkOptions(ctx, *session);
  if (!link_options.ok()) return ReportError(ctx, link_options.status());
  client::SyncClient link(*link_options);
  ProgressBar bar(ctx.err, ctx.language, isatty(STDERR_FILENO) == 1);
  client::SyncOptions sync_options;
  sync_options.max_attempts = options.max_attempts;
  sync_options.on_progress = [&](const client::SyncProgress& p) {
    bar.Update(p);
  };
  absl::StatusOr<client::SyncReport> report =
      session->replica->Sync(link, sync_options);
  bar.Finish();
  if (!report.ok()) {
    CliContext shown = ctx;
    shown.server = session->server;
    return ReportError(shown, report.status());
  }
  if (ctx.json) {
    *ctx.out << "{\"pushed\": " << report->pushed
             << ", \"pulled\": " << report->pulled
             << ", \"attempts\": " << report->attempts << ", \"notices\": ";
    std::vector<const google::protobuf::Message*> notices;
    for (const v1::Notice& n : report->notices) notices.push_back(&n);
    PrintJsonArray(ctx, notices);
    *ctx.out << "}\n";
    return 0;
  }
  *ctx.out << Format(Msg::kSyncDone, ctx.language, report->pushed,
                     report->pulled)
           << "\n";
  if (!report->notices.empty()) {
    *ctx.out << Format(Msg::kSyncNotices, ctx.language, report->notices.size())
             << "\n";
  }
  return 0;
}

int RunOutbox(const CliContext& ctx) {
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  absl::StatusOr<std::vector<v1::Mutation>> outbox = session->replica->Outbox();
  if (!outbox.ok()) return ReportError(ctx, outbox.status());
  if (ctx.json) {
    std::vector<const google::protobuf::Message*> items;
    for (const v1::Mutation& m : *outbox) items.push_back(&m);
    return PrintJsonArray(ctx, items);
  }
  const Language lang = ctx.language;
  Table table({std::string(Text(Msg::kColSeq, lang)),
               std::string(Text(Msg::kColDocument, lang)),
               std::string(Text(Msg::kColFields, lang)),
               std::string(Text(Msg::kColAuthor, lang))});
  for (const v1::Mutation& m : *outbox) {
    std::vector<std::string> fields;
    for (const v1::FieldSet& set : m.sets()) {
      fields.push_back(absl::StrCat(
          set.path(), "=",
          client::FieldSetValueText(m.key(), set.path(), set.value())
              .value_or("?")));
    }
    table.AddRow({absl::StrCat(m.mutation_seq()), m.key(),
                  absl::StrJoin(fields, "; "), m.author()});
  }
  *ctx.out << table.Render(TerminalWidth())
           << Format(Msg::kOutboxCount, lang, outbox->size()) << "\n";
  return 0;
}

int RunConflicts(const CliContext& ctx) {
  int code = 0;
  std::optional<TabletSession> session = OpenSession(ctx, code);
  if (!session) return code;
  absl::StatusOr<std::vector<v1::Notice>> notices = session->replica->Notices();
  if (!notices.ok()) return ReportError(ctx, notices.status());
  if (ctx.json) {
    std::vector<const google::protobuf::Message*> items;
    for (const v1::Notice& n : *notices) items.push_back(&n);
    return PrintJsonArray(ctx, items);
  }
  const Language lang = ctx.language;
  Table table({std::string(Text(Msg::kColKind, lang)),
               std::string(Text(Msg::kColDocument, lang)),
               std::string(Text(Msg::kColField, lang)),
               std::string(Text(Msg::kColMine, lang)),
               std::string(Text(Msg::kColServer, lang)),
               std::string(Text(Msg::kColReason, lang))});
  for (const v1::Notice& n : *notices) {
    table.AddRow({std::string(NoticeKindText(n.kind(), lang)), n.key(),
                  OrDash(n.path()), OrDash(n.local_value()),
                  OrDash(n.server_value()), NoticeReason(n, lang)});
  }
  *ctx.out << table.Render(TerminalWidth())
           << Format(Msg::kNoticesCount, lang, notices->size()) << "\n";
  return 0;
}

int RunReviewList(const CliContext& ctx, const std::string& key) {
  // A reviewer logged in on this machine, or an admin's --secret-file
  // (SecretOf and ctx.server already follow the login).
  client::AdminClient admin(ctx.server, SecretOf(ctx), std::chrono::seconds(20),
                            ctx.tls);
  v1::ListConflictsRequest request;
  request.set_key(key);
  absl::StatusOr<v1::ListConflictsResponse> queue =
      admin.ListConflicts(request);
  if (!queue.ok()) return ReportError(ctx, queue.status());
  // The whole queue, page after page; the counts come with the first.
  while (!queue->next_page_token().empty()) {
    request.set_page_token(queue->next_page_token());
    absl::StatusOr<v1::ListConflictsResponse> page =
        admin.ListConflicts(request);
    if (!page.ok()) return ReportError(ctx, page.status());
    for (v1::ConflictRecord& record : *page->mutable_conflicts()) {
      *queue->add_conflicts() = std::move(record);
    }
    queue->set_next_page_token(page->next_page_token());
  }
  if (ctx.json) return PrintJson(ctx, *queue);
  const Language lang = ctx.language;
  Table table({std::string(Text(Msg::kColId, lang)),
               std::string(Text(Msg::kColKind, lang)),
               std::string(Text(Msg::kColDocument, lang)),
               std::string(Text(Msg::kColField, lang)),
               std::string(Text(Msg::kColBase, lang)),
               std::string(Text(Msg::kColKept, lang)),
               std::string(Text(Msg::kColWaiting, lang)),
               std::string(Text(Msg::kColAuthor, lang))});
  for (const v1::ConflictRecord& record : queue->conflicts()) {
    auto text = [&](const std::string& path, const std::string& value) {
      return OrDash(
          client::FieldSetValueText(record.key(), path, value).value_or("?"));
    };
    for (const v1::ConflictValue& v : record.values()) {
      table.AddRow({absl::StrCat(record.id()),
                    std::string(ConflictKindText(record.kind(), lang)),
                    record.key(), v.path(), text(v.path(), v.base_value()),
                    text(v.path(), v.current_value()),
                    text(v.path(), v.losing_value()),
                    absl::StrCat(record.author(), " (",
                                 TimeText(record.device_time_micros()), ")")});
    }
  }
  *ctx.out << table.Render(TerminalWidth())
           << Format(Msg::kReviewCount, lang, queue->conflicts_size()) << "\n";
  if (queue->oldest_open_micros() > 0) {
    std::vector<std::string> kinds;
    for (const auto& [kind, count] : queue->open_by_kind()) {
      v1::ConflictKind parsed = v1::CONFLICT_KIND_UNSPECIFIED;
      v1::ConflictKind_Parse(kind, &parsed);
      kinds.push_back(absl::StrCat(std::string(ConflictKindText(parsed, lang)),
                                   ": ", count));
    }
    std::sort(kinds.begin(), kinds.end());
    const int64_t days =
        (absl::ToUnixMicros(absl::Now()) - queue->oldest_open_micros()) /
        (int64_t{86'400} * 1'000'000);
    *ctx.out << Format(Msg::kReviewOpen, lang, absl::StrJoin(kinds, ", "),
                       TimeText(queue->oldest_open_micros()), days)
             << "\n";
  }
  return 0;
}

}  // namespace fieldsync::cli
