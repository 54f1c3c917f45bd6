// A QR code of a text, drawn with Unicode half blocks so a tablet's camera
// can read an enrolment secret off the admin's terminal (as ODK shows App
// User QR codes). Two rows of modules per line, with the quiet zone.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_QR_CODE_H_
#define FIELDSYNC_CLIENT_SDK_CLI_QR_CODE_H_

#include <string>

#include "absl/status/statusor.h"

namespace fieldsync::cli {

// The QR code of `text` (error correction M), dark modules drawn light on a
// dark terminal background so it scans from the screen.
absl::StatusOr<std::string> RenderQrCode(const std::string& text);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_QR_CODE_H_
