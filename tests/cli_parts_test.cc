// The CLI's text pieces: display width, tables, the message table, labels.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "client-sdk/cli/appendix_csv.h"
#include "client-sdk/cli/appendix_html.h"
#include "client-sdk/cli/display_width.h"
#include "client-sdk/cli/labels.h"
#include "client-sdk/cli/messages.h"
#include "client-sdk/cli/reason_text.h"
#include "client-sdk/cli/table.h"
#include "sync/error_info.h"

namespace fieldsync::cli {
namespace {

TEST(DisplayWidthTest, CountsColumnsNotBytes) {
  EXPECT_EQ(DisplayWidth("Đồng Tháp"), 9);
  EXPECT_EQ(DisplayWidth("Dong Thap"), 9);
  EXPECT_EQ(DisplayWidth("Ta\xcc\x82n"), 3);  // combining mark takes none
  EXPECT_EQ(DisplayWidth("漢字"), 4);
  EXPECT_EQ(DisplayWidth(""), 0);
}

TEST(DisplayWidthTest, TruncatesOnCharacterBoundaries) {
  EXPECT_EQ(TruncateToWidth("Tân Phú Đông", 6), "Tân P…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("Tân Phú Đông", 6)), 6);
  EXPECT_EQ(TruncateToWidth("Tân", 10), "Tân");
  EXPECT_EQ(TruncateToWidth("Tân Phú", 0), "Tân Phú");
}

TEST(DisplayWidthTest, PadsToColumns) {
  EXPECT_EQ(PadToWidth("Xã", 4), "Xã  ");
  EXPECT_EQ(OneLine("a\nb\n\nc"), "a b c");
}

TEST(TableTest, AlignsVietnameseByDisplayWidth) {
  Table table({"MÃ", "TÊN"});
  table.AddRow({"xa-tan-phu-dong", "Tân Phú Đông"});
  table.AddRow({"phuong-1", "Phường 1"});
  std::string rendered = table.Render();
  // The second column starts at the same display column on every line.
  std::vector<int> starts;
  size_t begin = 0;
  while (begin < rendered.size()) {
    size_t end = rendered.find('\n', begin);
    std::string line = rendered.substr(begin, end - begin);
    size_t gap = line.find("  ");
    while (gap != std::string::npos && line[gap + 2] == ' ') ++gap;
    starts.push_back(DisplayWidth(line.substr(0, gap + 2)));
    begin = end + 1;
  }
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_EQ(starts[0], starts[1]);
  EXPECT_EQ(starts[1], starts[2]);
}

TEST(TableTest, CutsTheLastColumnToTheWidth) {
  Table table({"ID", "NAME"});
  table.AddRow({"a", std::string(200, 'x')});
  std::string rendered = table.Render(40);
  size_t second = rendered.find('\n') + 1;
  EXPECT_EQ(DisplayWidth(rendered.substr(second, rendered.size() - second - 1)),
            40);
}

TEST(MessagesTest, EveryMessageInBothLanguages) {
  for (size_t i = 0; i < static_cast<size_t>(Msg::kCount); ++i) {
    EXPECT_FALSE(Text(static_cast<Msg>(i), Language::kEnglish).empty()) << i;
    EXPECT_FALSE(Text(static_cast<Msg>(i), Language::kVietnamese).empty()) << i;
  }
  EXPECT_EQ(Format(Msg::kModelsCount, Language::kVietnamese, 147),
            "147 mô hình");
}

TEST(MessagesTest, LanguageFollowsTheLocale) {
  setenv("LC_ALL", "", 1);
  setenv("LC_MESSAGES", "", 1);
  setenv("LANG", "vi_VN.UTF-8", 1);
  EXPECT_EQ(LanguageFromEnvironment(), Language::kVietnamese);
  setenv("LANG", "en_US.UTF-8", 1);
  EXPECT_EQ(LanguageFromEnvironment(), Language::kEnglish);
  setenv("LC_ALL", "vi_VN.UTF-8", 1);
  EXPECT_EQ(LanguageFromEnvironment(), Language::kVietnamese);
  unsetenv("LC_ALL");
  unsetenv("LANG");
  EXPECT_EQ(LanguageFromEnvironment(), Language::kEnglish);
}

// Every code the server sends has a text in the table: a rejection is shown
// from its code, never from the server's English.
TEST(ReasonTextTest, EveryCodeHasATextInBothLanguages) {
  const google::protobuf::EnumDescriptor* codes =
      v1::MutationReason_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) {
    const auto code =
        static_cast<v1::MutationReason>(codes->value(i)->number());
    std::optional<std::string> en = ReasonText(code, Language::kEnglish);
    if (code == v1::MUTATION_REASON_UNSPECIFIED) {
      EXPECT_FALSE(en.has_value());
      continue;
    }
    EXPECT_TRUE(en.has_value()) << codes->value(i)->name();
    EXPECT_NE(ReasonText(code, Language::kVietnamese), en)
        << codes->value(i)->name();
  }
  for (std::string_view name :
       {reason::kSecretMissing, reason::kSecretInvalid, reason::kDeviceRevoked,
        reason::kSecretReplaced, reason::kDevelopmentSecret,
        reason::kCertificateMismatch, reason::kAuthThrottled,
        std::string_view("NOT_FOUND"), std::string_view("INVALID_ARGUMENT"),
        std::string_view("PERMISSION_DENIED")}) {
    EXPECT_TRUE(ReasonMessage(name).has_value()) << name;
  }
  EXPECT_EQ(ReasonText(v1::MUTATION_REASON_YEAR_LOCKED, Language::kVietnamese),
            "năm đã khóa sổ; thay đổi chờ xem xét dưới dạng điều chỉnh");
}

TEST(ReasonTextTest, ACallsReasonWithItsMetadata) {
  google::rpc::ErrorInfo info;
  info.set_domain("fieldsync.v1");
  info.set_reason("AUTH_THROTTLED");
  (*info.mutable_metadata())["retry_after_seconds"] = "42";
  EXPECT_EQ(ReasonText(info, Language::kVietnamese),
            "nhập sai khóa bí mật quá nhiều lần; hãy thử lại sau 42 giây");
  info.set_reason("DEVICE_REVOKED");
  EXPECT_EQ(ReasonText(info, Language::kEnglish),
            "this device was revoked; ask a province admin to enrol it again");
  // A newer server's reason, or another service's: the CLI says what the
  // server said instead.
  info.set_reason("SOMETHING_NEW");
  EXPECT_FALSE(ReasonText(info, Language::kEnglish).has_value());
  info.set_reason("NOT_FOUND");
  info.set_domain("example.com");
  EXPECT_FALSE(ReasonText(info, Language::kEnglish).has_value());
}

TEST(LabelsTest, ParsesOptionKeywords) {
  EXPECT_EQ(ParseLevel("district"), v1::MODEL_LEVEL_DISTRICT);
  EXPECT_EQ(ParseLevel("tinh"), v1::MODEL_LEVEL_PROVINCE);
  EXPECT_EQ(ParseLevel("commune"), std::nullopt);
  EXPECT_EQ(ParseStatus("paused"), v1::MODEL_STATUS_PAUSED);
  EXPECT_EQ(ParseStatus("done"), std::nullopt);
  EXPECT_EQ(StatusLabel(v1::MODEL_STATUS_PAUSED, Language::kVietnamese),
            "tạm ngưng");
}

// A detailed table with one section and a row whose cells need quoting and
// escaping, as ExportAppendix answers.
v1::ExportAppendixResponse SampleAppendix() {
  v1::ExportAppendixResponse r;
  r.set_year(2021);
  r.set_area_name("Tỉnh Đồng Tháp");
  v1::AppendixTable& table = *r.add_tables();
  table.set_appendix("VI");
  table.set_kind(v1::APPENDIX_KIND_DETAILED);
  table.add_title_lines("PHỤ LỤC VI");
  v1::AppendixSection& section = *table.add_sections();
  section.set_roman("II");
  section.set_title("Thành phố Sa Đéc");
  v1::AppendixRow& row = *r.add_rows();
  row.set_appendix("VI");
  row.set_section("II");
  row.set_stt("5");
  row.set_model_id("huyen-tp-sa-dec-05");
  row.set_name("Mô hình “Hội quán” <b>\"A & B\"</b>");
  row.set_results("- dòng một\n- dòng hai");
  v1::AppendixFigure& figure = *row.add_figures();
  figure.set_indicator("members");
  figure.set_unit("hội viên");
  figure.mutable_accepted()->set_reports(6);
  figure.mutable_accepted()->set_summed(true);
  figure.mutable_accepted()->set_sum(1629);
  return r;
}

TEST(AppendixCsvTest, BomCrlfAndEveryFieldQuoted) {
  const std::string csv = AppendixCsv(SampleAppendix());
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF\"Phụ lục\",\"Mục\",\"Tên mục\",\"STT\"", 0),
            0u)
      << csv.substr(0, 80);
  const std::string row = csv.substr(csv.find("\r\n") + 2);
  EXPECT_EQ(row.rfind("\"VI\",\"II\",\"Thành phố Sa Đéc\",\"5\",\"Mô hình "
                      "“Hội quán” <b>\"\"A & B\"\"</b>\",\"\",\"\",\"- dòng "
                      "một\n- dòng hai\",",
                      0),
            0u)
      << row;
  EXPECT_NE(row.find("\"members: 1.629 hội viên (đã duyệt, 6 báo cáo)\""),
            std::string::npos)
      << row;
  EXPECT_EQ(row.substr(row.size() - 22), "\"huyen-tp-sa-dec-05\"\r\n");
}

TEST(AppendixHtmlTest, EscapedAndPrintsOnA4Landscape) {
  const std::string html = AppendixHtml(SampleAppendix());
  for (const char* part :
       {"<meta charset=\"utf-8\">", "<html lang=\"vi\">",
        "@page { size: A4 landscape;", "thead { display: table-header-group; }",
        "<style media=\"print\">", "<div>PHỤ LỤC VI</div>",
        "<th>Tên mô hình</th>", "<th>Số liệu báo cáo năm 2021</th>",
        "Mô hình “Hội quán” &lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt;",
        "- dòng một<br>- dòng hai", "Thành phố Sa Đéc</td>"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(html.find("<b>"), std::string::npos);
}

}  // namespace
}  // namespace fieldsync::cli
