// The hash aggregation and distinct sinks (group_by().agg(), SQL GROUP BY, unique()).
//
// Both are deterministic whatever the thread count: every morsel gets its own partial
// aggregate, partials are merged per radix partition in morsel (seq) order, and groups come out
// in order of their first row in the input. See exec/grouped_aggregation.h for how.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/schema.h"
#include "exec/pipeline.h"
#include "expr/expr.h"

namespace sluice::exec {

/// A sink computing `aggregates` (kAggregate expressions, maybe aliased, whose arguments are
/// expressions over the input) per distinct value of `keys` (expressions over the input); its
/// result has `output_schema`: the keys, then the aggregates. Without keys it produces exactly
/// one row, even for an empty input (count 0, sum null).
std::unique_ptr<BreakerSink> MakeHashAggregateSink(const Schema& input_schema,
                                                   const std::vector<Expr>& keys,
                                                   const std::vector<Expr>& aggregates,
                                                   SchemaPtr output_schema,
                                                   const ExecContext& context);

/// A sink keeping the first row of each distinct value of the `subset` columns (empty = all
/// columns), with every column of the input, in order of first occurrence.
std::unique_ptr<BreakerSink> MakeDistinctSink(const Schema& input_schema,
                                              const std::vector<std::string>& subset,
                                              const ExecContext& context);

}  // namespace sluice::exec
