// Rough sizes for join ordering, from what the files already say: a column's row count and an
// upper bound on its distinct values (the min..max range of an integer column over every row
// group's statistics). No sampling and no histograms: just enough to tell a key (o_orderkey)
// from a column with few values (c_nationkey), which decides whether a join multiplies rows.
#pragma once

#include <optional>
#include <string>

#include "plan/logical_plan.h"

namespace sluice {

struct ColumnEstimate {
  double rows = 0;           ///< Rows of the scan the column comes from (before filters).
  double distinct = 0;       ///< At most this many distinct values.
  double low = 0, high = 0;  ///< The smallest and largest value (dates as days).
};

/// An integer or date value (days) as a number, the unit of ColumnEstimate's low and high;
/// nothing for a null, a missing value or another type.
std::optional<double> EstimateNumber(const std::optional<Scalar>& value);

/// The estimate for `column` of `plan`, followed through filters and renaming projections down to
/// a Parquet scan; nullopt when the column is computed, not an integer or date, or the files have
/// no statistics for it.
std::optional<ColumnEstimate> EstimateColumn(const PlanPtr& plan, const std::string& column);

}  // namespace sluice
