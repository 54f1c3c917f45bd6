#include "client-sdk/cli/qr_code.h"

#include <qrencode.h>

#include <memory>

namespace fieldsync::cli {
namespace {

// The quiet zone scanners need around the code, in modules.
constexpr int kQuietZone = 2;

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

absl::StatusOr<std::string> RenderQrCode(const std::string& text) {
  std::unique_ptr<QRcode, QrFree> code(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (code == nullptr) return absl::InternalError("cannot encode a QR code");
  const int width = code->width;
  // A module is "on" (dark) when bit 0 of its byte is set.
  auto dark = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= width || y >= width) return false;
    return (code->data[y * width + x] & 1) != 0;
  };
  // Terminals are dark: print dark modules as spaces and light ones as
  // blocks, so the code reads as dark-on-light to a camera.
  std::string out;
  for (int y = -kQuietZone; y < width + kQuietZone; y += 2) {
    for (int x = -kQuietZone; x < width + kQuietZone; ++x) {
      const bool top = !dark(x, y), bottom = !dark(x, y + 1);
      out += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
    }
    out += '\n';
  }
  return out;
}

}  // namespace fieldsync::cli
