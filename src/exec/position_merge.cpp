// The k-way merge of spill files by row position (see the header).
#include "exec/position_merge.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/narrowed_ints.h"
#include "exec/position_heap.h"
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
};

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
      cursors_.push_back(std::make_unique<PositionCursor>(std::move(file), internal_schema, pool));
      PositionCursor& cursor = *cursors_.back();
      if (cursor.NextBlock()) heap_.Add(cursor.Head(), static_cast<uint32_t>(cursors_.size() - 1));
    }
    heap_.Build();
    chunk_id_.assign(cursors_.size(), -1);
  }

  const SchemaPtr& schema() const override { return output_schema_; }

  bool Next(Batch* out) override {
    std::vector<const PositionCursor::Block*> blocks;
    std::vector<std::shared_ptr<const PositionCursor::Block>> held;
    std::vector<uint32_t> ids;
    std::vector<uint32_t> rows;
    ids.reserve(static_cast<size_t>(batch_size_));
    rows.reserve(static_cast<size_t>(batch_size_));
    std::fill(chunk_id_.begin(), chunk_id_.end(), -1);
    while (static_cast<int64_t>(rows.size()) < batch_size_ && !heap_.empty()) {
      const uint32_t c = heap_.top().list;
      PositionCursor& cursor = *cursors_[c];
      if (chunk_id_[c] < 0) {
        chunk_id_[c] = static_cast<int>(blocks.size());
        blocks.push_back(cursor.block.get());
        held.push_back(cursor.block);
      }
      ids.push_back(static_cast<uint32_t>(chunk_id_[c]));
      rows.push_back(static_cast<uint32_t>(cursor.pos));
      if (++cursor.pos == cursor.size) {
        chunk_id_[c] = -1;
        if (!cursor.NextBlock()) {
          heap_.PopTop();
          continue;
        }
      }
      heap_.ReplaceTop(cursor.Head());
    }
    if (rows.empty()) return false;
    out->schema = output_schema_;
    out->num_rows = static_cast<int64_t>(rows.size());
    out->columns.clear();
    out->seq = next_seq_++;
    std::vector<const Column*> sources(blocks.size());
    for (int c : output_columns_) {
      for (size_t b = 0; b < blocks.size(); ++b) sources[b] = &blocks[b]->rows.columns[c];
      out->columns.push_back(GatherFromMany(sources, ids, rows, pool_));
    }
    return true;
  }

 private:
  SchemaPtr output_schema_;
  std::vector<int> output_columns_;
  int64_t batch_size_;
  MemoryPool* pool_;
  std::vector<std::unique_ptr<PositionCursor>> cursors_;
  PositionHeap heap_;
  std::vector<int> chunk_id_;
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
