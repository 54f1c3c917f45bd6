// Pull pages built from stored bytes: the same message, checksum and
// version as the typed path.
#include "sync/pull_page.h"

#include <gtest/gtest.h>

#include "sync/deterministic.h"
#include "sync/tuning.h"
#include "sync/zstd_codec.h"
#include "tests/support/status_matchers.h"

namespace fieldsync {
namespace {

v1::Document Doc(const std::string& key, uint64_t version) {
  v1::Document doc;
  doc.set_key(key);
  doc.set_version(version);
  doc.add_scopes("province");
  // Several map entries: their order is what deterministic bytes fix.
  for (const char* path : {"results", "notes", "area_id", "period"}) {
    (*doc.mutable_field_versions())[path] = version;
    (*doc.mutable_field_authorities())[path] = v1::AUTHORITY_COMMUNE;
  }
  doc.mutable_report()->set_area_id("xa-tan-phu-dong");
  return doc;
}

TEST(PullPageTest, BuiltPageParsesWithItsChecksum) {
  PullPageBuilder builder;
  v1::PullResponse expected;
  for (uint64_t v : {3, 7, 300}) {
    v1::Document doc = Doc("report/r" + std::to_string(v), v);
    builder.AddDocument(DeterministicBytes(doc));
    *expected.add_documents() = doc;
  }
  EXPECT_EQ(builder.documents(), 3);
  const std::string cursor("\x00\x00\x00\x00\x00\x00\x01\x2c", 8);
  const std::string bytes = builder.Finish(cursor, true, true);

  v1::PullResponse page;
  ASSERT_TRUE(page.ParseFromString(bytes));
  ASSERT_EQ(page.documents_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(DeterministicBytes(page.documents(i)),
              DeterministicBytes(expected.documents(i)));
  }
  EXPECT_EQ(page.cursor(), cursor);
  EXPECT_TRUE(page.snapshot());
  EXPECT_TRUE(page.done());
  EXPECT_EQ(page.checksum(), PageChecksum(page));
  EXPECT_EQ(PageDocumentsChecksum(bytes), page.checksum());
}

TEST(PullPageTest, AnEmptyLastPage) {
  PullPageBuilder builder;
  const std::string bytes = builder.Finish("", false, true);
  v1::PullResponse page;
  ASSERT_TRUE(page.ParseFromString(bytes));
  EXPECT_EQ(page.documents_size(), 0);
  EXPECT_TRUE(page.done());
  EXPECT_FALSE(page.snapshot());
  EXPECT_EQ(page.checksum(), PageChecksum(page));
}

TEST(PullPageTest, DocumentVersionReadsTheWireBytes) {
  EXPECT_EQ(DocumentVersion(DeterministicBytes(Doc("report/a", 1234567))),
            1234567u);
  EXPECT_EQ(DocumentVersion(DeterministicBytes(v1::Document())), 0u);
  EXPECT_EQ(DocumentVersion("\x12"), std::nullopt);  // a cut varint
}

TEST(PullPageTest, ATamperedPageFailsItsChecksum) {
  PullPageBuilder builder;
  builder.AddDocument(DeterministicBytes(Doc("report/a", 5)));
  std::string bytes = builder.Finish("", false, true);
  v1::PullResponse page;
  ASSERT_TRUE(page.ParseFromString(bytes));
  const size_t at = bytes.find("xa-tan");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'y';
  EXPECT_NE(PageDocumentsChecksum(bytes), page.checksum());
  EXPECT_EQ(PageDocumentsChecksum("\x0a\x10"), std::nullopt);  // cut short
}

// The same documents, plain and zstd: after decoding, one message and one
// checksum.
TEST(PullPageTest, AZstdPageDecodesToThePlainPage) {
  PullPageBuilder plain_builder;
  PullPageBuilder zstd_builder;
  for (uint64_t v = 1; v <= 200; ++v) {
    const std::string bytes =
        DeterministicBytes(Doc("report/r" + std::to_string(v), v));
    plain_builder.AddDocument(bytes);
    zstd_builder.AddDocument(bytes);
  }
  const std::string cursor("\x00\x00\x00\x00\x00\x00\x00\xc8", 8);
  const std::string plain_bytes = plain_builder.Finish(cursor, true, false);
  absl::StatusOr<std::string> zstd_bytes = EncodePageDocuments(
      zstd_builder.Finish(cursor, true, false), v1::PAGE_ENCODING_ZSTD);
  ASSERT_OK(zstd_bytes);
  EXPECT_LT(zstd_bytes->size() * 4, plain_bytes.size());

  v1::PullResponse page;
  ASSERT_TRUE(page.ParseFromString(*zstd_bytes));
  EXPECT_EQ(page.documents_size(), 0);
  EXPECT_EQ(page.documents_encoding(), v1::PAGE_ENCODING_ZSTD);
  std::string decoded;
  ASSERT_OK(DecodePageDocuments(page, decoded));
  EXPECT_TRUE(page.encoded_documents().empty());
  EXPECT_EQ(PageDocumentsChecksum(decoded), page.checksum());

  v1::PullResponse expected;
  ASSERT_TRUE(expected.ParseFromString(plain_bytes));
  EXPECT_EQ(DeterministicBytes(page), DeterministicBytes(expected));
  EXPECT_EQ(page.checksum(), PageChecksum(expected));

  // A plain page is left alone.
  ASSERT_OK(DecodePageDocuments(expected, decoded));
  EXPECT_TRUE(decoded.empty());
  EXPECT_EQ(expected.documents_size(), 200);
}

TEST(PullPageTest, AnEmptyZstdPageIsPlain) {
  PullPageBuilder builder;
  absl::StatusOr<std::string> bytes = EncodePageDocuments(
      builder.Finish("", false, true), v1::PAGE_ENCODING_ZSTD);
  ASSERT_OK(bytes);
  v1::PullResponse page;
  ASSERT_TRUE(page.ParseFromString(*bytes));
  EXPECT_EQ(page.documents_encoding(), v1::PAGE_ENCODING_UNSPECIFIED);
  EXPECT_TRUE(page.done());
}

TEST(PullPageTest, BadEncodedDocumentsAreDataLoss) {
  PullPageBuilder builder;
  builder.AddDocument(DeterministicBytes(Doc("report/a", 5)));
  v1::PullResponse page;
  absl::StatusOr<std::string> bytes = EncodePageDocuments(
      builder.Finish("", false, true), v1::PAGE_ENCODING_ZSTD);
  ASSERT_OK(bytes);
  ASSERT_TRUE(page.ParseFromString(*bytes));
  std::string decoded;

  v1::PullResponse cut = page;
  cut.mutable_encoded_documents()->resize(page.encoded_documents().size() - 3);
  absl::Status s = DecodePageDocuments(cut, decoded);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;

  v1::PullResponse garbage = page;
  garbage.set_encoded_documents("not a zstd frame");
  s = DecodePageDocuments(garbage, decoded);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("zstd"), std::string::npos) << s;

  // A frame whose content is not documents.
  v1::PullResponse not_documents = page;
  std::string frame;
  ZstdCompress("\xff\xff\xff", 1, frame);
  not_documents.set_encoded_documents(frame);
  s = DecodePageDocuments(not_documents, decoded);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;

  // Plain documents beside a frame: one of them would be dropped.
  v1::PullResponse both = page;
  *both.add_documents() = Doc("report/b", 6);
  s = DecodePageDocuments(both, decoded);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;

  v1::PullResponse unknown = page;
  unknown.set_documents_encoding(static_cast<v1::PageEncoding>(9));
  s = DecodePageDocuments(unknown, decoded);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("encoding 9"), std::string::npos) << s;
}

// Only a page whose documents lead can be encoded, as Finish builds them.
TEST(PullPageTest, EncodingRefusesAPageWithDocumentsAfterOtherFields) {
  PullPageBuilder builder;
  builder.AddDocument(DeterministicBytes(Doc("report/a", 5)));
  std::string page = builder.Finish("", false, true);
  page += page;  // a document again after `checksum` and `done`
  absl::StatusOr<std::string> encoded =
      EncodePageDocuments(page, v1::PAGE_ENCODING_ZSTD);
  EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInternal)
      << encoded.status();
  EXPECT_EQ(
      EncodePageDocuments("\x0a\x10", v1::PAGE_ENCODING_ZSTD).status().code(),
      absl::StatusCode::kInternal);
  // Plain asks for nothing to be done.
  absl::StatusOr<std::string> plain =
      EncodePageDocuments(page, v1::PAGE_ENCODING_UNSPECIFIED);
  ASSERT_OK(plain);
  EXPECT_EQ(*plain, page);
}

TEST(ZstdCodecTest, RoundTripsAndRefusesOversizedContent) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "Mô hình hội quán nông dân; ";
  std::string frame = "prefix";  // appended to, not replaced
  ZstdCompress(text, tuning::kPageZstdLevelSmall, frame);
  ASSERT_EQ(frame.substr(0, 6), "prefix");
  frame.erase(0, 6);
  EXPECT_LT(frame.size(), text.size() / 10);

  std::string out = "old";
  ASSERT_OK(ZstdDecompress(frame, text.size(), out));
  EXPECT_EQ(out, text);

  absl::Status s = ZstdDecompress(frame, text.size() - 1, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_NE(s.message().find(std::to_string(text.size())), std::string::npos)
      << s;

  EXPECT_EQ(ZstdDecompress("", 100, out).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace fieldsync
