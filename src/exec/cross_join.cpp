// Chunked cross product: each output batch pairs a range of left rows with a range of right rows
// (whole right side when it fits in a batch, else one left row with a slice of it).
#include "exec/cross_join.h"

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "exec/join_probe.h"
#include "exec/join_residual.h"

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

/// Cuts the left input into slices of `rows` rows, numbered anew.
class SliceSource final : public Source {
 public:
  SliceSource(std::unique_ptr<Source> input, int64_t rows)
      : input_(std::move(input)), rows_(std::max<int64_t>(1, rows)) {}
  const SchemaPtr& schema() const override { return input_->schema(); }
  bool Next(Batch* out) override {
    while (at_ >= current_.num_rows) {
      if (!input_->Next(&current_)) return false;
      at_ = 0;
    }
    const int64_t count = std::min(rows_, current_.num_rows - at_);
    *out =
        at_ == 0 && count == current_.num_rows ? std::move(current_) : current_.Slice(at_, count);
    at_ += count;
    if (at_ >= current_.num_rows) current_ = Batch{};
    out->seq = next_seq_++;
    return true;
  }

 private:
  std::unique_ptr<Source> input_;
  int64_t rows_;
  Batch current_;
  int64_t at_ = 0;
  uint64_t next_seq_ = 0;
};

/// Pairs a slice of left rows with every right row, keeps the pairs the residual accepts.
class NestedLoopOperator final : public Operator {
 public:
  NestedLoopOperator(SchemaPtr schema, std::shared_ptr<JoinBuildSide> build,
                     std::shared_ptr<const JoinResidual> residual, int64_t block_rows,
                     MemoryPool* pool)
      : schema_(std::move(schema)),
        build_(std::move(build)),
        residual_(std::move(residual)),
        block_rows_(std::max<int64_t>(1, block_rows)),
        pool_(pool) {
    const size_t right_columns = build_->rows.columns.size();
    const size_t left_columns = schema_->size() - right_columns;
    for (size_t c = 0; c < left_columns; ++c) {
      columns_.push_back({JoinOutputColumn::From::kProbe, static_cast<int>(c), nullptr});
    }
    for (size_t c = 0; c < right_columns; ++c) {
      columns_.push_back({JoinOutputColumn::From::kBuild, static_cast<int>(c), nullptr});
    }
  }

  const SchemaPtr& schema() const override { return schema_; }

  Batch Process(Batch input) override {
    const int64_t right_rows = build_->rows.num_rows;
    std::vector<uint32_t> left_rows;
    std::vector<uint32_t> right_list;
    std::vector<uint32_t> block_left;
    std::vector<uint32_t> block_right;
    const size_t block = static_cast<size_t>(block_rows_);
    block_left.reserve(block);
    block_right.reserve(block);
    auto flush = [&] {
      residual_->Filter(input, build_->rows, &block_left, &block_right, pool_);
      left_rows.insert(left_rows.end(), block_left.begin(), block_left.end());
      right_list.insert(right_list.end(), block_right.begin(), block_right.end());
      block_left.clear();
      block_right.clear();
    };
    for (int64_t l = 0; l < input.num_rows; ++l) {
      for (int64_t r = 0; r < right_rows; ++r) {
        block_left.push_back(static_cast<uint32_t>(l));
        block_right.push_back(static_cast<uint32_t>(r));
        if (block_left.size() == block) flush();
      }
    }
    if (!block_left.empty()) flush();
    Batch out =
        AssembleJoinOutput(schema_, columns_, &input, left_rows, /*probe_identity=*/false,
                           build_->rows, right_list, static_cast<int64_t>(left_rows.size()), pool_);
    out.seq = input.seq;
    return out;
  }

 private:
  SchemaPtr schema_;
  std::shared_ptr<JoinBuildSide> build_;
  std::shared_ptr<const JoinResidual> residual_;
  int64_t block_rows_;
  MemoryPool* pool_;
  std::vector<JoinOutputColumn> columns_;
};

}  // namespace

Stream MakeCrossJoinWithResidual(SchemaPtr schema, Stream left,
                                 std::shared_ptr<JoinBuildSide> build,
                                 std::shared_ptr<const JoinResidual> residual, int64_t batch_size,
                                 MemoryPool* pool) {
  const int64_t right_rows = build->rows.num_rows;
  if (right_rows == 0) return Stream{MakeBatchSource(schema, {}), {}};
  const int64_t slice = std::max<int64_t>(1, std::max<int64_t>(1, batch_size) / right_rows);
  Stream stream{std::make_unique<SliceSource>(StreamAsSource(std::move(left)), slice), {}};
  stream.ops.push_back(std::make_shared<NestedLoopOperator>(std::move(schema), std::move(build),
                                                            std::move(residual), batch_size, pool));
  return stream;
}

std::unique_ptr<Source> MakeCrossJoinSource(SchemaPtr schema, std::unique_ptr<Source> left,
                                            std::shared_ptr<JoinBuildSide> build,
                                            int64_t batch_size, MemoryPool* pool) {
  return std::make_unique<CrossJoinSource>(std::move(schema), std::move(left), std::move(build),
                                           batch_size, pool);
}

}  // namespace sluice::exec
