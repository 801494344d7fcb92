// Computing one window expression over rows sorted for its specification (window_order.h):
// ranking functions (row_number, rank, dense_rank, percent_rank, cume_dist, ntile), offsets
// (lag, lead), frame values (first_value, last_value, nth_value) and aggregates over frames
// (window_aggregates.cpp). Partitions are independent: runs of whole partitions go to the
// threads, and every result lands at its row's input position, so the output is the same
// whatever the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/batch.h"
#include "core/column.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "exec/window_frames.h"
#include "exec/window_order.h"
#include "plan/logical_plan.h"
#include "plan/window_plan.h"

namespace sluice::exec {

struct WindowContext {
  const Batch* input = nullptr;        ///< Every input row, in input order.
  const WindowOrder* order = nullptr;  ///< The rows sorted for the window's specification.
  std::vector<std::pair<int64_t, int64_t>> chunks;  ///< Runs of partitions (PartitionChunks).
  ThreadPool* threads = nullptr;
  MemoryPool* pool = nullptr;

  /// Calls body(begin, end) for the positions of every partition, runs of partitions in
  /// parallel; body(…) must only write at the input rows of its own partition.
  void ForEachPartition(const std::function<void(int64_t begin, int64_t end)>& body) const;
};

/// The result column of `window` (of type `type`), one value per input row in input order.
/// `args` are its arguments evaluated over the input (full length).
Column ComputeWindow(const WindowExpr& window, const DataType& type, std::vector<Column> args,
                     const WindowContext& context);

/// lag's or lead's default (its third argument, evaluated over the rows) in the result's type.
Column LagDefaultOfType(const WindowExpr& window, const DataType& type, Column value,
                        MemoryPool* pool);

/// What computing `window` takes per input row besides its arguments, sort order and result: the
/// scratch its function allocates (frame bounds, states, row numbers to gather), an upper
/// estimate by kind. The window charges it to the pool while it computes.
int64_t WindowWorkBytesPerRow(const WindowExpr& window);

/// Aggregates over frames (window_aggregates.cpp).
Column ComputeWindowAggregate(const WindowExpr& window, const DataType& type,
                              const std::vector<Column>& args, const WindowFrames& frames,
                              const WindowContext& context);

/// A fixed-width column of `type` from `rows` values in memory and validity bytes (null: all
/// valid).
Column MakeFixedWindowColumn(const DataType& type, const void* values, int64_t rows,
                             const std::vector<uint8_t>* valid, MemoryPool* pool);

}  // namespace sluice::exec
