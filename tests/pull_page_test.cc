// Pull pages built from stored bytes: the same message, checksum and
// version as the typed path.
#include "sync/pull_page.h"

#include <gtest/gtest.h>

#include "sync/deterministic.h"

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

}  // namespace
}  // namespace fieldsync
