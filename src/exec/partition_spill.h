// Grace-style spilling of an operator's collected input: rows are held in memory until the pool
// asks for memory back (or the operator sees, at the end, that working on them would not fit),
// then go to kSpillPartitions files by a hash of the operator's keys, each row with its input
// position. An operator that needs only the rows of equal keys together (a hash join's build
// side, a window's PARTITION BY) then works partition by partition, and the partitions' outputs,
// tagged with input positions, merge back into the in-memory order (exec/position_merge.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "exec/pipeline.h"
#include "exec/spill_file.h"

namespace sluice::exec {

inline constexpr int kSpillPartitionBits = 6;
inline constexpr int kSpillPartitions = 1 << kSpillPartitionBits;

/// One hash per row of a batch; rows that must stay together hash alike.
using RowHasher = std::function<std::vector<uint64_t>(const Batch&)>;

/// `schema` with a last uint64 column "__sluice_ord" for the rows' input positions.
SchemaPtr WithOrd(const Schema& schema);

/// The partition of a row hash at a level of partitioning: level 0 uses the hash's top
/// kSpillPartitionBits, a partition split again (level 1) the next ones, and so on.
int PartitionOfHash(uint64_t hash, int level);
inline constexpr int kMaxPartitionLevels = 64 / kSpillPartitionBits;

/// Writes rows to kSpillPartitions files by their hash, each with its input position (seq << 32 |
/// row) as a last uint64 column; Split and Append are safe from any thread.
class HashPartitionWriter {
 public:
  HashPartitionWriter(SchemaPtr with_ord, RowHasher hasher, const char* purpose,
                      const ExecContext& context, int level = 0);

  /// Writes the rows of `batch` (without its ords: they are added from its seq).
  void Write(const Batch& batch) { Append(Split(batch)); }
  /// Writes rows that already carry their ords (a partition being split again).
  void WriteWithOrds(const Batch& rows) { Append(SplitRows(rows, hasher_(rows))); }
  /// The rows of `batch` with their ords, one batch per partition (no rows: none).
  std::vector<Batch> Split(const Batch& batch) const;
  /// Appends what Split gave to the partitions' files.
  void Append(const std::vector<Batch>& parts);
  std::vector<std::shared_ptr<SpillFile>> Finish();

 private:
  /// `rows` (ords included) by the partitions of `hashes`.
  std::vector<Batch> SplitRows(const Batch& rows, const std::vector<uint64_t>& hashes) const;

  SchemaPtr with_ord_;
  RowHasher hasher_;
  MemoryPool* pool_;
  int level_;
  std::vector<std::shared_ptr<SpillFile>> files_;
  std::mutex mutexes_[kSpillPartitions];
};

/// An operator's input, in memory or partitioned on disk.
struct CollectedRows {
  SchemaPtr schema;
  bool spilled = false;
  std::vector<Batch> batches;  ///< In memory: every batch, in seq order.
  /// Spilled: per partition, the rows with their input position as a last uint64 column.
  std::vector<std::shared_ptr<SpillFile>> partitions;
};

/// Collects an input; spills it to partitions when the pool asks, or at Finish when working on
/// the rows in memory would need more than the budget has left: twice the rows (they are put
/// together into one batch) plus `work_bytes_per_row` per row. Without a hasher (rows that must
/// all stay together) it only collects, and never spills.
class SpillableCollector final : public Sink, public SpillableConsumer {
 public:
  SpillableCollector(SchemaPtr schema, RowHasher hasher, const char* purpose,
                     int64_t work_bytes_per_row, const ExecContext& context);
  ~SpillableCollector() override;

  void Consume(Batch batch) override;
  void Finish() override;
  int64_t SpillableBytes() const override { return hasher_ ? held_.load() : 0; }
  int64_t Spill() override;

  /// Bytes of rows held in memory now.
  int64_t held() const { return held_.load(); }
  CollectedRows Take();

 private:
  SchemaPtr schema_;
  RowHasher hasher_;
  const char* purpose_;
  int64_t work_bytes_per_row_;
  ExecContext context_;
  MemoryPool* pool_;
  std::mutex mutex_;        ///< Guards batches_ and the switch to spilled.
  std::mutex spill_mutex_;  ///< One spill at a time.
  std::atomic<bool> spilled_{false};
  std::atomic<int64_t> held_{0};
  int64_t rows_ = 0;  ///< Held in batches_.
  std::vector<Batch> batches_;
  std::unique_ptr<HashPartitionWriter> writer_;
};

/// Splits a partition file (rows of `with_ord`) into kSpillPartitions files by the hash bits of
/// level `level` + 1, each keeping the rows in the order of `file`, which is dropped.
std::vector<std::shared_ptr<SpillFile>> SplitPartition(std::shared_ptr<SpillFile> file,
                                                       const SchemaPtr& with_ord,
                                                       const RowHasher& hasher, const char* purpose,
                                                       int level, const ExecContext& context);

/// A partition's rows back in input order (the ord column last).
Batch LoadInOrder(const std::shared_ptr<SpillFile>& file, const SchemaPtr& with_ord,
                  const ExecContext& context);

/// Writes `batch` (ords in its last column) to `file` as rows of `schema` (the other columns),
/// with the ords as each block's extra, in blocks small enough that the final merge, holding a
/// block of every partition's file, takes at most an eighth of the budget.
void WriteWithOrds(SpillFile* file, Batch batch, const SchemaPtr& schema, MemoryPool* pool);

}  // namespace sluice::exec
