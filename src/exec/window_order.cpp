// Sorting rows for a window specification: normalized keys (partition keys, then order keys)
// sorted by SortRows, then one pass over adjacent keys for partition and peer boundaries.
#include "exec/window_order.h"

#include <algorithm>

#include "core/error.h"
#include "exec/sort_keys.h"
#include "exec/sorted_run.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"

namespace sluice::exec {
namespace {

Column EvaluateKey(const Expr& expr, const Batch& input, MemoryPool* pool) {
  BoundExprPtr bound = Bind(expr, *input.schema);
  if (bound->kind == BoundExpr::Kind::kColumn)
    return input.columns[static_cast<size_t>(bound->column)];
  return Evaluate(*bound, input, /*expand=*/true, pool);
}

/// True when adjacent sorted positions p - 1 and p have equal keys in `block`.
bool SameKey(const SortKeyBlock& block, const WindowOrder& order, int64_t p) {
  return CompareKeys(block.Key(order.Row(p - 1)), block.Key(order.Row(p))) == 0;
}

}  // namespace

WindowOrder MakeWindowOrder(const Batch& input, const std::vector<Expr>& partition_by,
                            const std::vector<SortKey>& order_by, MemoryPool* pool) {
  WindowOrder order;
  const int64_t n = input.num_rows;
  if (n >= int64_t{UINT32_MAX})
    ThrowUnsupported("a window over {} rows: at most {} rows are supported", n, UINT32_MAX - 1);
  order.rows = n;

  // Partition keys: ascending, nulls last (any fixed order groups equal keys together).
  std::vector<Column> partition_columns, all_columns;
  std::vector<SortKeyOrder> partition_orders, all_orders;
  for (const Expr& key : partition_by) {
    Column column = EvaluateKey(key, input, pool);
    partition_orders.push_back({column.type, false, true});
    partition_columns.push_back(column);
  }
  all_columns = partition_columns;
  all_orders = partition_orders;
  for (const SortKey& key : order_by) {
    Column column = EvaluateKey(key.expr, input, pool);
    all_orders.push_back({column.type, key.descending, key.NullsLast()});
    all_columns.push_back(std::move(column));
  }

  SortKeyBlock all_keys, partition_keys;
  // The normalized keys and the sort's scratch, charged while the rows are sorted.
  MemoryReservation scratch(pool);
  if (!all_columns.empty() && n > 0) {
    all_keys = SortKeyEncoder(all_orders).Encode(all_columns);
    all_columns.clear();
    scratch.Set(all_keys.MemoryBytes() + SortRowsScratchBytes(n));
    order.perm.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) order.perm[static_cast<size_t>(i)] = static_cast<uint32_t>(i);
    SortRows(all_keys, &order.perm, n);
    if (!partition_columns.empty() && !order_by.empty())
      partition_keys = SortKeyEncoder(partition_orders).Encode(partition_columns);
  }
  partition_columns.clear();
  const SortKeyBlock& partition_block = order_by.empty() ? all_keys : partition_keys;

  order.partitions.push_back(0);
  if (!partition_by.empty()) {
    for (int64_t p = 1; p < n; ++p)
      if (!SameKey(partition_block, order, p)) order.partitions.push_back(static_cast<uint32_t>(p));
  }
  if (n > 0) order.partitions.push_back(static_cast<uint32_t>(n));

  // Peer groups: without ORDER BY a partition is one peer group.
  order.peer_begin.resize(static_cast<size_t>(n));
  order.peer_end.resize(static_cast<size_t>(n));
  for (size_t part = 0; part + 1 < order.partitions.size(); ++part) {
    const int64_t begin = order.partitions[part];
    const int64_t end = order.partitions[part + 1];
    int64_t group = begin;
    for (int64_t p = begin; p <= end; ++p) {
      if (p < end && (p == begin || order_by.empty() || SameKey(all_keys, order, p))) continue;
      // [group, p) is one peer group.
      for (int64_t q = group; q < p; ++q) {
        order.peer_begin[static_cast<size_t>(q)] = static_cast<uint32_t>(group);
        order.peer_end[static_cast<size_t>(q)] = static_cast<uint32_t>(p);
      }
      group = p;
    }
  }
  return order;
}

std::vector<std::pair<int64_t, int64_t>> PartitionChunks(const WindowOrder& order, int64_t pieces) {
  std::vector<std::pair<int64_t, int64_t>> chunks;
  const int64_t parts = order.num_partitions();
  if (parts <= 0) return chunks;
  const int64_t target =
      std::max<int64_t>(1, (order.rows + pieces - 1) / std::max<int64_t>(1, pieces));
  int64_t first = 0;
  for (int64_t part = 0; part < parts; ++part) {
    const int64_t rows = int64_t{order.partitions[static_cast<size_t>(part + 1)]} -
                         order.partitions[static_cast<size_t>(first)];
    if (rows >= target || part + 1 == parts) {
      chunks.emplace_back(first, part + 1);
      first = part + 1;
    }
  }
  return chunks;
}

}  // namespace sluice::exec
