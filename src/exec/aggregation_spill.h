// The spilling hash aggregation's disk side. When the memory pool asks the aggregation to give
// memory back, it writes whole radix partitions to spill files: first a snapshot of the
// partition (its groups' keys, where each first appeared, every aggregate's state), then, for
// the rest of the input, the partition's share of every later morsel partial (groups with their
// states, or raw rows with their arguments), in the order the partition would have merged them.
// At the end the partition is rebuilt from its file by exactly that sequence of merges, so every
// result — float sums included — is bit-identical to the in-memory run's.
//
// Once any partition spilled, the finished partitions go to result files too (their groups in
// order of first appearance, each with where it first appeared), and the output is a k-way
// merge of those files by first appearance: the same rows in the same order as in memory, with
// memory bounded by a block per partition.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "exec/hash_table.h"
#include "exec/pipeline.h"
#include "exec/spill_file.h"

namespace sluice::exec {

/// What a block of a partition's spill file holds.
enum class PartitionBlockKind : uint8_t {
  kSnapshot = 1,    ///< The partition's groups and states when it spilled.
  kAggregated = 2,  ///< A later partial's groups of this partition, with their states.
  kRaw = 3,         ///< A later raw partial's rows of this partition, with their arguments.
};

/// One block of a partition's spill file, as read back.
struct PartitionBlock {
  PartitionBlockKind kind = PartitionBlockKind::kSnapshot;
  uint64_t seq = 0;  ///< The partial's morsel (not used by snapshots).
  GroupKeys keys;
  /// Snapshot: per group, where it first appeared. Partials: per entry, its row in the morsel.
  std::vector<uint64_t> first;
  std::vector<std::vector<uint8_t>> states;  ///< Per aggregate (snapshot, aggregated).
  Batch arguments;                           ///< Raw: the arguments' rows; otherwise no rows.
};

/// Appends keys entries[0..count) of `keys` (entries null: first, first + 1, ...) to `out`.
void WriteGroupKeys(const GroupKeys& keys, const uint32_t* entries, uint32_t first, int64_t count,
                    std::vector<uint8_t>* out);

/// Writes a block to a partition's spill file. `states` holds each aggregate's serialized
/// groups; `arguments` has the arguments' schema (no rows unless raw).
void WritePartitionBlock(SpillFile* file, PartitionBlockKind kind, uint64_t seq,
                         std::vector<uint8_t> keys, std::span<const uint64_t> first,
                         std::vector<std::vector<uint8_t>> states, const Batch& arguments);

/// Reads a partition's spill file block by block.
class PartitionReader {
 public:
  PartitionReader(std::shared_ptr<const SpillFile> file, SchemaPtr arguments, size_t aggregates,
                  MemoryPool* pool);
  bool Next(PartitionBlock* block);

 private:
  std::shared_ptr<const SpillFile> file_;
  SpillReader reader_;
  size_t aggregates_;
  std::vector<std::vector<uint8_t>> extras_;
};

/// Writes a finished partition's columns (keys, then aggregates) and each group's first
/// appearance (increasing) to a new result file, in blocks of `block_rows` rows, for
/// MakePositionMergeSource (exec/position_merge.h). `counters` (may be null): the aggregation's,
/// for EXPLAIN ANALYZE.
std::shared_ptr<SpillFile> WriteResultFile(const SchemaPtr& schema,
                                           const std::vector<Column>& columns,
                                           const std::vector<uint64_t>& first_seen,
                                           int64_t block_rows, MemoryPool* pool,
                                           SpillCounters* counters = nullptr);

}  // namespace sluice::exec
