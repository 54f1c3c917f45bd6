/* The tablet SDK's C API end to end, as a C program (C99, no C++): two
 * tablets against the real server. Started by tests/c_api_binary_test.cc
 * with the server's address, two enrolled devices and a folder:
 *
 *   c_api_test ADDRESS DEVICE_A SECRET_A DEVICE_B SECRET_B DIR
 *
 * Prints each failed check and exits 0 only if every check passed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldsync/fieldsync.h"

static int g_checks = 0;
static int g_failures = 0;

/* Records one check; `detail` (may be NULL) says what was seen instead. */
static int check(int ok, const char* what, const char* detail) {
  ++g_checks;
  if (!ok) {
    ++g_failures;
    printf("FAILED: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  }
  return ok;
}

/* Checks that a call succeeded; frees and clears its error otherwise. */
static int check_ok(int ok, fs_error** err, const char* what) {
  const char* detail = *err ? (*err)->message : "failed without an error";
  int passed = check(ok && *err == NULL, what, ok ? NULL : detail);
  fs_error_free(*err);
  *err = NULL;
  return passed;
}

static int contains(const char* text, const char* part) {
  return text != NULL && strstr(text, part) != NULL;
}

/* Checks that `json` holds `part`, then frees it. */
static void check_json(char* json, const char* part, const char* what) {
  check(contains(json, part), what, json ? json : "(NULL)");
  fs_free_string(json);
}

static char* path_join(const char* dir, const char* name) {
  char* out = malloc(strlen(dir) + strlen(name) + 2);
  if (out) sprintf(out, "%s/%s", dir, name);
  return out;
}

/* ----- Callbacks -------------------------------------------------------- */

typedef struct seen {
  int progress_calls;
  fs_progress last;
  int backwards; /* a count that went down between two calls */
  int notices;
  int conflict_on_results;
  int reason_code;
  char server_value[64];
  char local_value[64];
} seen;

static void on_progress(const fs_progress* p, void* user_data) {
  seen* s = (seen*)user_data;
  if (s->progress_calls > 0 &&
      (p->pushed_documents < s->last.pushed_documents ||
       p->pulled_documents < s->last.pulled_documents)) {
    s->backwards = 1;
  }
  s->last = *p;
  ++s->progress_calls;
}

static void on_notice(const fs_notice* n, void* user_data) {
  seen* s = (seen*)user_data;
  ++s->notices;
  if (n->kind == FS_NOTICE_CONFLICT && strcmp(n->path, "results") == 0 &&
      strcmp(n->key, "report/c-api-hoi-quan") == 0) {
    s->conflict_on_results = 1;
    s->reason_code = n->reason_code;
    snprintf(s->server_value, sizeof s->server_value, "%s", n->server_value);
    snprintf(s->local_value, sizeof s->local_value, "%s", n->local_value);
  }
}

/* ----- Steps ------------------------------------------------------------ */

static const char* const kReport = "report/c-api-hoi-quan";

/* Bad edits are refused with an error naming the field and value, and
 * record nothing. */
static void bad_edits(fs_replica* r) {
  fs_error* err = NULL;
  fs_field not_a_number[] = {{"results", "ignored"},
                             {"indicators/members", "năm mươi"}};
  int rc = fs_edit(r, kReport, not_a_number, 2, "Nguyễn Văn A", &err);
  if (check(rc == -1 && err != NULL, "a non-numeric indicator is refused",
            NULL)) {
    check(err->code == FS_INVALID_ARGUMENT, "its code is INVALID_ARGUMENT",
          err->message);
    check(strcmp(err->field, "indicators/members") == 0,
          "the error names the field", err->field);
    check(contains(err->message, "indicators/members") &&
              contains(err->message, "\"năm mươi\""),
          "the message names the field and the value", err->message);
  }
  fs_error_free(err);
  err = NULL;

  fs_field bad_utf8[] = {{"results", "k\xE1t qu\xFF"}};
  rc = fs_edit(r, kReport, bad_utf8, 1, "Nguyễn Văn A", &err);
  check(rc == -1 && err && strcmp(err->field, "results") == 0,
        "invalid UTF-8 is refused naming the field", err ? err->message : "");
  fs_error_free(err);
  err = NULL;

  fs_field no_such_field[] = {{"colour", "red"}};
  rc = fs_edit(r, kReport, no_such_field, 1, "Nguyễn Văn A", &err);
  check(rc == -1 && err && contains(err->message, "colour"),
        "an unknown field is refused naming it", err ? err->message : "");
  fs_error_free(err);
  err = NULL;

  fs_field status[] = {{"status", "finished"}};
  rc = fs_edit(r, kReport, status, 1, "Nguyễn Văn A", &err);
  check(rc == -1 && err && contains(err->message, "submitted"),
        "an unknown status is refused listing the valid ones",
        err ? err->message : "");
  fs_error_free(err);
  err = NULL;

  rc = fs_edit(r, "report/h\xF4i", status, 1, "x", &err);
  check(rc == -1 && err && strcmp(err->field, "key") == 0,
        "a key that is not UTF-8 is refused naming it",
        err ? err->message : "");
  fs_error_free(err);
  err = NULL;

  rc = fs_edit(NULL, kReport, status, 1, "x", &err);
  check(rc == -1 && err && strcmp(err->field, "replica") == 0,
        "a NULL replica is an error, not a crash", err ? err->message : "");
  fs_error_free(err);
  err = NULL;

  check_json(fs_outbox(r, &err), "[]", "bad edits record nothing");
  check_ok(1, &err, "fs_outbox");
}

/* Tablet A writes a report, syncs it with progress, and queries it. */
static void first_sync(fs_replica* a) {
  fs_error* err = NULL;
  bad_edits(a);
  fs_field fields[] = {{"area_id", "xa-tan-phu-dong"},
                       {"period", "2025"},
                       {"indicators/members", "59"},
                       {"results", "Hội quán hoạt động tốt"}};
  check_ok(fs_edit(a, kReport, fields, 4, "Nguyễn Văn A", &err) == 0, &err,
           "fs_edit of a new report");
  check_json(fs_outbox(a, &err), "\"text\":\"59\"",
             "the outbox shows the value as text");

  seen s;
  memset(&s, 0, sizeof s);
  fs_sync_summary summary;
  memset(&summary, 0, sizeof summary);
  check_ok(fs_sync(a, on_progress, on_notice, &s, &summary, &err) == 0, &err,
           "fs_sync of tablet A");
  check(summary.pushed == 1, "the server answered the one edit", NULL);
  check(summary.pulled > 0, "the pull brought documents", NULL);
  check(s.progress_calls > 0, "progress was reported", NULL);
  check(s.last.pushed_documents == 1 && s.last.push_total_documents == 1,
        "progress counted the pushed edit", NULL);
  check(!s.backwards, "progress never went backwards", NULL);
  check(s.notices == 0, "a clean push makes no notice", NULL);

  check_json(fs_outbox(a, &err), "[]", "the outbox is empty after the sync");
  char* doc = fs_get(a, kReport, &err);
  check(contains(doc, "\"value\":59"), "the indicator is the number 59", doc);
  check(contains(doc, "Hội quán hoạt động tốt"), "the results came back", doc);
  check(contains(doc, "\"version\""), "the server versioned the report", doc);
  fs_free_string(doc);
  check_json(fs_list_reports(a, NULL, "2025", "xa-tan-phu-dong", &err), kReport,
             "fs_list_reports finds the report");
  check_json(fs_list_reports(a, NULL, "2024", NULL, &err), "[]",
             "fs_list_reports filters by period");
  check_json(
      fs_list_models(
          a, "{\"level\":\"MODEL_LEVEL_DISTRICT\",\"area_id\":\"tp-sa-dec\"}",
          &err),
      "\"id\":\"huyen-tp-sa-dec-05\"",
      "fs_list_models filters the pulled catalogue");
  check_json(fs_list_models(a, "{\"search\":\"tan phu dong\"}", &err),
             "Tân Phú Đông", "fs_list_models searches without diacritics");
  check_ok(1, &err, "the queries");

  char* none = fs_list_models(a, "{\"colour\":1}", &err);
  check(none == NULL && err && strcmp(err->field, "filter_json") == 0,
        "a bad filter is refused naming it", err ? err->message : "");
  fs_error_free(err);
  err = NULL;
  none = fs_get(a, "report/nobody", &err);
  check(none == NULL && err && err->code == FS_NOT_FOUND,
        "an unknown document is NOT_FOUND", err ? err->message : "");
  fs_error_free(err);
}

/* Both tablets change the results offline; the second to sync is told. */
static void conflict(fs_replica* a, fs_replica* b) {
  fs_error* err = NULL;
  check_ok(fs_sync(b, NULL, NULL, NULL, NULL, &err) == 0, &err,
           "fs_sync of tablet B");
  fs_field from_a[] = {{"results", "Từ máy A"}};
  fs_field from_b[] = {{"results", "Từ máy B"}};
  check_ok(fs_edit(a, kReport, from_a, 1, "A", &err) == 0, &err, "edit on A");
  check_ok(fs_edit(b, kReport, from_b, 1, "B", &err) == 0, &err, "edit on B");
  check_ok(fs_sync(a, NULL, NULL, NULL, NULL, &err) == 0, &err, "A syncs");

  seen s;
  memset(&s, 0, sizeof s);
  fs_sync_summary summary;
  memset(&summary, 0, sizeof summary);
  check_ok(fs_sync(b, NULL, on_notice, &s, &summary, &err) == 0, &err,
           "B syncs");
  check(summary.attention == 1, "B's sync has one answer to look at", NULL);
  check(s.conflict_on_results, "B is told about the conflict on results", NULL);
  check(strcmp(s.local_value, "Từ máy B") == 0, "the notice has B's value",
        s.local_value);
  check(strcmp(s.server_value, "Từ máy A") == 0,
        "the notice has the value the server kept", s.server_value);
  check(s.reason_code == FS_REASON_FIELD_CONFLICT,
        "the notice says why as a code", NULL);
  check_json(fs_notices(b, &err), "NOTICE_KIND_CONFLICT", "B keeps the notice");
  check_json(fs_notices(b, &err),
             "\"reason_code\":\"MUTATION_REASON_FIELD_CONFLICT\"",
             "the kept notice has its code");
  check_ok(1, &err, "fs_notices");
}

/* A call the server refuses says why as a code the app can test and
 * translate; an error of the SDK's own has none. */
static void refused_call(const char* dir, const char* address) {
  fs_error* err = NULL;
  fs_replica* r = fs_open(dir, "may-la", address, "fs1.may-la.sai", NULL, &err);
  if (!check_ok(r != NULL, &err, "fs_open with a wrong secret")) return;
  int rc = fs_sync(r, NULL, NULL, NULL, NULL, &err);
  check(rc == -1 && err && err->code == FS_UNAUTHENTICATED,
        "a wrong secret is UNAUTHENTICATED", err ? err->message : "");
  check(err && strcmp(err->reason, "SECRET_INVALID") == 0,
        "the error's reason is SECRET_INVALID", err ? err->reason : "");
  fs_error_free(err);
  err = NULL;
  fs_field bad[] = {{"indicators/members", "năm mươi"}};
  rc = fs_edit(r, kReport, bad, 1, "C", &err);
  check(rc == -1 && err && strcmp(err->reason, "") == 0,
        "a refusal of the SDK's own has no reason", err ? err->reason : "");
  fs_error_free(err);
  fs_close(r);
}

/* An offline edit survives closing the replica. */
static void persistence(const char* dir, const char* address,
                        const char* device, const char* secret) {
  fs_error* err = NULL;
  fs_replica* a = fs_open(dir, device, address, secret, NULL, &err);
  if (!check_ok(a != NULL, &err, "fs_open of tablet A")) return;
  fs_field hectares[] = {{"indicators/hectares", "4,5"}};
  check_ok(fs_edit(a, kReport, hectares, 1, "A", &err) == 0, &err,
           "an offline edit with a decimal comma");
  fs_close(a);

  fs_replica* offline = fs_open(dir, device, NULL, NULL, NULL, &err);
  if (!check_ok(offline != NULL, &err, "reopening offline")) return;
  check_json(fs_outbox(offline, &err), "\"text\":\"4.5\"",
             "the offline edit is still queued after reopening");
  char* doc = fs_get(offline, kReport, &err);
  check(contains(doc, "\"value\":4.5") && contains(doc, "Từ máy A"),
        "the document keeps synced and pending values", doc);
  fs_free_string(doc);
  check_ok(1, &err, "queries after reopening");
  int rc = fs_sync(offline, NULL, NULL, NULL, NULL, &err);
  check(rc == -1 && err && err->code == FS_FAILED_PRECONDITION,
        "an offline-only replica does not sync", err ? err->message : "");
  fs_error_free(err);
  err = NULL;
  fs_close(offline);

  a = fs_open(dir, device, address, secret, NULL, &err);
  if (!check_ok(a != NULL, &err, "reopening online")) return;
  check_ok(fs_sync(a, NULL, NULL, NULL, NULL, &err) == 0, &err,
           "syncing the offline edit");
  check_json(fs_outbox(a, &err), "[]", "the outbox is empty again");
  check_ok(1, &err, "fs_outbox");
  fs_close(a);
}

/* Expects the call that set *err to have failed with `code`. */
static void check_code(int failed, fs_error** err, fs_code code,
                       const char* what) {
  check(failed && *err != NULL && (*err)->code == code, what,
        *err ? (*err)->message : "no error");
  fs_error_free(*err);
  *err = NULL;
}

/* A server with a certificate it made itself: its SHA-256 pinned, a sync
 * goes; another pin, it does not, and the edit waits in the outbox. */
static int pinned(const char* address, const char* device, const char* secret,
                  const char* pin, const char* dir) {
  fs_error* err = NULL;
  fs_replica* a = fs_open(dir, device, address, secret, NULL, &err);
  if (!check_ok(a != NULL, &err, "fs_open")) return 1;
  check_code(fs_pin_server_certificate(a, "abc", &err) == -1, &err,
             FS_INVALID_ARGUMENT, "a pin that is not 64 hex digits");
  check_code(fs_pin_server_certificate(NULL, pin, &err) == -1, &err,
             FS_INVALID_ARGUMENT, "no replica");
  fs_field results[] = {{"area_id", "xa-tan-phu-dong"},
                        {"results", "Qua kết nối đã ghim"}};
  check_ok(fs_edit(a, kReport, results, 2, "A", &err) == 0, &err, "fs_edit");
  const char* other =
      "0000000000000000000000000000000000000000000000000000000000000000";
  check_ok(fs_pin_server_certificate(a, other, &err) == 0, &err,
           "pinning another certificate");
  check_code(fs_sync(a, NULL, NULL, NULL, NULL, &err) == -1, &err,
             FS_UNAVAILABLE, "no sync with a certificate not pinned");
  check_json(fs_outbox(a, &err), "Qua k", "the edit waits in the outbox");
  check_ok(fs_pin_server_certificate(a, pin, &err) == 0, &err,
           "pinning the server's certificate");
  check_ok(fs_sync(a, NULL, NULL, NULL, NULL, &err) == 0, &err,
           "a sync to the pinned certificate");
  check_json(fs_outbox(a, &err), "[]", "the outbox is empty");
  fs_close(a);

  fs_replica* offline = fs_open(dir, device, NULL, NULL, NULL, &err);
  if (!check_ok(offline != NULL, &err, "reopening offline")) return 1;
  check_code(fs_pin_server_certificate(offline, pin, &err) == -1, &err,
             FS_FAILED_PRECONDITION, "an offline replica has nothing to pin");
  fs_close(offline);
  printf("c_api_test: %d checks, %d failed\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc == 7 && strcmp(argv[1], "pinned") == 0) {
    return pinned(argv[2], argv[3], argv[4], argv[5], argv[6]);
  }
  if (argc != 7) {
    fprintf(stderr,
            "usage: %s ADDRESS DEVICE_A SECRET_A DEVICE_B SECRET_B DIR\n"
            "       %s pinned ADDRESS DEVICE SECRET SHA256 DIR\n",
            argv[0], argv[0]);
    return 2;
  }
  const char* address = argv[1];
  char* dir_a = path_join(argv[6], "tablet-a");
  char* dir_b = path_join(argv[6], "tablet-b");
  char* dir_c = path_join(argv[6], "tablet-c");
  fs_error* err = NULL;
  fs_replica* a = fs_open(dir_a, argv[2], address, argv[3], NULL, &err);
  check_ok(a != NULL, &err, "fs_open of tablet A");
  fs_replica* b = fs_open(dir_b, argv[4], address, argv[5], NULL, &err);
  check_ok(b != NULL, &err, "fs_open of tablet B");
  if (a && b) {
    first_sync(a);
    conflict(a, b);
  }
  fs_close(a);
  fs_close(b);
  if (a && b) persistence(dir_a, address, argv[2], argv[3]);
  refused_call(dir_c, address);

  free(dir_a);
  free(dir_b);
  free(dir_c);
  printf("c_api_test: %d checks, %d failed\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
