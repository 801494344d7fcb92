// __assert_single_row(count, value): returns `value`, or fails when a `count` is above 1. The SQL
// binder computes a scalar subquery as a join with its result and adds this check over the
// subquery's row count, so that a subquery used as an expression that yields more than one row
// is an error at run time (as in PostgreSQL and DuckDB) instead of a silent pick or duplicate
// rows. The name starts with "__": it is internal, not a SQL function.
#include <vector>

#include "core/error.h"
#include "expr/kernels/null_functions.h"
#include "expr/kernels/string_util.h"

namespace sluice {
namespace kernels {
namespace {

Column AssertSingleRowKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  FixedArg<int64_t> count(args[0], n);
  bool failed = false;
  for (int64_t i = 0; i < n; ++i) failed |= count[i] > 1;
  if (failed) ThrowInvalid("more than one row returned by a subquery used as an expression");
  const Column& value = args[1];
  if (value.length == n) return value;
  std::vector<int64_t> zeros(static_cast<size_t>(n), 0);  // Broadcast a constant value.
  return TakeRows(value, zeros, pool);
}

BoundCall BindAssertSingleRow(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 2, "__assert_single_row", display);
  args[0] = RequireInt64(std::move(args[0]), 0, "__assert_single_row", display);
  DataType type = args[1]->type;
  return {type, &AssertSingleRowKernel, std::move(args)};
}

}  // namespace

void RegisterAssertFunctions(FunctionRegistry& registry) {
  registry.Add({"__assert_single_row", &BindAssertSingleRow});
}

}  // namespace kernels
}  // namespace sluice
