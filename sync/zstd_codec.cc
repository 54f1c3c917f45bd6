#include "sync/zstd_codec.h"

#include <zstd.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace fieldsync {
namespace {

// Contexts are reused per thread: creating one costs about as much as
// compressing a small page.
struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  return cctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  return dctx.get();
}

}  // namespace

void ZstdCompress(std::string_view bytes, int level, std::string& out) {
  const size_t start = out.size();
  out.resize(start + ZSTD_compressBound(bytes.size()));
  const size_t written =
      ZSTD_compressCCtx(ThreadCCtx(), out.data() + start, out.size() - start,
                        bytes.data(), bytes.size(), level);
  // Only a destination smaller than the bound can fail, or an allocation.
  if (ZSTD_isError(written)) abort();
  out.resize(start + written);
}

absl::Status ZstdDecompress(std::string_view frame, size_t max_bytes,
                            std::string& out) {
  const unsigned long long size =
      ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return absl::DataLossError(
        "a zstd frame is malformed or does not record its size");
  }
  if (size > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("a zstd frame holds ", size, " bytes; at most ", max_bytes,
                     " are accepted"));
  }
  out.resize(size);
  const size_t got = ZSTD_decompressDCtx(ThreadDCtx(), out.data(), out.size(),
                                         frame.data(), frame.size());
  if (ZSTD_isError(got) || got != size) {
    out.clear();
    return absl::DataLossError(absl::StrCat(
        "a zstd frame does not decompress: ",
        ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short content"));
  }
  return absl::OkStatus();
}

}  // namespace fieldsync
