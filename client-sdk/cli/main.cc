// fieldsync: the FieldSync command line.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "client-sdk/cli/commands.h"
#include "client-sdk/cli/tablet_home.h"
#include "client-sdk/secret_file.h"

namespace fieldsync::cli {
namespace {

// The server's default --listen address.
constexpr char kDefaultServer[] = "127.0.0.1:7443";

std::string T(Msg id, Language language) {
  return std::string(Text(id, language));
}

int Main(int argc, char** argv) {
  CliContext ctx;
  ctx.language = LanguageFromEnvironment();
  ctx.server = kDefaultServer;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  const Language lang = ctx.language;

  CLI::App app{T(Msg::kAppDescription, lang), "fieldsync"};
  app.require_subcommand(1);
  CLI::Option* server_option =
      app.add_option("--server", ctx.server, T(Msg::kOptServer, lang))
          ->capture_default_str();
  app.add_option("--data-dir", ctx.data_dir, T(Msg::kOptDataDir, lang));
  app.add_flag("--json", ctx.json, T(Msg::kOptJson, lang));
  if (const char* file = std::getenv("FIELDSYNC_SECRET_FILE")) {
    ctx.secret_file = file;
  }
  app.add_option("--secret-file", ctx.secret_file,
                 T(Msg::kOptSecretFile, lang));
  if (const char* ca = std::getenv("FIELDSYNC_TLS_CA")) ctx.tls.ca_file = ca;
  app.add_option("--tls-ca", ctx.tls.ca_file, T(Msg::kOptTlsCa, lang));
  app.add_option("--tls-cert", ctx.tls.cert_file, T(Msg::kOptTlsCert, lang));
  app.add_option("--tls-key", ctx.tls.key_file, T(Msg::kOptTlsKey, lang));

  CLI::App* models = app.add_subcommand("models", T(Msg::kCmdModels, lang));
  models->require_subcommand(1)->fallthrough();

  ModelsListOptions list_options;
  CLI::App* list = models->add_subcommand("list", T(Msg::kCmdModelsList, lang));
  list->fallthrough();
  list->add_option("--level", list_options.level, T(Msg::kOptLevel, lang));
  list->add_option("--area", list_options.area, T(Msg::kOptArea, lang));
  list->add_option("--sector", list_options.sector, T(Msg::kOptSector, lang));
  list->add_option("--status", list_options.status, T(Msg::kOptStatus, lang));
  list->add_option("--search", list_options.search, T(Msg::kOptSearch, lang));
  list->add_flag("--match-diacritics", list_options.match_diacritics,
                 T(Msg::kOptMatchDiacritics, lang));

  std::string model_id;
  CLI::App* show = models->add_subcommand("show", T(Msg::kCmdModelsShow, lang));
  show->fallthrough();
  show->add_option("id", model_id, T(Msg::kArgModelId, lang))->required();

  AreasOptions areas_options;
  CLI::App* areas = app.add_subcommand("areas", T(Msg::kCmdAreas, lang));
  areas->fallthrough();
  areas->add_option("--root", areas_options.root, T(Msg::kOptRoot, lang));
  areas->add_option("--as-of", areas_options.as_of, T(Msg::kOptAsOf, lang));

  TotalsOptions totals_options;
  CLI::App* totals = app.add_subcommand("totals", T(Msg::kCmdTotals, lang));
  totals->fallthrough();
  totals
      ->add_option("--area", totals_options.area, T(Msg::kOptTotalsArea, lang))
      ->required();
  totals
      ->add_option("--period", totals_options.period,
                   T(Msg::kOptTotalsPeriod, lang))
      ->required();
  totals->add_option("--by", totals_options.by, T(Msg::kOptTotalsBy, lang));
  totals->add_option("--model", totals_options.model,
                     T(Msg::kOptTotalsModel, lang));
  totals->add_option("--indicator", totals_options.indicator,
                     T(Msg::kOptTotalsIndicator, lang));
  totals->add_option("--as-of", totals_options.as_of, T(Msg::kOptAsOf, lang));

  CompletenessOptions completeness_options;
  CLI::App* completeness =
      app.add_subcommand("completeness", T(Msg::kCmdCompleteness, lang));
  completeness->fallthrough();
  completeness
      ->add_option("--model", completeness_options.model,
                   T(Msg::kOptCompletenessModel, lang))
      ->required();
  completeness
      ->add_option("--period", completeness_options.period,
                   T(Msg::kOptTotalsPeriod, lang))
      ->required();
  completeness->add_option("--area", completeness_options.area,
                           T(Msg::kOptCompletenessArea, lang));
  completeness->add_option("--as-of", completeness_options.as_of,
                           T(Msg::kOptAsOf, lang));

  std::string overview_as_of;
  CLI::App* overview =
      app.add_subcommand("overview", T(Msg::kCmdOverview, lang));
  overview->fallthrough();
  overview->add_option("--as-of", overview_as_of, T(Msg::kOptAsOf, lang));

  CLI::App* sectors = app.add_subcommand("sectors", T(Msg::kCmdSectors, lang));
  sectors->fallthrough();
  CLI::App* health = app.add_subcommand("health", T(Msg::kCmdHealth, lang));
  health->fallthrough();

  CLI::App* admin = app.add_subcommand("admin", T(Msg::kCmdAdmin, lang));
  admin->require_subcommand(1)->fallthrough();
  CLI::App* devices =
      admin->add_subcommand("devices", T(Msg::kCmdDevices, lang));
  devices->require_subcommand(1)->fallthrough();
  EnrollOptions enroll_options;
  CLI::App* enroll =
      devices->add_subcommand("enroll", T(Msg::kCmdDevicesEnroll, lang));
  enroll->fallthrough();
  enroll->add_option("--role", enroll_options.role, T(Msg::kOptRole, lang))
      ->required();
  enroll
      ->add_option("--area", enroll_options.area, T(Msg::kOptDeviceArea, lang))
      ->required();
  enroll
      ->add_option("--name", enroll_options.name, T(Msg::kOptDeviceName, lang))
      ->required();
  CLI::App* list_devices =
      devices->add_subcommand("list", T(Msg::kCmdDevicesList, lang));
  list_devices->fallthrough();
  std::string device_id;
  CLI::App* revoke =
      devices->add_subcommand("revoke", T(Msg::kCmdDevicesRevoke, lang));
  revoke->fallthrough();
  revoke->add_option("id", device_id, T(Msg::kArgDeviceId, lang))->required();

  std::string rotate_id;
  CLI::App* rotate =
      devices->add_subcommand("rotate", T(Msg::kCmdDevicesRotate, lang));
  rotate->fallthrough();
  rotate->add_option("id", rotate_id, T(Msg::kArgDeviceId, lang))->required();

  AuditOptions audit_options;
  CLI::App* audit = admin->add_subcommand("audit", T(Msg::kCmdAudit, lang));
  audit->fallthrough();
  audit->add_option("--device", audit_options.device,
                    T(Msg::kOptAuditDevice, lang));
  audit->add_option("--area", audit_options.area, T(Msg::kOptAuditArea, lang));
  audit->add_option("--action", audit_options.action,
                    T(Msg::kOptAuditAction, lang));
  audit->add_option("--since", audit_options.since, T(Msg::kOptSince, lang));
  audit->add_option("--until", audit_options.until, T(Msg::kOptUntil, lang));

  CLI::App* admin_models =
      admin->add_subcommand("models", T(Msg::kCmdAdminModels, lang));
  admin_models->require_subcommand(1)->fallthrough();
  std::string admin_model_id;
  std::vector<std::string> model_sets;
  std::string archive_reason;
  CLI::App* models_history =
      admin_models->add_subcommand("history", T(Msg::kCmdModelsHistory, lang));
  models_history->fallthrough();
  models_history->add_option("id", admin_model_id, T(Msg::kArgModelId, lang))
      ->required();
  CLI::App* models_update =
      admin_models->add_subcommand("update", T(Msg::kCmdModelsUpdate, lang));
  models_update->fallthrough();
  models_update->add_option("id", admin_model_id, T(Msg::kArgModelId, lang))
      ->required();
  models_update->add_option("--set", model_sets, T(Msg::kOptModelSet, lang))
      ->required();
  CLI::App* models_archive =
      admin_models->add_subcommand("archive", T(Msg::kCmdModelsArchive, lang));
  models_archive->fallthrough();
  models_archive->add_option("id", admin_model_id, T(Msg::kArgModelId, lang))
      ->required();
  models_archive->add_option("--reason", archive_reason,
                             T(Msg::kOptReason, lang));
  CLI::App* models_restore =
      admin_models->add_subcommand("restore", T(Msg::kCmdModelsRestore, lang));
  models_restore->fallthrough();
  models_restore->add_option("id", admin_model_id, T(Msg::kArgModelId, lang))
      ->required();

  std::string assign_model, assign_areas;
  bool assign_clear = false;
  CLI::App* assign =
      admin->add_subcommand("assign", T(Msg::kCmdAssignAreas, lang));
  assign->fallthrough();
  assign
      ->add_option("--model", assign_model, T(Msg::kOptCompletenessModel, lang))
      ->required();
  CLI::Option* assign_areas_option = assign->add_option(
      "--areas", assign_areas, T(Msg::kOptAssignAreas, lang));
  assign->add_flag("--clear", assign_clear, T(Msg::kOptAssignClear, lang))
      ->excludes(assign_areas_option);

  CLI::App* proposals =
      admin->add_subcommand("proposals", T(Msg::kCmdProposals, lang));
  proposals->require_subcommand(1)->fallthrough();
  ProposalOptions proposal_options;
  CLI::App* decide =
      proposals->add_subcommand("decide", T(Msg::kCmdProposalsDecide, lang));
  decide->fallthrough();
  decide->add_option("id", proposal_options.id, T(Msg::kArgProposalId, lang))
      ->required();
  decide->add_flag("--forward", proposal_options.forward,
                   T(Msg::kOptForward, lang));
  decide->add_option("--approve-as", proposal_options.approve_as,
                     T(Msg::kOptApproveAs, lang));
  decide->add_flag("--return", proposal_options.send_back,
                   T(Msg::kOptSendBack, lang));
  decide->add_option("--merge-into", proposal_options.merge_into,
                     T(Msg::kOptMergeInto, lang));
  decide->add_option("--reason", proposal_options.reason,
                     T(Msg::kOptReason, lang));
  CLI::App* export_command =
      admin->add_subcommand("export", T(Msg::kCmdExport, lang));
  export_command->require_subcommand(1)->fallthrough();
  ExportAppendixOptions appendix_options;
  CLI::App* export_appendix = export_command->add_subcommand(
      "appendix", T(Msg::kCmdExportAppendix, lang));
  export_appendix->fallthrough();
  export_appendix
      ->add_option("--year", appendix_options.year,
                   T(Msg::kOptExportYear, lang))
      ->required();
  export_appendix
      ->add_option("--format", appendix_options.format,
                   T(Msg::kOptExportFormat, lang))
      ->required();
  export_appendix
      ->add_option("--out", appendix_options.out, T(Msg::kOptExportOut, lang))
      ->required();
  export_appendix->add_option("--area", appendix_options.area,
                              T(Msg::kOptExportArea, lang));
  CLI::App* years = admin->add_subcommand("years", T(Msg::kCmdYears, lang));
  years->require_subcommand(1)->fallthrough();
  std::string lock_year;
  CLI::App* lock = years->add_subcommand("lock", T(Msg::kCmdYearsLock, lang));
  lock->fallthrough();
  lock->add_option("year", lock_year, T(Msg::kArgYear, lang))->required();

  std::string backup_to;
  CLI::App* backup = admin->add_subcommand("backup", T(Msg::kCmdBackup, lang));
  backup->fallthrough();
  backup->add_option("--to", backup_to, T(Msg::kOptBackupTo, lang))->required();

  CLI::App* admin_areas =
      admin->add_subcommand("areas", T(Msg::kCmdAdminAreas, lang));
  admin_areas->require_subcommand(1)->fallthrough();
  std::string changes_file;
  bool changes_dry_run = false;
  CLI::App* apply_changes = admin_areas->add_subcommand(
      "apply-changes", T(Msg::kCmdAreasApplyChanges, lang));
  apply_changes->fallthrough();
  apply_changes->add_option("file", changes_file, T(Msg::kArgChangesFile, lang))
      ->required();
  apply_changes->add_flag("--dry-run", changes_dry_run,
                          T(Msg::kOptDryRun, lang));
  AreaAddOptions add_area;
  CLI::App* areas_add =
      admin_areas->add_subcommand("add", T(Msg::kCmdAreasAdd, lang));
  areas_add->fallthrough();
  areas_add->add_option("--id", add_area.id, T(Msg::kOptNewAreaId, lang))
      ->required();
  areas_add->add_option("--name", add_area.name, T(Msg::kOptNewAreaName, lang))
      ->required();
  areas_add
      ->add_option("--level", add_area.level, T(Msg::kOptNewAreaLevel, lang))
      ->required();
  areas_add
      ->add_option("--parent", add_area.parent, T(Msg::kOptNewAreaParent, lang))
      ->required();
  areas_add->add_option("--from", add_area.valid_from,
                        T(Msg::kOptAddedFrom, lang));
  areas_add->add_option("--source", add_area.source, T(Msg::kOptSource, lang));
  areas_add->add_flag("--dry-run", add_area.dry_run, T(Msg::kOptDryRun, lang));

  // The collector's commands.
  LoginOptions login_options;
  CLI::App* login = app.add_subcommand("login", T(Msg::kCmdLogin, lang));
  login->fallthrough();
  login->add_option("--secret", login_options.secret, T(Msg::kOptSecret, lang));

  CLI::App* report = app.add_subcommand("report", T(Msg::kCmdReport, lang));
  report->require_subcommand(1)->fallthrough();
  ReportInput report_input;
  std::string report_id;
  std::string author;
  auto add_report_fields = [&](CLI::App* command) {
    command->fallthrough();
    command->add_option("--set", report_input.sets, T(Msg::kOptSet, lang));
    command->add_option("--results", report_input.results,
                        T(Msg::kOptResults, lang));
    command->add_option("--difficulties", report_input.difficulties,
                        T(Msg::kOptDifficulties, lang));
    command->add_option("--proposals", report_input.proposals,
                        T(Msg::kOptProposals, lang));
    command->add_option("--author", author, T(Msg::kOptAuthor, lang));
  };
  CLI::App* report_new =
      report->add_subcommand("new", T(Msg::kCmdReportNew, lang));
  add_report_fields(report_new);
  report_new->add_option("--model", report_input.model, T(Msg::kOptModel, lang))
      ->required();
  report_new
      ->add_option("--period", report_input.period, T(Msg::kOptPeriod, lang))
      ->required();
  report_new->add_option("--id", report_id, T(Msg::kOptReportId, lang));
  CLI::App* report_edit =
      report->add_subcommand("edit", T(Msg::kCmdReportEdit, lang));
  add_report_fields(report_edit);
  report_edit->add_option("id", report_id, T(Msg::kArgReportId, lang))
      ->required();
  report_edit->add_option("--status", report_input.status,
                          T(Msg::kOptReportStatus, lang));
  ReportListOptions report_list_options;
  CLI::App* report_list =
      report->add_subcommand("list", T(Msg::kCmdReportList, lang));
  report_list->fallthrough();
  report_list->add_option("--model", report_list_options.model,
                          T(Msg::kOptReportModelFilter, lang));
  report_list->add_option("--period", report_list_options.period,
                          T(Msg::kOptReportPeriodFilter, lang));
  CLI::App* report_show =
      report->add_subcommand("show", T(Msg::kCmdReportShow, lang));
  report_show->fallthrough();
  report_show->add_option("id", report_id, T(Msg::kArgReportId, lang))
      ->required();

  CLI::App* proposal =
      app.add_subcommand("proposal", T(Msg::kCmdProposal, lang));
  proposal->require_subcommand(1)->fallthrough();
  ProposalInput proposal_input;
  CLI::App* proposal_new =
      proposal->add_subcommand("new", T(Msg::kCmdProposalNew, lang));
  proposal_new->fallthrough();
  proposal_new
      ->add_option("--name", proposal_input.name,
                   T(Msg::kOptProposalName, lang))
      ->required();
  proposal_new->add_option("--context", proposal_input.context,
                           T(Msg::kOptContext, lang));
  proposal_new->add_option("--results", proposal_input.results,
                           T(Msg::kOptResults, lang));
  proposal_new->add_option("--sector", proposal_input.sector,
                           T(Msg::kOptSector, lang));
  proposal_new->add_option("--id", proposal_input.id,
                           T(Msg::kOptProposalId, lang));

  SyncCommandOptions sync_options;
  CLI::App* sync = app.add_subcommand("sync", T(Msg::kCmdSync, lang));
  sync->fallthrough();
  sync->add_option("--max-attempts", sync_options.max_attempts,
                   T(Msg::kOptMaxAttempts, lang))
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  CLI::App* outbox = app.add_subcommand("outbox", T(Msg::kCmdOutbox, lang));
  outbox->fallthrough();
  CLI::App* conflicts =
      app.add_subcommand("conflicts", T(Msg::kCmdConflicts, lang));
  conflicts->fallthrough();
  CLI::App* review = app.add_subcommand("review", T(Msg::kCmdReview, lang));
  review->require_subcommand(1)->fallthrough();
  std::string review_key;
  CLI::App* review_list =
      review->add_subcommand("list", T(Msg::kCmdReviewList, lang));
  review_list->fallthrough();
  review_list->add_option("--key", review_key, T(Msg::kOptDocKey, lang));
  ResolveOptions resolve_options;
  CLI::App* resolve =
      review->add_subcommand("resolve", T(Msg::kCmdReviewResolve, lang));
  resolve->fallthrough();
  resolve->add_option("id", resolve_options.id, T(Msg::kArgItemId, lang))
      ->required();
  resolve->add_flag("--keep", resolve_options.keep, T(Msg::kOptKeep, lang));
  resolve->add_flag("--take-waiting", resolve_options.take_waiting,
                    T(Msg::kOptTakeWaiting, lang));
  resolve->add_option("--value", resolve_options.values,
                      T(Msg::kOptNewValue, lang));
  resolve->add_option("--key", resolve_options.key, T(Msg::kOptDocKey, lang));
  resolve->add_option("--comment", resolve_options.comment,
                      T(Msg::kOptComment, lang));
  std::string reviewed_report;
  bool accept_report = false, return_report = false;
  std::string review_comment;
  CLI::App* review_report =
      review->add_subcommand("report", T(Msg::kCmdReviewReport, lang));
  review_report->fallthrough();
  review_report->add_option("id", reviewed_report, T(Msg::kArgReportId, lang))
      ->required();
  review_report->add_flag("--accept", accept_report, T(Msg::kOptAccept, lang));
  review_report->add_flag("--return", return_report, T(Msg::kOptReturn, lang));
  review_report->add_option("--comment", review_comment,
                            T(Msg::kOptComment, lang));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help ends here too, with exit code 0; any other parse error (a
    // required option missing, an unknown one) is a bad option: 2, as the
    // commands' own checks answer (commands.h).
    return app.exit(e) == 0 ? 0 : 2;
  }
  ctx.server_given = server_option->count() > 0;
  // On a logged-in tablet every command talks to its server, as its device.
  if (absl::StatusOr<Login> login =
          TabletHome(TabletHome::Resolve(ctx.data_dir)).LoadLogin();
      login.ok()) {
    if (!ctx.server_given) ctx.server = login->server;
    ctx.logged_in = true;
  }
  // A secret file that pins the server's own certificate gives TLS with
  // nothing more to configure (client-sdk/secret_file.h); --tls-ca wins.
  if (ctx.tls.ca_file.empty()) {
    const std::string pinned_by =
        !ctx.secret_file.empty()
            ? ctx.secret_file
            : (ctx.logged_in
                   ? TabletHome(TabletHome::Resolve(ctx.data_dir)).SecretPath()
                   : "");
    absl::StatusOr<std::string> pin = client::ReadServerPin(pinned_by);
    if (!pin.ok()) {
      return ReportUsageError(ctx, std::string(pin.status().message()));
    }
    ctx.tls.server_sha256 = *pin;
  }

  if (list->parsed()) return RunModelsList(ctx, list_options);
  if (show->parsed()) return RunModelsShow(ctx, model_id);
  if (areas->parsed()) return RunAreas(ctx, areas_options);
  if (totals->parsed()) return RunTotals(ctx, totals_options);
  if (completeness->parsed()) {
    return RunCompleteness(ctx, completeness_options);
  }
  if (overview->parsed()) return RunOverview(ctx, overview_as_of);
  if (sectors->parsed()) return RunSectors(ctx);
  if (health->parsed()) return RunHealth(ctx);
  if (enroll->parsed()) return RunDevicesEnroll(ctx, enroll_options);
  if (list_devices->parsed()) return RunDevicesList(ctx);
  if (audit->parsed()) return RunAudit(ctx, audit_options);
  if (revoke->parsed()) return RunDevicesRevoke(ctx, device_id);
  if (rotate->parsed()) return RunDevicesRotate(ctx, rotate_id);
  if (login->parsed()) return RunLogin(ctx, login_options);
  if (models_history->parsed()) return RunModelsHistory(ctx, admin_model_id);
  if (models_update->parsed()) {
    return RunModelsUpdate(ctx, admin_model_id, model_sets);
  }
  if (models_archive->parsed()) {
    return RunModelsArchive(ctx, admin_model_id, archive_reason);
  }
  if (models_restore->parsed()) return RunModelsRestore(ctx, admin_model_id);
  if (assign->parsed()) {
    return RunAssignModelAreas(ctx, assign_model, assign_areas, assign_clear);
  }
  if (report_new->parsed()) {
    return RunReportNew(ctx, report_input, report_id, author);
  }
  if (report_edit->parsed()) {
    return RunReportEdit(ctx, report_id, report_input, author);
  }
  if (report_list->parsed()) return RunReportList(ctx, report_list_options);
  if (report_show->parsed()) return RunReportShow(ctx, report_id);
  if (sync->parsed()) return RunSync(ctx, sync_options);
  if (proposal_new->parsed()) return RunProposalNew(ctx, proposal_input);
  if (outbox->parsed()) return RunOutbox(ctx);
  if (conflicts->parsed()) return RunConflicts(ctx);
  if (review_list->parsed()) return RunReviewList(ctx, review_key);
  if (resolve->parsed()) return RunReviewResolve(ctx, resolve_options);
  if (review_report->parsed()) {
    if (accept_report == return_report) {
      return ReportUsageError(ctx, T(Msg::kErrChooseReview, lang));
    }
    return RunReviewReport(ctx, reviewed_report, accept_report, review_comment);
  }
  if (decide->parsed()) return RunProposalDecide(ctx, proposal_options);
  if (lock->parsed()) return RunLockYear(ctx, lock_year);
  if (backup->parsed()) return RunBackup(ctx, backup_to);
  if (export_appendix->parsed()) {
    return RunExportAppendix(ctx, appendix_options);
  }
  if (apply_changes->parsed()) {
    return RunAreasApplyChanges(ctx, changes_file, changes_dry_run);
  }
  if (areas_add->parsed()) return RunAreasAdd(ctx, add_area);
  return ReportUsageError(ctx, app.help());
}

}  // namespace
}  // namespace fieldsync::cli

int main(int argc, char** argv) { return fieldsync::cli::Main(argc, argv); }
