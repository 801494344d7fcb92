// The streaming operators of every pipeline: a filter (keeps the rows where a predicate is true,
// not null) and a projection (computes the output columns from expressions).
#pragma once

#include <memory>
#include <vector>

#include "exec/pipeline.h"
#include "expr/bound_expr.h"

namespace sluice::exec {

std::shared_ptr<Operator> MakeFilterOperator(const SchemaPtr& input, const Expr& predicate,
                                             MemoryPool* pool);
/// Outputs one column per expression, named by Expr::OutputName.
std::shared_ptr<Operator> MakeProjectOperator(const SchemaPtr& input,
                                              const std::vector<Expr>& exprs, SchemaPtr output,
                                              MemoryPool* pool);

}  // namespace sluice::exec
