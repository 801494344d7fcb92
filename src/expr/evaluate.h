// Runs a bound expression over a batch, vectorized: each node computes a whole column.
#pragma once

#include "core/batch.h"
#include "core/column.h"
#include "expr/bound_expr.h"

namespace sluice {

/// Evaluates `expr` over `batch`; the result has batch.num_rows values, or exactly 1 when the
/// expression reads no column (a constant), unless `expand` asks for a full column anyway.
Column Evaluate(const BoundExpr& expr, const Batch& batch, bool expand = true,
                MemoryPool* pool = MemoryPool::Default());

/// Repeats the single value of a 1-value column `rows` times.
Column Broadcast(const Column& one, int64_t rows, MemoryPool* pool = MemoryPool::Default());

/// Converts a 1-value column to a Scalar and back.
Scalar ScalarFromColumn(const Column& column, int64_t row = 0);
Column ColumnFromScalar(const Scalar& value, MemoryPool* pool = MemoryPool::Default());

}  // namespace sluice
