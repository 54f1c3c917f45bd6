#include "client-sdk/cli/messages.h"

#include <array>
#include <cstdlib>

namespace fieldsync::cli {
namespace {

struct MessageText {
  Msg id;
  std::string_view en;
  std::string_view vi;
};

// The one message table. Keep it in enum order (a static_assert checks).
constexpr std::array<MessageText, static_cast<std::size_t>(Msg::kCount)>
    kMessages = {{
        {Msg::kAppDescription,
         "fieldsync: the FieldSync command line. Officers write reports on "
         "the tablet offline and sync them; everyone reads the catalogue of "
         "development models and the areas; admins enrol devices.",
         "fieldsync: công cụ dòng lệnh FieldSync. Cán bộ viết báo cáo trên "
         "máy tính bảng khi không có mạng rồi đồng bộ; mọi người xem danh mục "
         "mô hình phát triển và địa bàn; quản trị viên đăng ký thiết bị."},
        {Msg::kOptServer, "server address HOST:PORT",
         "địa chỉ máy chủ HOST:PORT"},
        {Msg::kOptJson, "print JSON for scripts instead of a table",
         "in JSON cho script thay vì bảng"},
        {Msg::kCmdModels, "the catalogue of models", "danh mục mô hình"},
        {Msg::kCmdModelsList,
         "list every model matching the filters (all pages)",
         "liệt kê mọi mô hình khớp bộ lọc (tất cả các trang)"},
        {Msg::kOptLevel, "only models of this level: province or district",
         "chỉ mô hình cấp này: province (tỉnh) hoặc district (huyện)"},
        {Msg::kOptArea,
         "only models owned by this area or an area under it (an id from "
         "`fieldsync areas`)",
         "chỉ mô hình do địa bàn này hoặc địa bàn trực thuộc quản lý (mã "
         "trong `fieldsync areas`)"},
        {Msg::kOptSector,
         "only provincial models of this sector (an id from `fieldsync "
         "sectors`)",
         "chỉ mô hình cấp tỉnh thuộc lĩnh vực này (mã trong `fieldsync "
         "sectors`)"},
        {Msg::kOptStatus,
         "only models in this status: continuing, new, planned, paused, "
         "archived",
         "chỉ mô hình ở trạng thái này: continuing (tiếp tục), new (mới), "
         "planned (dự kiến), paused (tạm ngưng), archived (lưu trữ)"},
        {Msg::kOptSearch,
         "text to find in names and content; diacritics are ignored, so "
         "\"tan phu dong\" finds \"Tân Phú Đông\"",
         "từ cần tìm trong tên và nội dung; không phân biệt dấu, \"tan phu "
         "dong\" tìm được \"Tân Phú Đông\""},
        {Msg::kOptMatchDiacritics, "make --search respect diacritics",
         "tìm --search có phân biệt dấu"},
        {Msg::kCmdModelsShow, "show one model in full",
         "xem đầy đủ một mô hình"},
        {Msg::kArgModelId, "the model's id, e.g. huyen-tp-sa-dec-05",
         "mã mô hình, ví dụ huyen-tp-sa-dec-05"},
        {Msg::kCmdAreas, "the area hierarchy as a tree",
         "cây địa bàn hành chính"},
        {Msg::kOptRoot, "only this area and the areas under it",
         "chỉ địa bàn này và các địa bàn trực thuộc"},
        {Msg::kOptAsOf, "the hierarchy as it stood on this date (YYYY-MM-DD)",
         "cây địa bàn tại ngày này (YYYY-MM-DD)"},
        {Msg::kCmdSectors, "the sectors of provincial models",
         "các lĩnh vực của mô hình cấp tỉnh"},
        {Msg::kCmdHealth, "check that the server answers",
         "kiểm tra máy chủ có hoạt động không"},
        {Msg::kOptSecretFile,
         "file holding this device's secret (default: $FIELDSYNC_SECRET_FILE)",
         "tệp chứa khóa bí mật của thiết bị (mặc định: "
         "$FIELDSYNC_SECRET_FILE)"},
        {Msg::kOptTlsCa,
         "PEM file of the CA that signed the server's certificate: use TLS "
         "(default: $FIELDSYNC_TLS_CA)",
         "tệp PEM của CA đã ký chứng chỉ máy chủ: dùng TLS (mặc định: "
         "$FIELDSYNC_TLS_CA)"},
        {Msg::kOptTlsCert,
         "PEM certificate of this client, for servers that require one",
         "chứng chỉ PEM của máy khách, cho máy chủ yêu cầu chứng chỉ"},
        {Msg::kOptTlsKey, "PEM private key of --tls-cert",
         "khóa riêng PEM của --tls-cert"},
        {Msg::kCmdAdmin, "administration, for province admins",
         "quản trị, dành cho quản trị viên tỉnh"},
        {Msg::kCmdDevices, "enrolled devices and people",
         "thiết bị và người dùng đã đăng ký"},
        {Msg::kCmdDevicesEnroll,
         "enrol a device or person; prints its secret once",
         "đăng ký thiết bị hoặc người dùng; in khóa bí mật một lần duy nhất"},
        {Msg::kCmdDevicesList, "list enrolled devices",
         "liệt kê thiết bị đã đăng ký"},
        {Msg::kCmdDevicesRevoke, "revoke a device: its next call is refused",
         "thu hồi thiết bị: lần gọi tiếp theo sẽ bị từ chối"},
        {Msg::kCmdDevicesRotate,
         "give a device a new secret; the old one stops working at once",
         "cấp khóa bí mật mới cho thiết bị; khóa cũ hết hiệu lực ngay"},
        {Msg::kOptRole,
         "commune_officer, district_officer, province_admin or auditor",
         "commune_officer (cán bộ xã), district_officer (cán bộ huyện), "
         "province_admin (quản trị tỉnh) hoặc auditor (kiểm tra viên)"},
        {Msg::kOptDeviceArea,
         "the area the role applies to, e.g. xa-tan-phu-dong",
         "địa bàn của vai trò, ví dụ xa-tan-phu-dong"},
        {Msg::kOptDeviceName, "who or what the device is",
         "tên người dùng hoặc thiết bị"},
        {Msg::kArgDeviceId, "the device's id, e.g. dev-0a1b2c3d4e5f",
         "mã thiết bị, ví dụ dev-0a1b2c3d4e5f"},
        {Msg::kColRole, "ROLE", "VAI TRÒ"},
        {Msg::kColArea, "AREA", "ĐỊA BÀN"},
        {Msg::kColState, "STATE", "TÌNH TRẠNG"},
        {Msg::kStateActive, "active", "đang hoạt động"},
        {Msg::kStateRevoked, "revoked", "đã thu hồi"},
        {Msg::kRoleCommune, "commune officer", "cán bộ xã"},
        {Msg::kRoleDistrict, "district officer", "cán bộ huyện"},
        {Msg::kRoleProvince, "province admin", "quản trị tỉnh"},
        {Msg::kRoleAuditor, "auditor", "kiểm tra viên"},
        {Msg::kDeviceEnrolled, "Enrolled $0: $1 for $2.",
         "Đã đăng ký $0: $1 tại $2."},
        {Msg::kSecretShownOnce,
         "Secret (shown only now; give it to the device and keep it safe):",
         "Khóa bí mật (chỉ hiện lần này; trao cho thiết bị và giữ an toàn):"},
        {Msg::kDeviceRevoked, "Revoked $0.", "Đã thu hồi $0."},
        {Msg::kDevicesCount, "$0 devices", "$0 thiết bị"},
        {Msg::kSecretAsQr,
         "The same secret as a QR code, for the tablet's camera:",
         "Khóa bí mật dạng mã QR, để máy tính bảng quét:"},
        {Msg::kSecretRotated, "New secret for $0; the old one no longer works.",
         "Khóa bí mật mới của $0; khóa cũ không còn dùng được."},
        {Msg::kColId, "ID", "MÃ"},
        {Msg::kColLevel, "LEVEL", "CẤP"},
        {Msg::kColStatus, "STATUS", "TRẠNG THÁI"},
        {Msg::kColOwner, "AREA / SECTOR", "ĐỊA BÀN / LĨNH VỰC"},
        {Msg::kColName, "NAME", "TÊN"},
        {Msg::kColType, "TYPE", "LOẠI"},
        {Msg::kColBlock, "BLOCK", "KHỐI"},
        {Msg::kColTitle, "TITLE", "TÊN LĨNH VỰC"},
        {Msg::kLevelProvince, "province", "tỉnh"},
        {Msg::kLevelDistrict, "district", "huyện"},
        {Msg::kStatusUnspecified, "unspecified", "không ghi"},
        {Msg::kStatusContinuing, "continuing", "tiếp tục"},
        {Msg::kStatusNew, "new", "mới"},
        {Msg::kStatusPlanned, "planned", "dự kiến"},
        {Msg::kStatusPaused, "paused", "tạm ngưng"},
        {Msg::kStatusArchived, "archived", "lưu trữ"},
        {Msg::kKindModel, "model", "mô hình"},
        {Msg::kKindGroup, "group of sub-models", "nhóm mô hình"},
        {Msg::kKindSubModel, "sub-model", "mô hình con"},
        {Msg::kModelsCount, "$0 models", "$0 mô hình"},
        {Msg::kAreasCount, "$0 areas", "$0 địa bàn"},
        {Msg::kSectorsCount, "$0 sectors", "$0 lĩnh vực"},
        {Msg::kNoModels, "No model matches.", "Không có mô hình nào khớp."},
        {Msg::kFieldName, "Name", "Tên mô hình"},
        {Msg::kFieldKind, "Kind", "Loại"},
        {Msg::kFieldGroup, "Group", "Thuộc nhóm"},
        {Msg::kFieldOwner, "Owner area", "Địa bàn quản lý"},
        {Msg::kFieldSector, "Sector", "Lĩnh vực"},
        {Msg::kFieldImplementer, "Implementer", "Đơn vị thực hiện"},
        {Msg::kFieldContext, "Context", "Bối cảnh xây dựng mô hình"},
        {Msg::kFieldResults, "Results", "Kết quả nổi bật"},
        {Msg::kFieldIssues, "Issues raised", "Những vấn đề đặt ra"},
        {Msg::kFieldPlan, "Plan 2021–2025", "Phương án thực hiện 2021–2025"},
        {Msg::kFieldRecommendation, "Recommendation",
         "Kiến nghị đối với UBND Tỉnh"},
        {Msg::kFieldAppendices, "Appendices", "Phụ lục"},
        {Msg::kFieldAreaRefs, "Areas named", "Địa bàn được nhắc đến"},
        {Msg::kFieldVersion, "Version", "Phiên bản"},
        {Msg::kEmptyCell, "(empty in the source)",
         "(để trống trong báo cáo gốc)"},
        {Msg::kHealthServing, "Server $0 is serving.",
         "Máy chủ $0 đang hoạt động."},
        {Msg::kHealthNotServing, "Server $0 answers but is not serving ($1).",
         "Máy chủ $0 có trả lời nhưng chưa phục vụ ($1)."},
        {Msg::kErrorPrefix, "error", "lỗi"},
        {Msg::kErrUnreachable,
         "cannot reach the server at $0 ($1). Is fieldsync-server running? "
         "Pass its address with --server HOST:PORT.",
         "không kết nối được máy chủ $0 ($1). fieldsync-server đã chạy chưa? "
         "Chỉ định địa chỉ bằng --server HOST:PORT."},
        {Msg::kErrServerRejected, "the server refused the request: $0",
         "máy chủ từ chối yêu cầu: $0"},
        {Msg::kErrRequestRefused,
         "the server refused the request:", "máy chủ từ chối yêu cầu:"},
        {Msg::kErrFieldViolation, "field $0: $1", "trường $0: $1"},
        {Msg::kErrBadChoice, "option $0: \"$1\" is not one of: $2",
         "tùy chọn $0: \"$1\" không thuộc: $2"},
        {Msg::kErrNotUtf8, "option $0: the value is not valid UTF-8 text",
         "tùy chọn $0: giá trị không phải văn bản UTF-8 hợp lệ"},
        {Msg::kErrNeedSecret,
         "no secret: pass --secret-file PATH or set FIELDSYNC_SECRET_FILE "
         "(the first admin's secret is the file admin-secret in the "
         "server's data directory)",
         "chưa có khóa bí mật: dùng --secret-file PATH hoặc đặt "
         "FIELDSYNC_SECRET_FILE (khóa của quản trị viên đầu tiên là tệp "
         "admin-secret trong thư mục dữ liệu của máy chủ)"},
        {Msg::kCmdLogin,
         "log this tablet in with the secret given at enrolment",
         "đăng nhập máy tính bảng bằng khóa bí mật được cấp khi đăng ký"},
        {Msg::kOptSecret, "the enrolment secret (or --secret-file FILE)",
         "khóa bí mật khi đăng ký (hoặc --secret-file TỆP)"},
        {Msg::kOptDataDir,
         "the tablet's folder (default: $FIELDSYNC_HOME, else ~/.fieldsync)",
         "thư mục của máy tính bảng (mặc định: $FIELDSYNC_HOME, nếu không có "
         "thì ~/.fieldsync)"},
        {Msg::kCmdReport, "field reports of your commune, kept on this tablet",
         "báo cáo của xã, lưu trên máy tính bảng"},
        {Msg::kCmdReportNew,
         "write a new report: saved on the tablet at once, sent on the next "
         "sync",
         "tạo báo cáo mới: lưu ngay trên máy, gửi ở lần đồng bộ tiếp theo"},
        {Msg::kCmdReportEdit, "change a report", "sửa một báo cáo"},
        {Msg::kCmdReportList, "list the reports on this tablet",
         "liệt kê báo cáo trên máy tính bảng"},
        {Msg::kCmdReportShow, "show one report in full",
         "xem đầy đủ một báo cáo"},
        {Msg::kOptModel,
         "the model reported on (an id from `fieldsync models list`)",
         "mô hình được báo cáo (mã trong `fieldsync models list`)"},
        {Msg::kOptPeriod,
         "the period: a year (2025) or a month (2025-06), not in the future",
         "kỳ báo cáo: năm (2025) hoặc tháng (2025-06), không được ở tương lai"},
        {Msg::kOptSet,
         "an indicator, CODE=NUMBER, e.g. members=59 (repeatable)",
         "chỉ tiêu, MÃ=SỐ, ví dụ members=59 (dùng được nhiều lần)"},
        {Msg::kOptResults, "results achieved", "kết quả đạt được"},
        {Msg::kOptDifficulties, "difficulties met", "khó khăn, vướng mắc"},
        {Msg::kOptProposals, "proposals", "đề xuất, kiến nghị"},
        {Msg::kOptReportId, "the report's id (default: COMMUNE.MODEL.PERIOD)",
         "mã báo cáo (mặc định: XÃ.MÔ-HÌNH.KỲ)"},
        {Msg::kOptReportStatus, "draft or submitted",
         "draft (nháp) hoặc submitted (đã nộp)"},
        {Msg::kOptAuthor, "who writes (default: the name given at enrolment)",
         "người viết (mặc định: tên khi đăng ký)"},
        {Msg::kOptReportModelFilter, "only reports on this model",
         "chỉ báo cáo của mô hình này"},
        {Msg::kOptReportPeriodFilter, "only reports of this period",
         "chỉ báo cáo của kỳ này"},
        {Msg::kArgReportId, "the report's id (see `fieldsync report list`)",
         "mã báo cáo (xem `fieldsync report list`)"},
        {Msg::kCmdSync,
         "send the edits waiting on this tablet, then receive what changed",
         "gửi các thay đổi đang chờ trên máy, rồi nhận những gì đã thay đổi"},
        {Msg::kOptMaxAttempts, "attempts before giving up on a failing link",
         "số lần thử trước khi bỏ cuộc khi đường truyền lỗi"},
        {Msg::kCmdOutbox, "edits waiting to be sent",
         "các thay đổi đang chờ gửi"},
        {Msg::kCmdConflicts, "your edits the server did not take as they were",
         "các thay đổi của bạn mà máy chủ không nhận nguyên vẹn"},
        {Msg::kCmdReview,
         "the review queue of your scope (district officers, province admins, "
         "auditors)",
         "hàng chờ xem xét trong phạm vi của bạn (cán bộ huyện, quản trị tỉnh, "
         "kiểm tra viên)"},
        {Msg::kCmdReviewList,
         "list conflicts, amendments and deletes waiting for a decision",
         "liệt kê xung đột, điều chỉnh và yêu cầu xóa đang chờ quyết định"},
        {Msg::kLoggedIn,
         "Logged in as $0 ($1, $2). Run `fieldsync sync` to fetch the "
         "catalogue.",
         "Đã đăng nhập: $0 ($1, $2). Chạy `fieldsync sync` để tải danh mục."},
        {Msg::kReportSaved,
         "Saved report $0 on this tablet; $1 edit(s) waiting to be sent.",
         "Đã lưu báo cáo $0 trên máy; $1 thay đổi đang chờ gửi."},
        {Msg::kReportsCount, "$0 reports", "$0 báo cáo"},
        {Msg::kOutboxCount, "$0 edits waiting to be sent",
         "$0 thay đổi đang chờ gửi"},
        {Msg::kNoticesCount, "$0 of your edits need a look",
         "$0 thay đổi của bạn cần xem lại"},
        {Msg::kSyncDone, "Sent $0 edit(s), received $1 document(s).",
         "Đã gửi $0 thay đổi, đã nhận $1 tài liệu."},
        {Msg::kSyncNotices,
         "$0 of your edits need a look: run `fieldsync conflicts`.",
         "$0 thay đổi của bạn cần xem lại: chạy `fieldsync conflicts`."},
        {Msg::kProgress, "sending $0/$1 · receiving $2 documents ($3 KB)",
         "đang gửi $0/$1 · đang nhận $2 tài liệu ($3 KB)"},
        {Msg::kReviewCount, "$0 items waiting for review",
         "$0 mục đang chờ xem xét"},
        {Msg::kColModel, "MODEL", "MÔ HÌNH"},
        {Msg::kColPeriod, "PERIOD", "KỲ"},
        {Msg::kColIndicators, "INDICATORS", "CHỈ TIÊU"},
        {Msg::kColPending, "WAITING", "CHỜ GỬI"},
        {Msg::kColSeq, "NO.", "SỐ"},
        {Msg::kColDocument, "DOCUMENT", "TÀI LIỆU"},
        {Msg::kColFields, "FIELDS", "TRƯỜNG"},
        {Msg::kColAuthor, "AUTHOR", "NGƯỜI VIẾT"},
        {Msg::kColKind, "KIND", "LOẠI"},
        {Msg::kColField, "FIELD", "TRƯỜNG"},
        {Msg::kColMine, "YOUR VALUE", "GIÁ TRỊ CỦA BẠN"},
        {Msg::kColServer, "SERVER'S VALUE", "GIÁ TRỊ TRÊN MÁY CHỦ"},
        {Msg::kColReason, "REASON", "LÝ DO"},
        {Msg::kColBase, "BEFORE", "TRƯỚC ĐÓ"},
        {Msg::kColKept, "KEPT", "ĐANG DÙNG"},
        {Msg::kColWaiting, "WAITING FOR REVIEW", "CHỜ XEM XÉT"},
        {Msg::kNoticeConflict, "conflict", "xung đột"},
        {Msg::kNoticeRejected, "refused", "bị từ chối"},
        {Msg::kNoticeAmendment, "amendment", "điều chỉnh"},
        {Msg::kConflictDelete, "delete met an edit", "xóa gặp chỉnh sửa"},
        {Msg::kReportDraft, "draft", "nháp"},
        {Msg::kReportSubmitted, "submitted", "đã nộp"},
        {Msg::kReportAccepted, "accepted", "đã duyệt"},
        {Msg::kReportReturned, "returned", "trả lại"},
        {Msg::kYes, "yes", "có"},
        {Msg::kFieldReportModel, "Model", "Mô hình"},
        {Msg::kFieldArea, "Area", "Địa bàn"},
        {Msg::kFieldPeriod, "Period", "Kỳ báo cáo"},
        {Msg::kFieldStatus, "Status", "Trạng thái"},
        {Msg::kFieldDifficulties, "Difficulties", "Khó khăn"},
        {Msg::kFieldProposals, "Proposals", "Đề xuất"},
        {Msg::kFieldReviewComment, "Review comment", "Ý kiến xem xét"},
        {Msg::kFieldIndicators, "Indicators", "Chỉ tiêu"},
        {Msg::kFieldPending, "Waiting to be sent", "Chờ gửi"},
        {Msg::kErrUnknownModel,
         "option --model: no model \"$0\" in this tablet's catalogue (run "
         "`fieldsync sync` to update it)",
         "tùy chọn --model: không có mô hình \"$0\" trong danh mục trên máy "
         "(chạy `fieldsync sync` để cập nhật)"},
        {Msg::kErrBadPeriod,
         "option $0: \"$1\" is not a period: write a year (2025) or a month "
         "(2025-06)",
         "tùy chọn $0: \"$1\" không phải kỳ báo cáo: ghi năm (2025) hoặc tháng "
         "(2025-06)"},
        {Msg::kErrFuturePeriod, "option $0: \"$1\" is in the future",
         "tùy chọn $0: \"$1\" là kỳ trong tương lai"},
        {Msg::kErrBadAssignment,
         "option $0: \"$1\" is not CODE=NUMBER (e.g. members=59)",
         "tùy chọn $0: \"$1\" không có dạng MÃ=SỐ (ví dụ members=59)"},
        {Msg::kErrNotNumber, "option $0: \"$1\" is not a number",
         "tùy chọn $0: \"$1\" không phải là số"},
        {Msg::kErrNothingToChange,
         "nothing to change: give --set, --results, --difficulties, "
         "--proposals or --status",
         "không có gì để sửa: hãy dùng --set, --results, --difficulties, "
         "--proposals hoặc --status"},
        {Msg::kErrReportExists,
         "report \"$0\" already exists on this tablet: use `fieldsync report "
         "edit $0`",
         "báo cáo \"$0\" đã có trên máy: dùng `fieldsync report edit $0`"},
        {Msg::kErrNoReport,
         "no report \"$0\" on this tablet (see `fieldsync report list`)",
         "không có báo cáo \"$0\" trên máy (xem `fieldsync report list`)"},
        {Msg::kErrNoSecretGiven,
         "give the enrolment secret: --secret SECRET or --secret-file FILE",
         "hãy nhập khóa bí mật khi đăng ký: --secret KHÓA hoặc --secret-file "
         "TỆP"},
        {Msg::kErrNothingSaved, "Nothing was saved.", "Chưa lưu gì cả."},
        {Msg::kCmdAdminModels,
         "change the catalogue (province admins; district officers for their "
         "district's models)",
         "sửa danh mục (quản trị tỉnh; cán bộ huyện với mô hình của huyện "
         "mình)"},
        {Msg::kCmdModelsHistory,
         "every version of a model: who changed what, when, from which device",
         "mọi phiên bản của một mô hình: ai sửa gì, khi nào, từ thiết bị nào"},
        {Msg::kCmdModelsUpdate,
         "change the named fields of a model (--set FIELD=VALUE, repeatable)",
         "sửa các trường được nêu của mô hình (--set TRƯỜNG=GIÁ TRỊ, dùng được "
         "nhiều lần)"},
        {Msg::kCmdModelsArchive, "archive a model (never deleted)",
         "lưu trữ mô hình (không bao giờ xóa)"},
        {Msg::kCmdModelsRestore, "bring an archived model back",
         "khôi phục mô hình đã lưu trữ"},
        {Msg::kOptModelSet,
         "FIELD=VALUE, e.g. plan_2021_2025=\"…\" (repeatable)",
         "TRƯỜNG=GIÁ TRỊ, ví dụ plan_2021_2025=\"…\" (dùng được nhiều lần)"},
        {Msg::kOptReason, "why", "lý do"},
        {Msg::kColVersion, "VERSION", "PHIÊN BẢN"},
        {Msg::kColTime, "TIME", "THỜI GIAN"},
        {Msg::kColDevice, "DEVICE", "THIẾT BỊ"},
        {Msg::kColChanges, "CHANGED FIELDS (BEFORE → AFTER)",
         "TRƯỜNG ĐÃ SỬA (TRƯỚC → SAU)"},
        {Msg::kLoadedCatalogue, "(loaded catalogue)", "(danh mục ban đầu)"},
        {Msg::kFieldsSet, "$0 fields set", "đặt $0 trường"},
        {Msg::kVersionsCount, "$0 versions", "$0 phiên bản"},
        {Msg::kModelUpdated,
         "Saved $0 as version $1; tablets receive it on their next sync.",
         "Đã lưu $0, phiên bản $1; máy tính bảng sẽ nhận ở lần đồng bộ tiếp "
         "theo."},
    }};

constexpr bool MessagesInEnumOrder() {
  for (std::size_t i = 0; i < kMessages.size(); ++i) {
    if (static_cast<std::size_t>(kMessages[i].id) != i) return false;
    if (kMessages[i].en.empty() || kMessages[i].vi.empty()) return false;
  }
  return true;
}
static_assert(MessagesInEnumOrder(),
              "kMessages must list every Msg in enum order, in both languages");

bool IsVietnamese(const char* locale) {
  return locale != nullptr && locale[0] == 'v' && locale[1] == 'i';
}

}  // namespace

Language LanguageFromEnvironment() {
  // POSIX precedence: the first of these that is set and non-empty decides.
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') {
      return IsVietnamese(value) ? Language::kVietnamese : Language::kEnglish;
    }
  }
  return Language::kEnglish;
}

std::string_view Text(Msg id, Language language) {
  const MessageText& m = kMessages[static_cast<std::size_t>(id)];
  return language == Language::kVietnamese ? m.vi : m.en;
}

}  // namespace fieldsync::cli
