// A bound expression: an Expr whose names are resolved against a schema (columns to indexes,
// functions to kernels) and whose every node has a type. Built by Bind, run by Evaluate.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/column.h"
#include "core/memory_pool.h"
#include "core/schema.h"
#include "expr/expr.h"

namespace sluice {

struct BoundExpr;
using BoundExprPtr = std::shared_ptr<const BoundExpr>;

struct BoundExpr {
  enum class Kind : uint8_t { kColumn, kLiteral, kCall };
  Kind kind = Kind::kColumn;
  DataType type;
  int column = -1;  ///< kColumn: index in the input batch.
  Column literal;   ///< kLiteral: a 1-value column.
  std::function<Column(std::span<const Column>, int64_t, MemoryPool*)> kernel;  ///< kCall.
  std::vector<BoundExprPtr> args;                                               ///< kCall.
  std::string display;  ///< The source expression, for errors raised while evaluating.
};

/// Resolves `expr` against `schema`. Throws sluice::Error (invalid input) for unknown columns
/// (with a did-you-mean), unknown functions and type mismatches, naming the expression.
/// Aliases are transparent (the caller takes the output name from Expr::OutputName); aggregates
/// are rejected here: plans compute them in Aggregate nodes and refer to their results by name.
BoundExprPtr Bind(const Expr& expr, const Schema& schema);

/// The type `expr` has over `schema` (binding it).
DataType ResolveType(const Expr& expr, const Schema& schema);

/// Makes the bound node of an implicit or explicit cast of `input` to `type` (identity when the
/// types are equal). `try_cast` gives null for values that do not convert instead of an error.
BoundExprPtr BindCast(BoundExprPtr input, const DataType& type, bool try_cast,
                      const std::string& display);

/// A bound literal of `value`.
BoundExprPtr BindLiteral(const Scalar& value);

}  // namespace sluice
