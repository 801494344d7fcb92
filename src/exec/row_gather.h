// Gathering rows of columns by index: the hash join assembles its output from match lists
// (probe rows and build rows, a missing build row giving nulls), and the sort assembles merged
// output from rows of several sorted runs. One type switch per column, then a tight loop.
#pragma once

#include <cstdint>
#include <span>

#include "core/batch.h"
#include "core/column.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"

namespace sluice::exec {

/// A row index that stands for "no row": the gathered value is null.
inline constexpr uint32_t kNullRow = UINT32_MAX;

/// Returns a column whose row i is row rows[i] of `column`, or null where rows[i] == kNullRow.
Column GatherRows(const Column& column, std::span<const uint32_t> rows,
                  MemoryPool* pool = MemoryPool::Default());

/// Returns a column whose row i is row rows[i] of *sources[source_ids[i]]; every source has the
/// same type.
Column GatherFromMany(std::span<const Column* const> sources, std::span<const uint32_t> source_ids,
                      std::span<const uint32_t> rows, MemoryPool* pool = MemoryPool::Default());

/// Returns a column of `length` nulls of `type`.
Column MakeNullColumn(const DataType& type, int64_t length,
                      MemoryPool* pool = MemoryPool::Default());

/// Concatenates the columns of `batches` (all of `schema`) into one batch with seq 0; columns are
/// copied in parallel on `threads` when given.
Batch ConcatenateBatches(const SchemaPtr& schema, std::span<const Batch> batches,
                         MemoryPool* pool = MemoryPool::Default(), ThreadPool* threads = nullptr);

}  // namespace sluice::exec
