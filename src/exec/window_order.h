// The row order a window specification needs: rows sorted by partition keys then order keys
// (stable: ties keep input order), with the partition boundaries and each row's peer group (the
// rows with equal order keys in its partition). Window functions compute over sorted positions
// and write their results back at the rows' input positions.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "expr/expr.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

struct WindowOrder {
  int64_t rows = 0;
  std::vector<uint32_t> perm;        ///< Sorted position -> input row; empty: the identity.
  std::vector<uint32_t> partitions;  ///< The first position of each partition, then `rows`.
  /// Per sorted position: the first position of its peer group and one past its last.
  std::vector<uint32_t> peer_begin, peer_end;

  uint32_t Row(int64_t position) const {
    return perm.empty() ? static_cast<uint32_t>(position) : perm[static_cast<size_t>(position)];
  }
  int64_t num_partitions() const { return static_cast<int64_t>(partitions.size()) - 1; }
  int64_t MemoryBytes() const {
    return static_cast<int64_t>(
        (perm.capacity() + partitions.capacity() + peer_begin.capacity() + peer_end.capacity()) *
        sizeof(uint32_t));
  }
};

/// Sorts the rows of `input` for a window `PARTITION BY partition_by ORDER BY order_by` (the
/// keys are expressions over `input`), reusing the sort's normalized keys (exec/sort_keys.h).
WindowOrder MakeWindowOrder(const Batch& input, const std::vector<Expr>& partition_by,
                            const std::vector<SortKey>& order_by, MemoryPool* pool);

/// Cuts the partitions into at most `pieces` consecutive runs of whole partitions of similar
/// row counts, for the threads: each is [first partition, end partition).
std::vector<std::pair<int64_t, int64_t>> PartitionChunks(const WindowOrder& order, int64_t pieces);

}  // namespace sluice::exec
