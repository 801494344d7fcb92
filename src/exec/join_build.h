// The build side of a hash join: runs the build input to completion (keys are evaluated and
// encoded per batch, in parallel, as batches arrive), restores input order from batch seqs,
// concatenates the rows and builds the partitioned hash table over them. Memory is accounted
// against the context's pool; running out names the join.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "exec/join_hash_table.h"
#include "exec/join_keys.h"
#include "exec/pipeline.h"
#include "expr/bound_expr.h"

namespace sluice::exec {

/// One side's join keys bound against its schema, with any casts PlanJoinKeys asked for.
struct BoundJoinKeys {
  std::vector<BoundExprPtr> exprs;

  /// Evaluates every key over `batch` (plain columns are taken as they are).
  std::vector<Column> Evaluate(const Batch& batch, MemoryPool* pool) const;
};

/// The materialized build side.
struct JoinBuildSide {
  explicit JoinBuildSide(MemoryPool* pool) : keys_memory(pool), table_memory(pool) {}

  Batch rows;        ///< Every build row in input order.
  EncodedKeys keys;  ///< Row i's key (empty for a cross join).
  JoinHashTable table;
  /// Full joins: one flag per build row, set (atomically) by probes that match it.
  std::unique_ptr<std::atomic<uint8_t>[]> matched;
  MemoryReservation keys_memory;
  MemoryReservation table_memory;
};

/// Runs `build` into memory and builds its table. `keys` is empty for a cross join (rows only).
/// `join_name` ("inner join on user_id = user_id") names the join in out-of-memory errors.
/// The context's pool and threads must be set (MakeHashJoin resolves the defaults).
std::shared_ptr<JoinBuildSide> BuildJoinSide(Stream build, const BoundJoinKeys& keys,
                                             const JoinKeySpec& spec, bool track_matches,
                                             const std::string& join_name,
                                             const ExecContext& context);

/// Builds the table over `rows` directly (no pipeline: the rows are already in memory, in
/// input order), as BuildJoinSide does. For the partitions of a spilled join.
std::shared_ptr<JoinBuildSide> BuildJoinSideFromRows(Batch rows, const BoundJoinKeys& keys,
                                                     const JoinKeySpec& spec, bool track_matches,
                                                     const ExecContext& context);

}  // namespace sluice::exec
