/* The tablet SDK for C (C99 and later): a replica of the server's documents
 * kept in a folder on the tablet, edited offline, queried as JSON, and
 * synced with the server when a link appears.
 *
 * Conventions:
 * - Every function that can fail takes `fs_error** err` last. On failure it
 *   returns -1 (or NULL) and, if `err` is not NULL, stores a new error there
 *   for the caller to free with fs_error_free; on success `*err` is left
 *   alone. Pass `err` pointing at NULL.
 * - Strings are UTF-8 and NUL-terminated. Returned strings belong to the
 *   caller (fs_free_string); strings passed in are only read during the
 *   call.
 * - No function throws or aborts on bad input or lack of memory.
 * - A replica is used by one thread at a time (its app's sync thread, say);
 *   two replicas are independent.
 *
 *   fs_error* err = NULL;
 *   fs_replica* r = fs_open("/data/fieldsync", "dev-0a1b", "sync.example:7443",
 *                           secret, "/data/ca.pem", &err);
 *   fs_field fields[] = {{"area_id", "xa-tan-phu-dong"},
 *                        {"indicators/members", "59"}};
 *   if (fs_edit(r, "report/hoi-quan", fields, 2, "Nguyễn Văn A", &err) != 0) {
 *     show(err->message);   -- "indicators/members: \"5x\" is not a number"
 *     fs_error_free(err);
 *   }
 */
#ifndef FIELDSYNC_FIELDSYNC_H_
#define FIELDSYNC_FIELDSYNC_H_

#include <stddef.h>
#include <stdint.h>

/* The C++ implementation promises, in the type, that nothing is thrown
 * across the C boundary; C does not know the keyword. */
#ifdef __cplusplus
#define FS_NOEXCEPT noexcept
extern "C" {
#else
#define FS_NOEXCEPT
#endif

/* ----- Errors ----------------------------------------------------------- */

/* absl::StatusCode's (and gRPC's) numbering. */
typedef enum fs_code {
  FS_OK = 0,
  FS_CANCELLED = 1,
  FS_UNKNOWN = 2,
  FS_INVALID_ARGUMENT = 3,
  FS_DEADLINE_EXCEEDED = 4,
  FS_NOT_FOUND = 5,
  FS_ALREADY_EXISTS = 6,
  FS_PERMISSION_DENIED = 7,
  FS_RESOURCE_EXHAUSTED = 8,
  FS_FAILED_PRECONDITION = 9,
  FS_ABORTED = 10,
  FS_OUT_OF_RANGE = 11,
  FS_UNIMPLEMENTED = 12,
  FS_INTERNAL = 13,
  FS_UNAVAILABLE = 14,
  FS_DATA_LOSS = 15,
  FS_UNAUTHENTICATED = 16
} fs_code;

typedef struct fs_error {
  fs_code code;
  /* What went wrong, naming the field and value when input was bad:
   * "indicators/members: \"5x\" is not a number". Never NULL. */
  const char* message;
  /* The offending field or argument ("indicators/members", "key"), for the
   * app to highlight; "" when the error is not about one. Never NULL. */
  const char* field;
  /* Why, as the server's stable code (google.rpc.ErrorInfo.reason, e.g.
   * "DEVICE_REVOKED", "AUTH_THROTTLED", "NOT_FOUND"; docs/sync-protocol.md):
   * what the app tests and shows in its user's language, never `message`.
   * "" when none was given (most errors of the SDK's own). Never NULL. */
  const char* reason;
} fs_error;

/* Frees an error; NULL is fine. */
void fs_error_free(fs_error* err) FS_NOEXCEPT;

/* Frees a string returned by this API; NULL is fine. */
void fs_free_string(char* text) FS_NOEXCEPT;

/* ----- Opening ---------------------------------------------------------- */

typedef struct fs_replica fs_replica;

/* Opens the replica kept in folder `dir` (created, with its parents, if
 * needed) for the enrolled device `device_id`. `server_target`
 * ("HOST:PORT") and `secret` (the device's enrolment secret) are used by
 * fs_sync; a NULL target makes an offline-only replica. `tls_ca_file` is the
 * PEM file of the CA that signed the server's certificate; NULL: plaintext
 * (test servers only). Returns NULL on failure. */
fs_replica* fs_open(const char* dir, const char* device_id,
                    const char* server_target, const char* secret,
                    const char* tls_ca_file, fs_error** err) FS_NOEXCEPT;

/* Pins the server's own certificate for fs_sync: TLS that accepts only the
 * certificate whose SHA-256 is `sha256_hex`, 64 hex digits, as the
 * "server-certificate-sha256" line of the device's secret file or QR code
 * gives it (a server that made its certificate itself, fieldsync-server
 * --tls-self-signed). Takes the place of a CA given to fs_open. Returns 0,
 * or -1 with *err naming the field and value. */
int fs_pin_server_certificate(fs_replica* replica, const char* sha256_hex,
                              fs_error** err) FS_NOEXCEPT;

/* Closes the replica; everything fs_edit returned from is already on disk.
 * NULL is fine. */
void fs_close(fs_replica* replica) FS_NOEXCEPT;

/* ----- Editing ---------------------------------------------------------- */

/* One field of an edit: its path ("results", "indicators/members") and its
 * value as a person typed it ("59", "Tân Phú Đông", "submitted"); "" clears
 * the field. client-sdk/field_text.h lists how text maps to each type. */
typedef struct fs_field {
  const char* path;
  const char* text;
} fs_field;

/* Records an edit of document `key` ("report/<id>", "proposal/<id>") made
 * by `author`, durably, to be pushed on the next fs_sync. All `n` fields
 * are checked first: if one is bad nothing is recorded, and the error names
 * the field and its value. Returns 0 or -1. */
int fs_edit(fs_replica* replica, const char* key, const fs_field* fields,
            size_t n, const char* author, fs_error** err) FS_NOEXCEPT;

/* ----- Queries: JSON the caller frees with fs_free_string ---------------- */
/* Messages are printed as proto3 JSON with the .proto field names
 * (proto/fieldsync/v1/): fields at their default value are left out, enums
 * are names, 64-bit integers are strings ("version": "245"). */

/* The document `key` as this tablet sees it: the server's state with the
 * pending edits applied (a fieldsync.v1.Document). FS_NOT_FOUND if neither
 * the tablet nor the server's last sync knows it. */
char* fs_get(fs_replica* replica, const char* key, fs_error** err) FS_NOEXCEPT;

/* A JSON array of the reports (fieldsync.v1.Document) of catalogue model
 * `model_id`, for `period` ("2025", "2025-Q2"), in area `area_id`; NULL or
 * "" matches any. Pending edits applied, in key order. */
char* fs_list_reports(fs_replica* replica, const char* model_id,
                      const char* period, const char* area_id,
                      fs_error** err) FS_NOEXCEPT;

/* A JSON array of the catalogue models (fieldsync.v1.Model) the tablet holds
 * that pass `filter_json`, a fieldsync.v1.ListModelsRequest as JSON, e.g.
 *   {"search": "tan phu dong"}
 *   {"level": "MODEL_LEVEL_DISTRICT", "area_id": "tp-sa-dec"}
 * (NULL or "" for all). The search ignores case and diacritics unless
 * "match_diacritics" is true; paging fields are ignored. */
char* fs_list_models(fs_replica* replica, const char* filter_json,
                     fs_error** err) FS_NOEXCEPT;

/* A JSON array of the edits not yet answered by the server
 * (fieldsync.v1.Mutation), oldest first. Each field set carries, beside its
 * encoded "value", the value as text in "text". */
char* fs_outbox(fs_replica* replica, fs_error** err) FS_NOEXCEPT;

/* A JSON array of the notices about this device's edits
 * (fieldsync.v1.Notice: conflicts, rejections, amendments), oldest first;
 * "reason_code" is a fs_reason by its proto name
 * ("MUTATION_REASON_STATUS_TRANSITION"). */
char* fs_notices(fs_replica* replica, fs_error** err) FS_NOEXCEPT;

/* ----- Syncing ---------------------------------------------------------- */

/* Counts since fs_sync began; each only grows. A total of 0: not known. */
typedef struct fs_progress {
  int64_t pushed_documents;
  int64_t push_total_documents;
  int64_t pushed_bytes;
  int64_t push_total_bytes;
  int64_t pulled_documents;
  int64_t pulled_bytes;
  int attempt; /* 1 on the first try, then one more per retry */
  /* About how many documents the pull brings, as the server estimates it
     (never below pulled_documents); 0 until the first page. */
  int64_t pull_total_documents;
} fs_progress;

/* fieldsync.v1.NoticeKind's numbering. */
typedef enum fs_notice_kind {
  FS_NOTICE_CONFLICT = 1, /* the server kept someone else's value */
  FS_NOTICE_REJECTED = 2, /* the server refused the edit; see reason_code */
  FS_NOTICE_AMENDMENT = 3 /* the edit waits for review as an amendment */
} fs_notice_kind;

/* Why the server did not apply an edit as sent: fieldsync.v1.MutationReason's
 * numbering (proto/fieldsync/v1/sync.proto says what each means and what to
 * do). Test this, and show the user a text of the app's own for it in their
 * language; `reason` is the server's English, for logs. A code this header
 * does not list may come from a newer server: treat it as a refusal. */
typedef enum fs_reason {
  FS_REASON_UNSPECIFIED = 0,
  FS_REASON_OUT_OF_ORDER = 1,
  FS_REASON_SEQ_REUSED = 2,
  FS_REASON_REVIEW_QUEUE_FULL = 3,
  FS_REASON_REVIEW_ITEM_TOO_LARGE = 4,
  FS_REASON_INVALID_MUTATION = 10,
  FS_REASON_INVALID_VALUE = 11,
  FS_REASON_OUTSIDE_SCOPE = 12,
  FS_REASON_AUTHORITY = 13,
  FS_REASON_STATUS_TRANSITION = 14,
  FS_REASON_AREA_SUPERSEDED = 15,
  FS_REASON_UNKNOWN_BASE = 16,
  FS_REASON_DOCUMENT_DELETED = 17,
  FS_REASON_FIELD_CONFLICT = 18,
  FS_REASON_DELETE_CONFLICT = 19,
  FS_REASON_YEAR_LOCKED = 20,
  FS_REASON_REPORT_ACCEPTED = 21
} fs_reason;

/* One field of one of the officer's edits they should look at. The strings
 * live until the callback returns. */
typedef struct fs_notice {
  fs_notice_kind kind;
  const char* key;          /* "report/hoi-quan" */
  const char* path;         /* "results" */
  const char* local_value;  /* the officer's value, as text */
  const char* server_value; /* the value the server kept ("" when unset) */
  const char* reason;       /* the server's English, for logs */
  const char* author;
  uint64_t mutation_seq;
  int64_t device_time_micros;
  /* Why, as a code: a fs_reason (an int, as a newer server may send a code
   * this header does not list). */
  int reason_code;
} fs_notice;

typedef void (*fs_progress_fn)(const fs_progress* progress, void* user_data);
typedef void (*fs_notice_fn)(const fs_notice* notice, void* user_data);

/* What one fs_sync did. */
typedef struct fs_sync_summary {
  int pushed;    /* edits the server answered */
  int pulled;    /* documents received */
  int attempts;  /* 1 unless the link failed and was retried */
  int attention; /* answers a person should see (conflicts, rejections...) */
} fs_sync_summary;

/* Pushes the pending edits, then pulls what changed, on the calling thread,
 * retrying a failing link with backoff (up to 6 attempts). Safe to interrupt
 * and repeat. `on_progress` (after each answered batch and stored page) and
 * `on_notice` (once per new notice, at the end) may be NULL; both run on the
 * calling thread and get `user_data`. `summary` may be NULL. Returns 0 or
 * -1; FS_FAILED_PRECONDITION for an offline-only replica. */
int fs_sync(fs_replica* replica, fs_progress_fn on_progress,
            fs_notice_fn on_notice, void* user_data, fs_sync_summary* summary,
            fs_error** err) FS_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FIELDSYNC_FIELDSYNC_H_ */
