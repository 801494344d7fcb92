// Gathering rows of a column into a new column: by a list of row indexes (joins, sorts) or by a
// boolean mask (filters). Both are the hot inner steps of operators, so they work per type on
// raw buffers.
#pragma once

#include <cstdint>
#include <vector>

#include "core/batch.h"
#include "core/column.h"

namespace sluice {

/// Rows indices[0..count) of `column`, in that order. An index of -1 gives a null row (for the
/// unmatched side of outer joins).
Column Take(const Column& column, const int64_t* indices, int64_t count,
            MemoryPool* pool = MemoryPool::Default());

/// The indexes of the rows where `mask` (a bool column) is true, not null.
std::vector<int64_t> SelectedRows(const Column& mask);

/// Every column of `batch` gathered at `indices`; keeps schema and seq.
Batch TakeBatch(const Batch& batch, const int64_t* indices, int64_t count,
                MemoryPool* pool = MemoryPool::Default());

}  // namespace sluice
