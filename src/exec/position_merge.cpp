// The k-way merge of spill files by row position (see the header).
#include "exec/position_merge.h"

#include <algorithm>
#include <cstring>
#include <deque>

#include "core/error.h"
#include "core/narrowed_ints.h"
#include "exec/position_order.h"
#include "exec/row_gather.h"

namespace sluice::exec {

namespace {

/// One file read a block at a time, for the merge.
struct PositionCursor {
  PositionCursor(std::shared_ptr<const SpillFile> file, SchemaPtr schema, MemoryPool* pool)
      : file(file), reader(std::move(file), std::move(schema), pool) {}

  bool NextBlock() {
    std::vector<std::vector<uint8_t>> extras;
    Batch rows;
    while (reader.Next(&rows, &extras)) {
      if (rows.num_rows == 0) continue;
      auto next = std::make_shared<Block>();
      next->positions.resize(static_cast<size_t>(rows.num_rows));
      if (extras.size() != 1 ||
          narrowed::Read<uint64_t>(extras[0], rows.num_rows, next->positions.data()) !=
              static_cast<int64_t>(extras[0].size()))
        ThrowIo("spill file \"{}\" is damaged: row positions missing", file->path());
      next->rows = std::move(rows);
      block = std::move(next);
      positions = block->positions.data();
      size = block->rows.num_rows;
      pos = 0;
      return true;
    }
    block.reset();
    return false;
  }
  uint64_t Head() const { return positions[pos]; }

  struct Block {
    Batch rows;
    std::vector<uint64_t> positions;
  };
  std::shared_ptr<const SpillFile> file;
  SpillReader reader;
  std::shared_ptr<const Block> block;
  /// The block's positions and rows, kept here: the merge reads them for every row.
  const uint64_t* positions = nullptr;
  int64_t size = 0;
  int64_t pos = 0;
  uint64_t block_id = 0;  ///< The merge's id of `block`.
};

/// The merge works a window of positions at a time: all rows from the smallest head up to the
/// first position where some file's current block ends (so every row of the window is in a
/// block already read), and never past the end of the smallest head's seq, where PositionOrder
/// is fastest.
class PositionMergeSource final : public Source {
 public:
  PositionMergeSource(SchemaPtr internal_schema, SchemaPtr output_schema,
                      std::vector<int> output_columns,
                      std::vector<std::shared_ptr<SpillFile>> files, int64_t batch_size,
                      MemoryPool* pool)
      : output_schema_(std::move(output_schema)),
        output_columns_(std::move(output_columns)),
        batch_size_(std::max<int64_t>(1, batch_size)),
        pool_(pool) {
    for (std::shared_ptr<SpillFile>& file : files) {
      auto cursor = std::make_unique<PositionCursor>(std::move(file), internal_schema, pool);
      if (cursor->NextBlock()) {
        cursor->block_id = Register(cursor->block);
        cursors_.push_back(std::move(cursor));
      }
    }
  }

  const SchemaPtr& schema() const override { return output_schema_; }

  bool Next(Batch* out) override {
    while (static_cast<int64_t>(pending_.size() - emitted_) < batch_size_ && MergeWindow()) {
    }
    const int64_t rows = std::min<int64_t>(batch_size_, pending_.size() - emitted_);
    if (rows == 0) return false;
    // The batch's blocks, numbered in order of first use for GatherFromMany.
    uint64_t first_id = UINT64_MAX, last_id = 0;
    for (int64_t i = 0; i < rows; ++i) {
      first_id = std::min(first_id, pending_[emitted_ + i].block);
      last_id = std::max(last_id, pending_[emitted_ + i].block);
    }
    local_ids_.assign(last_id - first_id + 1, -1);
    std::vector<const PositionCursor::Block*> used;
    std::vector<uint32_t> ids(static_cast<size_t>(rows));
    std::vector<uint32_t> block_rows(static_cast<size_t>(rows));
    for (int64_t i = 0; i < rows; ++i) {
      const Entry& entry = pending_[emitted_ + i];
      int& local = local_ids_[entry.block - first_id];
      if (local < 0) {
        local = static_cast<int>(used.size());
        used.push_back(blocks_[entry.block - first_block_id_].get());
      }
      ids[i] = static_cast<uint32_t>(local);
      block_rows[i] = entry.row;
    }
    out->schema = output_schema_;
    out->num_rows = rows;
    out->columns.clear();
    out->seq = next_seq_++;
    std::vector<const Column*> sources(used.size());
    for (int c : output_columns_) {
      for (size_t b = 0; b < used.size(); ++b) sources[b] = &used[b]->rows.columns[c];
      out->columns.push_back(GatherFromMany(sources, ids, block_rows, pool_));
    }
    emitted_ += rows;
    Release();
    return true;
  }

 private:
  /// A row of the output: its block (by id) and its row in the block.
  struct Entry {
    uint64_t block;
    uint32_t row;
  };

  uint64_t Register(std::shared_ptr<const PositionCursor::Block> block) {
    blocks_.push_back(std::move(block));
    return first_block_id_ + blocks_.size() - 1;
  }

  /// Drops the rows emitted and the blocks that no pending row or cursor needs any more. A
  /// block is dropped by what refers to it, not by age: a file of few rows a block can keep one
  /// block while another file goes through hundreds.
  void Release() {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<int64_t>(emitted_));
    emitted_ = 0;
    std::vector<bool> needed(blocks_.size(), false);
    for (const Entry& entry : pending_) needed[entry.block - first_block_id_] = true;
    for (const auto& cursor : cursors_) needed[cursor->block_id - first_block_id_] = true;
    for (size_t b = 0; b < blocks_.size(); ++b) {
      if (!needed[b]) blocks_[b].reset();
    }
    while (!blocks_.empty() && blocks_.front() == nullptr) {
      blocks_.pop_front();
      ++first_block_id_;
    }
  }

  /// Appends the next window's rows to pending_ in order; false once every file has ended.
  bool MergeWindow() {
    if (cursors_.empty()) return false;
    uint64_t low = UINT64_MAX, end = UINT64_MAX;
    for (const auto& cursor : cursors_) {
      low = std::min(low, cursor->Head());
      end = std::min(end, cursor->positions[cursor->size - 1]);
    }
    end = std::min<uint64_t>(end, low | 0xFFFFFFFFull);  // Within the smallest head's seq.
    // Each file's run of the window, in file order.
    runs_.clear();
    run_cursors_.clear();
    for (size_t c = 0; c < cursors_.size(); ++c) {
      PositionCursor& cursor = *cursors_[c];
      const uint64_t* stop =
          std::upper_bound(cursor.positions + cursor.pos, cursor.positions + cursor.size, end);
      if (stop == cursor.positions + cursor.pos) continue;
      runs_.push_back({cursor.positions, cursor.pos, stop - cursor.positions});
      run_cursors_.push_back(&cursor);
    }
    ordered_.clear();
    order_.Order(runs_, &ordered_);
    for (const PositionOrder::Entry& entry : ordered_)
      pending_.push_back({run_cursors_[entry.run]->block_id, entry.row});
    // Advance the cursors past their runs; a finished block gives way to the file's next.
    for (size_t r = 0; r < runs_.size(); ++r) {
      PositionCursor& cursor = *run_cursors_[r];
      cursor.pos = runs_[r].end;
      if (cursor.pos == cursor.size) {
        cursor.block_id = cursor.NextBlock() ? Register(cursor.block) : UINT64_MAX;
      }
    }
    std::erase_if(cursors_, [](const auto& cursor) { return cursor->block == nullptr; });
    return true;
  }

  SchemaPtr output_schema_;
  std::vector<int> output_columns_;
  int64_t batch_size_;
  MemoryPool* pool_;
  std::vector<std::unique_ptr<PositionCursor>> cursors_;  ///< Files not ended, in file order.
  /// Blocks read, by id: blocks_[id - first_block_id_] (null once no longer needed).
  std::deque<std::shared_ptr<const PositionCursor::Block>> blocks_;
  uint64_t first_block_id_ = 0;
  std::vector<Entry> pending_;  ///< Rows merged, in order; emitted_ of them already output.
  size_t emitted_ = 0;
  PositionOrder order_;
  std::vector<PositionOrder::Run> runs_;  ///< The window's runs, and whose they are.
  std::vector<PositionCursor*> run_cursors_;
  std::vector<PositionOrder::Entry> ordered_;
  std::vector<int> local_ids_;  ///< Next's numbering of the blocks it gathers from.
  uint64_t next_seq_ = 0;
};

}  // namespace

std::vector<uint8_t> EncodePositions(const uint64_t* positions, int64_t count) {
  std::vector<uint8_t> bytes;
  narrowed::Append(positions, count, &bytes);
  return bytes;
}

std::unique_ptr<Source> MakePositionMergeSource(SchemaPtr file_schema, SchemaPtr output_schema,
                                                std::vector<int> output_columns,
                                                std::vector<std::shared_ptr<SpillFile>> files,
                                                int64_t batch_size, MemoryPool* pool) {
  return std::make_unique<PositionMergeSource>(std::move(file_schema), std::move(output_schema),
                                               std::move(output_columns), std::move(files),
                                               batch_size, pool);
}

}  // namespace sluice::exec
