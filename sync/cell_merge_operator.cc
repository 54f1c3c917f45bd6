#include "sync/cell_merge_operator.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "sync/cell_delta.h"

namespace fieldsync {
namespace {

std::string_view View(const rocksdb::Slice& slice) {
  return std::string_view(slice.data(), slice.size());
}

class CellMergeOperator : public rocksdb::MergeOperator {
 public:
  explicit CellMergeOperator(std::shared_ptr<std::atomic<uint64_t>> mismatches)
      : mismatches_(std::move(mismatches)) {}

  const char* Name() const override { return "fieldsync.CellDelta"; }

  bool FullMergeV2(const MergeOperationInput& in,
                   MergeOperationOutput* out) const override {
    std::string_view existing;
    if (in.existing_value != nullptr) existing = View(*in.existing_value);
    std::vector<std::string_view> operands;
    operands.reserve(in.operand_list.size());
    for (const rocksdb::Slice& operand : in.operand_list) {
      operands.push_back(View(operand));
    }
    uint64_t mismatches = 0;
    absl::StatusOr<std::string> folded =
        FoldCell(View(in.key), in.existing_value ? &existing : nullptr,
                 operands, mismatches);
    // False makes the read or compaction fail with Corruption: a cell that
    // does not parse is not to be guessed at.
    if (!folded.ok()) return false;
    if (mismatches > 0) mismatches_->fetch_add(mismatches);
    out->new_value = *std::move(folded);
    return true;
  }

  // Deltas of one cell concatenated are one delta, moves in order
  // (aggregate_delta.proto), so operands combine before the cell is known.
  bool PartialMergeMulti(const rocksdb::Slice& /*key*/,
                         const std::deque<rocksdb::Slice>& operands,
                         std::string* new_value,
                         rocksdb::Logger* /*logger*/) const override {
    size_t bytes = 0;
    for (const rocksdb::Slice& operand : operands) bytes += operand.size();
    new_value->clear();
    new_value->reserve(bytes);
    for (const rocksdb::Slice& operand : operands) {
      new_value->append(operand.data(), operand.size());
    }
    return true;
  }

 private:
  std::shared_ptr<std::atomic<uint64_t>> mismatches_;
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewCellMergeOperator(
    std::shared_ptr<std::atomic<uint64_t>> mismatches) {
  return std::make_shared<CellMergeOperator>(std::move(mismatches));
}

}  // namespace fieldsync
