// Column-level comparison and boolean logic, for kernel files that build on them (is_in,
// between, case_when): the same vectorized loops as the registered functions, callable on
// columns that already share a type.
#pragma once

#include <cstdint>

#include "core/column.h"
#include "core/memory_pool.h"

namespace sluice::kernels {

enum class CompareOp : uint8_t { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

/// Compares two columns of the same type (each of `rows` values or 1 value) into a bool column
/// with SQL nulls. Floats order NaN above every number and equal to itself (as DuckDB does);
/// strings compare bytewise.
Column CompareColumns(CompareOp op, const Column& a, const Column& b, int64_t rows,
                      MemoryPool* pool);

/// SQL three-valued AND / OR of two bool columns (each of `rows` values or 1 value).
Column AndColumns(const Column& a, const Column& b, int64_t rows, MemoryPool* pool);
Column OrColumns(const Column& a, const Column& b, int64_t rows, MemoryPool* pool);
/// NOT of a bool column; nulls stay null.
Column NotColumn(const Column& a, MemoryPool* pool);

}  // namespace sluice::kernels
