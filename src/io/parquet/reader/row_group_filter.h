// Statistics pruning, the narrow interface between the planner and the Parquet reader (DESIGN.md
// "Layers"): "may any row of this row group satisfy these bounds?", answered from the row group's
// min/max/null-count statistics (and bloom filters for value lists). The planner turns pushed-down
// predicates into bounds; this side knows nothing of expressions.
//
// Answers err on the side of reading: missing statistics, a column the file lacks, values that do
// not compare (different type families) all mean "may match". A false answer is a promise that no
// row of the row group satisfies every bound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/scalar.h"
#include "io/parquet/reader/file_reader.h"

namespace sluice::io::parquet {

/// What every wanted row's value of one column satisfies. Bounds are in the column's own type
/// where possible; numbers of different types compare by value.
struct ColumnBound {
  std::string column;
  /// value > min (or >= when min_inclusive), and value < max (or <=).
  std::optional<Scalar> min, max;
  bool min_inclusive = true;
  bool max_inclusive = true;
  /// The value is one of these (`x = 5`, `x IN (1, 2)`); an empty list matches nothing.
  std::optional<std::vector<Scalar>> values;
  bool is_null = false;   ///< Wanted rows are null in this column.
  bool not_null = false;  ///< Wanted rows are not null (implied by min, max and values).
  /// The column is a hive partition key: a file without it takes its value from the file's
  /// `key=value` folders (int64 when the bound's values are integers, else text), so whole files
  /// of other partitions are skipped.
  bool partition_key = false;
};

/// Compares two non-null values: negative, zero or positive as a < b, a == b, a > b; nothing when
/// they do not compare (different families, different time zones, a NaN, or a comparison that
/// would need rounding). Numbers of any integer, decimal or float type compare by exact value;
/// strings and binaries bytewise (unsigned); timestamps, times and durations in a common unit.
std::optional<int> CompareValues(const Scalar& a, const Scalar& b);

/// True unless the statistics of `row_group` prove that no row satisfies every bound.
bool RowGroupMayMatch(const ParquetFile& file, int row_group,
                      const std::vector<ColumnBound>& bounds);

}  // namespace sluice::io::parquet
