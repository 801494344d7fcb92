// Spilling sorted runs and the k-way merge of spilled runs (see the header).
#include "exec/sort_spill.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace sluice::exec {

namespace {

template <typename T>
std::vector<uint8_t> AsBytes(const T* data, size_t count) {
  std::vector<uint8_t> bytes(count * sizeof(T));
  if (count > 0) std::memcpy(bytes.data(), data, bytes.size());
  return bytes;
}

/// A block's extras: the keys' bytes (without the slack), their offsets, the ords.
std::vector<std::vector<uint8_t>> RunExtras(const SortedRun& run) {
  const SortKeyBlock& keys = run.keys;
  const size_t key_bytes = keys.width > 0 ? static_cast<size_t>(keys.rows * keys.width)
                                          : static_cast<size_t>(keys.offsets[keys.rows]);
  std::vector<std::vector<uint8_t>> extras;
  extras.push_back(AsBytes(keys.bytes.data(), key_bytes));
  extras.push_back(keys.width > 0 ? std::vector<uint8_t>()
                                  : AsBytes(keys.offsets.data(), keys.offsets.size()));
  extras.push_back(AsBytes(run.ords.data(), run.ords.size()));
  return extras;
}

/// Rebuilds a run from a block, checking that keys and ords match its rows.
SortedRun RunFromBlock(Batch rows, std::vector<std::vector<uint8_t>>& extras, int key_width,
                       const SpillFile& file) {
  auto fail = [&](const char* what) -> void {
    ThrowIo("spill file \"{}\" of a sort is damaged: {}", file.path(), what);
  };
  if (extras.size() != 3) fail("a block without keys");
  const int64_t count = rows.num_rows;
  SortedRun run;
  run.keys.width = key_width;
  run.keys.rows = count;
  std::vector<uint8_t>& key_bytes = extras[0];
  if (key_width > 0) {
    if (key_bytes.size() != static_cast<size_t>(count * key_width)) fail("keys of the wrong size");
  } else {
    if (extras[1].size() != static_cast<size_t>(count + 1) * 8) fail("key offsets missing");
    run.keys.offsets.resize(static_cast<size_t>(count + 1));
    std::memcpy(run.keys.offsets.data(), extras[1].data(), extras[1].size());
    for (int64_t i = 0; i < count; ++i) {
      if (run.keys.offsets[i] > run.keys.offsets[i + 1]) fail("key offsets out of order");
    }
    if (run.keys.offsets[0] != 0 || run.keys.offsets[count] != key_bytes.size())
      fail("key offsets past the keys");
  }
  key_bytes.resize(key_bytes.size() + SortKeyBlock::kSlack, 0);
  run.keys.bytes = std::move(key_bytes);
  if (extras[2].size() != static_cast<size_t>(count) * 8) fail("positions of the wrong size");
  run.ords.resize(static_cast<size_t>(count));
  std::memcpy(run.ords.data(), extras[2].data(), extras[2].size());
  run.rows = std::move(rows);
  return run;
}

/// Reads one spilled run a block at a time.
class RunCursor {
 public:
  RunCursor(std::shared_ptr<const SpillFile> file, const SchemaPtr& schema, int key_width,
            MemoryPool* pool)
      : file_(file), reader_(file, schema, pool), key_width_(key_width) {}

  /// Moves to the next non-empty block; false at the end of the file.
  bool NextBlock() {
    Batch rows;
    while (reader_.Next(&rows, &extras_)) {
      if (rows.num_rows == 0) continue;
      block =
          std::make_shared<SortedRun>(RunFromBlock(std::move(rows), extras_, key_width_, *file_));
      pos = 0;
      return true;
    }
    block.reset();
    return false;
  }

  std::shared_ptr<const SortedRun> block;
  int64_t pos = 0;

 private:
  std::shared_ptr<const SpillFile> file_;
  SpillReader reader_;
  int key_width_;
  std::vector<std::vector<uint8_t>> extras_;
};

/// The k-way merge of spilled runs, a chunk of (block, row) pairs at a time.
class SpilledRunMerger {
 public:
  SpilledRunMerger(const std::vector<std::shared_ptr<SpillFile>>& files, const SchemaPtr& schema,
                   int key_width, MemoryPool* pool) {
    for (const std::shared_ptr<SpillFile>& file : files) {
      cursors_.push_back(std::make_unique<RunCursor>(file, schema, key_width, pool));
      if (cursors_.back()->NextBlock()) heap_.push_back(static_cast<uint32_t>(cursors_.size() - 1));
    }
    std::make_heap(heap_.begin(), heap_.end(), After());
    chunk_id_.assign(cursors_.size(), -1);
  }

  /// The next at most `max_rows` rows in order: blocks[ids[i]] row rows[i]. False when done.
  bool NextChunk(int64_t max_rows) {
    blocks.clear();
    held_.clear();
    ids.clear();
    rows.clear();
    std::fill(chunk_id_.begin(), chunk_id_.end(), -1);
    while (static_cast<int64_t>(rows.size()) < max_rows && !heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), After());
      const uint32_t c = heap_.back();
      RunCursor& cursor = *cursors_[c];
      if (chunk_id_[c] < 0) {
        chunk_id_[c] = static_cast<int>(blocks.size());
        blocks.push_back(cursor.block.get());
        held_.push_back(cursor.block);
      }
      ids.push_back(static_cast<uint32_t>(chunk_id_[c]));
      rows.push_back(static_cast<uint32_t>(cursor.pos));
      if (++cursor.pos == cursor.block->size()) {
        chunk_id_[c] = -1;  // A new block gets a new id in this chunk.
        if (!cursor.NextBlock()) {
          heap_.pop_back();
          continue;
        }
      }
      std::push_heap(heap_.begin(), heap_.end(), After());
    }
    return !rows.empty();
  }

  std::vector<const SortedRun*> blocks;
  std::vector<uint32_t> ids;
  std::vector<uint32_t> rows;

 private:
  /// Heap order: the cursor whose current row sorts first on top.
  struct AfterCompare {
    const SpilledRunMerger* merger;
    bool operator()(uint32_t a, uint32_t b) const {
      const RunCursor& x = *merger->cursors_[a];
      const RunCursor& y = *merger->cursors_[b];
      return CompareRows(*x.block, x.pos, *y.block, y.pos) > 0;
    }
  };
  AfterCompare After() const { return AfterCompare{this}; }

  std::vector<std::unique_ptr<RunCursor>> cursors_;
  std::vector<uint32_t> heap_;
  std::vector<int> chunk_id_;  ///< Per cursor: its current block's index in `blocks`, or -1.
  std::vector<std::shared_ptr<const SortedRun>> held_;  ///< Keeps this chunk's blocks alive.
};

/// Merges groups of kMaxMergeFanIn files into longer ones until one merge can take them all.
void MergeInPasses(const SchemaPtr& schema, std::vector<std::shared_ptr<SpillFile>>* files,
                   int key_width, int64_t block_rows, MemoryPool* pool, SpillCounters* counters) {
  int64_t block_bytes = 1;
  for (const auto& file : *files) block_bytes = std::max(block_bytes, file->max_block_bytes());
  // A merge holds a block per file plus the chunk it builds; an eighth of the budget for blocks
  // leaves room for what consumes the result (a Parquet writer's row group, say).
  const size_t fan_in = static_cast<size_t>(
      std::clamp<int64_t>(pool->limit() / 8 / block_bytes, 2, int64_t{kMaxMergeFanIn}));
  while (files->size() > fan_in) {
    std::vector<std::shared_ptr<SpillFile>> merged;
    for (size_t begin = 0; begin < files->size(); begin += fan_in) {
      const size_t end = std::min(files->size(), begin + fan_in);
      if (end - begin == 1) {
        merged.push_back((*files)[begin]);
        continue;
      }
      std::vector<std::shared_ptr<SpillFile>> group(files->begin() + begin, files->begin() + end);
      SpilledRunMerger merger(group, schema, key_width, pool);
      auto out = std::make_shared<SpillFile>("sort", size_t{1} << 20, counters);
      while (merger.NextChunk(block_rows)) {
        SortedRun run = GatherRun(schema, merger.blocks, merger.ids, merger.rows, pool);
        out->Append(run.rows, RunExtras(run));
      }
      out->Finish();
      merged.push_back(std::move(out));
    }
    *files = std::move(merged);
  }
}

class SpilledSortSource final : public Source {
 public:
  SpilledSortSource(SchemaPtr schema, std::vector<std::shared_ptr<SpillFile>> files, int key_width,
                    int64_t limit, int64_t batch_size, MemoryPool* pool, ThreadPool* threads)
      : schema_(std::move(schema)),
        files_(std::move(files)),
        merger_(files_, schema_, key_width, pool),
        remaining_(limit),
        batch_size_(std::max<int64_t>(1, batch_size)),
        pool_(pool),
        threads_(threads) {}

  const SchemaPtr& schema() const override { return schema_; }

  bool Next(Batch* out) override {
    if (remaining_ <= 0 || !merger_.NextChunk(std::min(batch_size_, remaining_))) return false;
    // The merge decides the order on this thread; the columns are gathered in parallel.
    *out = GatherRunRows(schema_, merger_.blocks, merger_.ids, merger_.rows, pool_, threads_);
    remaining_ -= out->num_rows;
    out->seq = next_seq_++;
    return true;
  }

 private:
  SchemaPtr schema_;
  std::vector<std::shared_ptr<SpillFile>> files_;
  SpilledRunMerger merger_;
  int64_t remaining_;
  int64_t batch_size_;
  MemoryPool* pool_;
  ThreadPool* threads_;
  uint64_t next_seq_ = 0;
};

}  // namespace

std::shared_ptr<SpillFile> SpillRuns(const SchemaPtr& schema,
                                     std::span<const SortedRun* const> runs, int64_t block_rows,
                                     MemoryPool* pool, ThreadPool* threads,
                                     SpillCounters* counters) {
  auto file = std::make_shared<SpillFile>("sort", size_t{1} << 20, counters);
  std::vector<RunRange> whole;
  for (const SortedRun* run : runs) whole.push_back({0, run->size()});
  // The merge decides each block's rows on this thread. Gathering and encoding the blocks, most
  // of a spill's work, run in parallel a group of blocks at a time; the blocks go to the file in
  // order, so the file is the same however many threads made it.
  struct PendingBlock {
    std::vector<uint32_t> ids, rows;
  };
  std::vector<PendingBlock> group;
  const size_t group_size = 2 * static_cast<size_t>(threads->size() + 1);
  auto write_group = [&] {
    std::vector<SpillFile::EncodedBlock> encoded(group.size());
    threads->ParallelFor(static_cast<int64_t>(group.size()), [&](int64_t b) {
      SpillingScope scope;  // Granted beyond the budget, as on the spilling thread.
      const PendingBlock& pending = group[static_cast<size_t>(b)];
      SortedRun block = GatherRun(schema, runs, pending.ids, pending.rows, pool);
      encoded[static_cast<size_t>(b)] = file->Encode(block.rows, RunExtras(block));
    });
    for (const SpillFile::EncodedBlock& block : encoded) file->Append(block);
    group.clear();
  };
  MergeRuns(runs, whole, INT64_MAX, block_rows,
            [&](std::span<const uint32_t> ids, std::span<const uint32_t> rows) {
              group.push_back({{ids.begin(), ids.end()}, {rows.begin(), rows.end()}});
              if (group.size() == group_size) write_group();
            });
  if (!group.empty()) write_group();
  file->Finish();
  return file;
}

std::unique_ptr<Source> MakeSpilledSortSource(SchemaPtr schema,
                                              std::vector<std::shared_ptr<SpillFile>> files,
                                              int key_width, int64_t limit, int64_t batch_size,
                                              MemoryPool* pool, ThreadPool* threads,
                                              SpillCounters* counters) {
  MergeInPasses(schema, &files, key_width, std::min<int64_t>(batch_size, 4096), pool, counters);
  return std::make_unique<SpilledSortSource>(std::move(schema), std::move(files), key_width, limit,
                                             batch_size, pool, threads);
}

}  // namespace sluice::exec
