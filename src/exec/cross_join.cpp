// Chunked cross product: each output batch pairs a range of left rows with a range of right rows
// (whole right side when it fits in a batch, else one left row with a slice of it).
#include "exec/cross_join.h"

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "exec/join_probe.h"

namespace sluice::exec {
namespace {

class CrossJoinSource final : public Source {
 public:
  CrossJoinSource(SchemaPtr schema, std::unique_ptr<Source> left,
                  std::shared_ptr<JoinBuildSide> build, int64_t batch_size, MemoryPool* pool)
      : schema_(std::move(schema)),
        left_(std::move(left)),
        build_(std::move(build)),
        batch_size_(std::max<int64_t>(1, batch_size)),
        pool_(pool) {
    const size_t left_columns = left_->schema()->size();
    const size_t right_columns = build_->rows.columns.size();
    if (left_columns + right_columns != schema_->size()) {
      ThrowInternal("cross join of {} and {} columns has a schema of {}", left_columns,
                    right_columns, schema_->size());
    }
    for (size_t c = 0; c < left_columns; ++c) {
      columns_.push_back({JoinOutputColumn::From::kProbe, static_cast<int>(c), nullptr});
    }
    for (size_t c = 0; c < right_columns; ++c) {
      columns_.push_back({JoinOutputColumn::From::kBuild, static_cast<int>(c), nullptr});
    }
  }

  const SchemaPtr& schema() const override { return schema_; }

  bool Next(Batch* out) override {
    const int64_t right_rows = build_->rows.num_rows;
    if (right_rows == 0) return false;
    while (left_row_ >= current_.num_rows) {
      if (!left_->Next(&current_)) return false;
      left_row_ = 0;
      right_row_ = 0;
    }
    int64_t left_count;
    int64_t right_begin;
    int64_t right_count;
    if (right_rows <= batch_size_) {
      left_count =
          std::min(std::max<int64_t>(1, batch_size_ / right_rows), current_.num_rows - left_row_);
      right_begin = 0;
      right_count = right_rows;
    } else {
      left_count = 1;
      right_begin = right_row_;
      right_count = std::min(batch_size_, right_rows - right_row_);
    }
    const int64_t total = left_count * right_count;
    std::vector<uint32_t> left_rows(static_cast<size_t>(total));
    std::vector<uint32_t> right_rows_list(static_cast<size_t>(total));
    int64_t at = 0;
    for (int64_t l = 0; l < left_count; ++l) {
      for (int64_t r = 0; r < right_count; ++r) {
        left_rows[at] = static_cast<uint32_t>(left_row_ + l);
        right_rows_list[at++] = static_cast<uint32_t>(right_begin + r);
      }
    }
    *out = AssembleJoinOutput(schema_, columns_, &current_, left_rows, /*probe_identity=*/false,
                              build_->rows, right_rows_list, total, pool_);
    out->seq = next_seq_++;
    if (right_rows <= batch_size_) {
      left_row_ += left_count;
    } else {
      right_row_ += right_count;
      if (right_row_ >= right_rows) {
        right_row_ = 0;
        ++left_row_;
      }
    }
    return true;
  }

 private:
  SchemaPtr schema_;
  std::unique_ptr<Source> left_;
  std::shared_ptr<JoinBuildSide> build_;
  int64_t batch_size_;
  MemoryPool* pool_;
  std::vector<JoinOutputColumn> columns_;
  Batch current_;
  int64_t left_row_ = 0;
  int64_t right_row_ = 0;
  uint64_t next_seq_ = 0;
};

}  // namespace

std::unique_ptr<Source> MakeCrossJoinSource(SchemaPtr schema, std::unique_ptr<Source> left,
                                            std::shared_ptr<JoinBuildSide> build,
                                            int64_t batch_size, MemoryPool* pool) {
  return std::make_unique<CrossJoinSource>(std::move(schema), std::move(left), std::move(build),
                                           batch_size, pool);
}

}  // namespace sluice::exec
