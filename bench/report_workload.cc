#include "bench/report_workload.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "fieldsync/v1/area.pb.h"
#include "sync/clock.h"
#include "sync/field_path.h"
#include "sync/keys.h"
#include "sync/server_replica.h"

namespace fieldsync::bench {
namespace {

v1::Area MakeArea(std::string id, std::string parent, v1::AreaLevel level) {
  v1::Area area;
  area.set_id(std::move(id));
  area.set_parent_id(std::move(parent));
  area.set_level(level);
  return area;
}

// Results texts of the kind commune officers write, of varied length.
constexpr const char* kResults[] = {
    "Tổ hợp tác trồng hoa kiểng: 32 hộ tham gia, doanh thu tăng 12%.",
    "Nuôi cá tra theo chuỗi liên kết: 18 hộ, sản lượng 1.629 tấn, có hợp "
    "đồng bao tiêu.",
    "Lúa chất lượng cao theo quy trình 1 phải 5 giảm trên 150 ha.",
    "Hợp tác xã mở thêm 2 điểm thu mua, hỗ trợ hội viên vay vốn ưu đãi.",
};

// The 256 commonest words of the catalogue's text (data/catalogue.json),
// commonest first. Each report's results go on with words drawn from them
// by Zipf's law (the k-th with weight 1/k), so no two reports are alike:
// such text compresses as the catalogue's own prose does (zstd -3: 3.48
// against 3.41 times; words drawn uniformly, 2.96), not as copies of four
// sentences would (docs/benchmarks.md).
constexpr const char* kWords[] = {
    "và",       "các",      "hình",  "mô",     "dân",    "thực",   "công",
    "hiện",     "thành",    "xã",    "trong",  "có",     "huyện",  "của",
    "tiếp",     "người",    "nhân",  "sản",    "với",    "tục",    "an",
    "động",     "đồng",     "được",  "nghiệp", "cho",    "triển",  "việc",
    "nông",     "đến",      "địa",   "xuất",   "trên",   "kinh",   "cao",
    "để",       "dụng",     "chính", "phát",   "số",     "hợp",    "kết",
    "tỉnh",     "doanh",    "vụ",    "bảo",    "gia",    "trường", "continuing",
    "đã",       "giải",     "lượng", "hội",    "khai",   "thông",  "tác",
    "tại",      "phố",      "về",    "xây",    "dựng",   "ubnd",   "hoạt",
    "thời",     "quả",      "năm",   "chức",   "bàn",    "tổ",     "phương",
    "district", "từ",       "cấp",   "trợ",    "là",     "chưa",   "hành",
    "rộng",     "định",     "sở",    "sinh",   "đầu",    "cơ",     "thu",
    "bộ",       "lý",       "tư",    "nhiều",  "làm",    "hỗ",     "tạo",
    "quyết",    "hiệu",     "hộ",    "tham",   "liên",   "truyền", "quan",
    "môi",      "còn",      "tế",    "không",  "phí",    "toàn",   "ban",
    "bình",     "tân",      "ngày",  "phần",   "học",    "tin",    "thị",
    "một",      "pháp",     "phòng", "qua",    "quy",    "nâng",   "viên",
    "theo",     "nước",     "chất",  "lợi",    "chế",    "vệ",     "sử",
    "quản",     "ứng",      "nhà",   "trình",  "khi",    "nhận",   "đình",
    "tình",     "lao",      "chỉ",   "mới",    "thủ",    "đó",     "quán",
    "đối",      "góp",      "thuận", "giáo",   "điều",   "đảm",    "hóa",
    "giá",      "binh",     "tháp",  "điểm",   "án",     "giảm",   "vào",
    "giúp",     "nên",      "phối",  "lai",    "tan",    "tiêu",   "hướng",
    "vung",     "gian",     "tăng",  "chi",    "tập",    "thức",   "vận",
    "phẩm",     "văn",      "sự",    "đổi",    "tuyến",  "phường", "phục",
    "cá",       "tuyên",    "đéc",   "điện",   "đạt",    "những",  "đề",
    "hồ",       "năng",     "nguồn", "thống",  "hơn",    "khó",    "cần",
    "cầu",      "trấn",     "tự",    "lại",    "khu",    "thể",    "do",
    "phân",     "chuyển",   "rác",   "nhằm",   "kiện",   "khăn",   "trung",
    "lực",      "ra",       "thải",  "nội",    "thường", "cộng",   "gom",
    "nuôi",     "province", "đạo",   "vấn",    "ký",     "dịch",   "hòa",
    "tài",      "cải",      "trực",  "sơ",     "tâm",    "bị",     "giao",
    "hồng",     "lúa",      "hệ",    "đoàn",   "chủ",    "hạn",    "đi",
    "ha",       "nay",      "quân",  "thiện",  "dục",    "độ",     "ngành",
    "thiết",    "quyền",    "xử",    "cây",    "đường",  "thôn",   "cách",
    "sách",     "luật",     "hàng",  "tích",   "thuốc",  "sẽ",     "sau",
    "lập",      "dự",       "ăn",    "kỹ",
};

// splitmix64: a deterministic stream per report.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Zipf's law over kWords: the cumulative weights, for a binary search.
const std::vector<double>& ZipfCumulative() {
  static const std::vector<double>* cumulative = [] {
    auto* c = new std::vector<double>();
    double sum = 0;
    for (size_t k = 1; k <= std::size(kWords); ++k) {
      sum += 1.0 / static_cast<double>(k);
      c->push_back(sum);
    }
    return c;
  }();
  return *cumulative;
}

// A store that keeps nothing and records the last write. It answers reads
// as a store would on which `previous` mutations of one device (each taking
// the server sequence equal to its mutation_seq) were applied: the last
// sequence and the device's last mutation_seq are `previous`, and no
// document exists yet. Those are the only reads a batch of new reports makes.
class CaptureStore : public KvStore {
 public:
  explicit CaptureStore(uint64_t previous) : previous_(previous) {}
  std::vector<KvWrite> TakeWrites() { return std::move(writes_); }

 protected:
  absl::Status Write(const std::vector<KvWrite>& writes) override {
    writes_ = writes;
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::string>> Get(
      ColumnFamily cf, std::string_view key) override {
    if (previous_ > 0 && cf == ColumnFamily::kMeta &&
        key == kLastSequenceMetaKey) {
      return SequenceKey(previous_);
    }
    return std::nullopt;
  }
  absl::Status Scan(ColumnFamily, std::string_view, std::string_view,
                    const KvVisitor&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>> Last(
      ColumnFamily cf, std::string_view prefix, std::string_view) override {
    if (previous_ == 0 || cf != ColumnFamily::kDedup) return std::nullopt;
    std::string key(prefix);  // "<device id>\0"
    AppendBigEndian64(key, previous_);
    return std::make_pair(std::move(key), std::string());
  }

 private:
  const uint64_t previous_;
  std::vector<KvWrite> writes_;
};

}  // namespace

AreaTree BenchAreaTree() {
  absl::StatusOr<AreaTree> tree = AreaTree::Build({
      MakeArea("dong-thap", "", v1::AREA_LEVEL_PROVINCE),
      MakeArea("tp-sa-dec", "dong-thap", v1::AREA_LEVEL_DISTRICT),
      MakeArea("xa-tan-phu-dong", "tp-sa-dec", v1::AREA_LEVEL_COMMUNE),
  });
  // Three well-formed areas: Build cannot fail.
  return *std::move(tree);
}

void AddSet(v1::Mutation& mutation, const v1::Report& report,
            std::string_view path) {
  absl::StatusOr<FieldRef> ref = ResolvePath(report.GetDescriptor(), path);
  v1::FieldSet* set = mutation.add_sets();
  set->set_path(std::string(path));
  // An unknown path stays with an empty value; the merge rejects it.
  if (ref.ok()) set->set_value(ExtractValue(report, *ref));
}

NewReportMutations::NewReportMutations(uint64_t salt) : salt_(salt) {}

std::vector<v1::FieldSet> NewReportMutations::Sets(uint64_t seq) const {
  uint64_t random = Mix(salt_ ^ Mix(seq));
  auto next = [&random](uint64_t bound) {
    random = Mix(random);
    return random % bound;
  };
  v1::Report report;
  report.set_area_id("xa-tan-phu-dong");
  report.set_period("2025");
  report.set_model_id("huyen-tp-sa-dec-05");
  std::string results = kResults[seq % std::size(kResults)];
  const std::vector<double>& zipf = ZipfCumulative();
  for (uint64_t words = 8 + next(33); words > 0; --words) {
    const double at = zipf.back() * static_cast<double>(next(1ULL << 53)) /
                      static_cast<double>(1ULL << 53);
    const size_t k =
        std::upper_bound(zipf.begin(), zipf.end(), at) - zipf.begin();
    results += ' ';
    results += kWords[std::min(k, std::size(kWords) - 1)];
  }
  results += '.';
  report.set_results(std::move(results));
  v1::Indicator& members = (*report.mutable_indicators())["members"];
  members.set_value(5 + static_cast<double>(next(200)));
  members.set_unit("hộ");
  members.set_label_vi("Số hộ tham gia");
  v1::Mutation sets;
  for (std::string_view path :
       {"area_id", "period", "model_id", "results", "indicators/members"}) {
    AddSet(sets, report, path);
  }
  return {sets.sets().begin(), sets.sets().end()};
}

v1::Mutation NewReportMutations::Make(uint64_t seq) const {
  v1::Mutation m;
  m.set_device_id("tablet-xa-tan-phu-dong-01");
  m.set_mutation_seq(seq);
  m.set_key(absl::StrFormat("report/bench-%08d", seq));
  m.set_device_time_micros(kNowMicros - 3600LL * 1'000'000);
  m.set_author("can-bo-xa-tan-phu-dong");
  m.set_authority(v1::AUTHORITY_COMMUNE);
  for (v1::FieldSet& set : Sets(seq)) *m.add_sets() = std::move(set);
  return m;
}

std::vector<v1::Mutation> NewReportMutations::Batch(uint64_t first_seq,
                                                    int count) const {
  std::vector<v1::Mutation> batch;
  batch.reserve(count);
  for (int i = 0; i < count; ++i) batch.push_back(Make(first_seq + i));
  return batch;
}

FigureReportMutations::FigureReportMutations(std::string device_id,
                                             std::vector<std::string> areas)
    : device_id_(std::move(device_id)), areas_(std::move(areas)) {}

v1::Mutation FigureReportMutations::Make(uint64_t seq) const {
  uint64_t random = Mix(Mix(std::hash<std::string>()(device_id_)) ^ seq);
  auto next = [&random](uint64_t bound) {
    random = Mix(random);
    return random % bound;
  };
  v1::Report report;
  report.set_area_id(areas_[next(areas_.size())]);
  report.set_period(absl::StrCat(2016 + next(kYears)));
  report.set_model_id(
      absl::StrFormat("m-%s-%02d", report.area_id(), next(kModelsPerArea)));
  report.set_status(v1::REPORT_STATUS_SUBMITTED);
  report.set_results(kResults[seq % std::size(kResults)]);
  v1::Indicator& members = (*report.mutable_indicators())["members"];
  members.set_value(5 + static_cast<double>(next(200)));
  members.set_unit("thành viên");
  v1::Indicator& hectares = (*report.mutable_indicators())["hectares"];
  hectares.set_value(0.5 * static_cast<double>(next(400)));
  hectares.set_unit("ha");
  v1::Indicator& share = (*report.mutable_indicators())["households_pct"];
  share.set_value(static_cast<double>(next(101)));
  share.set_unit("%");
  v1::Mutation m;
  m.set_device_id(device_id_);
  m.set_mutation_seq(seq);
  m.set_key(absl::StrFormat("report/%s-%08d", device_id_, seq));
  m.set_device_time_micros(kNowMicros - 3600LL * 1'000'000);
  m.set_author("can-bo-" + device_id_);
  m.set_authority(v1::AUTHORITY_COMMUNE);
  for (std::string_view path :
       {"area_id", "period", "model_id", "status", "results",
        "indicators/members", "indicators/hectares",
        "indicators/households_pct"}) {
    AddSet(m, report, path);
  }
  return m;
}

std::vector<v1::Mutation> FigureReportMutations::Batch(uint64_t first_seq,
                                                       int count) const {
  std::vector<v1::Mutation> batch;
  batch.reserve(count);
  for (int i = 0; i < count; ++i) batch.push_back(Make(first_seq + i));
  return batch;
}

int64_t PayloadBytes(const std::vector<v1::Mutation>& batch) {
  int64_t bytes = 0;
  for (const v1::Mutation& m : batch) bytes += m.ByteSizeLong();
  return bytes;
}

absl::StatusOr<std::vector<KvWrite>> CaptureWrites(
    const std::vector<v1::Mutation>& batch) {
  if (batch.empty()) return std::vector<KvWrite>();
  CaptureStore store(batch.front().mutation_seq() - 1);
  AreaTree areas = BenchAreaTree();
  FakeClock clock(kNowMicros);
  ServerReplicaOptions options;
  options.store = &store;
  options.areas = &areas;
  options.clock = &clock;
  absl::StatusOr<std::unique_ptr<ServerReplica>> replica =
      ServerReplica::Open(std::move(options));
  if (!replica.ok()) return replica.status();
  absl::StatusOr<v1::PushResponse> response = (*replica)->Push(batch);
  if (!response.ok()) return response.status();
  if (response->summary().applied() != batch.size()) {
    return absl::InternalError(
        absl::StrCat("capture: ", response->summary().applied(), " of ",
                     batch.size(), " mutations applied"));
  }
  return store.TakeWrites();
}

}  // namespace fieldsync::bench
