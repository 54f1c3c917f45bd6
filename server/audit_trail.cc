#include "server/audit_trail.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/page_token.h"
#include "sync/field_error.h"
#include "sync/keys.h"

namespace fieldsync::server {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

absl::Status CheckRequest(const v1::ListAuditEventsRequest& request,
                          const AreaTree& areas) {
  if (request.since_micros() < 0) {
    return InvalidFieldError("since_micros", "is negative");
  }
  if (request.until_micros() < 0) {
    return InvalidFieldError("until_micros", "is negative");
  }
  if (request.until_micros() != 0 &&
      request.since_micros() > request.until_micros()) {
    return InvalidFieldError(
        "since_micros",
        absl::StrCat(request.since_micros(), " is after until_micros ",
                     request.until_micros()));
  }
  if (!request.area_id().empty() && areas.Find(request.area_id()) == nullptr) {
    return FieldError(absl::StatusCode::kNotFound, "area_id",
                      absl::StrCat("no area \"", request.area_id(), "\""));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ListAuditEventsResponse> AuditTrail::List(
    const v1::ListAuditEventsRequest& request) const {
  absl::StatusOr<int> page_size =
      PageSizeOf(request.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<PageStart> start = PageStartOf(request);
  if (!start.ok()) return start.status();
  const std::shared_ptr<const AreaTree> areas = replica_->areas();
  if (absl::Status s = CheckRequest(request, *areas); !s.ok()) return s;

  // The first page starts at `since`; a later one just after the last key
  // the page before it read.
  std::string from;
  if (!start->after.empty()) {
    // Keys are bytes; the token's string field carries them in hex.
    if (start->after.size() % 2 != 0 ||
        start->after.find_first_not_of("0123456789abcdef") !=
            std::string::npos) {
      return InvalidFieldError("page_token", "is not a token of this list");
    }
    from = absl::HexStringToBytes(start->after);
    from.push_back('\0');
  } else if (request.since_micros() > 0) {
    from = SequenceKey(static_cast<uint64_t>(request.since_micros()));
  }
  v1::ListAuditEventsResponse out;
  size_t read = 0;
  std::string last;
  bool more = false;
  absl::Status scanned = store_->ScanAuditFrom(
      from, [&](std::string_view key, const v1::AuditEvent& event) {
        if (request.until_micros() != 0 &&
            event.time_micros() >= request.until_micros()) {
          return false;  // the trail is in time order: nothing later fits
        }
        if (out.events_size() == *page_size || read == kAuditScanLimit) {
          more = true;
          return false;
        }
        ++read;
        last = std::string(key);
        if (!request.device_id().empty() &&
            event.actor_device_id() != request.device_id()) {
          return true;
        }
        if (!request.kind().empty() && event.kind() != request.kind()) {
          return true;
        }
        if (!request.area_id().empty()) {
          const std::optional<v1::Device> actor =
              registry_->Find(event.actor_device_id());
          if (!actor.has_value() ||
              !areas->IsWithin(actor->area_id(), request.area_id())) {
            return true;
          }
        }
        *out.add_events() = event;
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (more) {
    out.set_next_page_token(
        NextPageToken(*start, absl::BytesToHexString(last)));
  }
  return out;
}

}  // namespace fieldsync::server
