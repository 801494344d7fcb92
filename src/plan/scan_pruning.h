// Row-group pruning for Parquet scans: turns the predicates pushed into a scan (`col op literal`,
// between, is_in with literals, is_null, AND of those) into the io layer's column bounds
// (io/parquet/reader/row_group_filter.h) and hands the executor a keep_row_group callback.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "io/parquet/reader/file_reader.h"
#include "io/parquet/reader/row_group_filter.h"
#include "plan/logical_plan.h"

namespace sluice {

/// The bounds the scan's filters put on its columns (empty when none can prune).
std::vector<io::parquet::ColumnBound> ScanBounds(const LogicalPlan& scan);

/// A ScanOptions::keep_row_group predicate for a Parquet scan node, or an empty function when
/// its filters bound no column (or it is not a Parquet scan).
std::function<bool(const io::parquet::ParquetFile&, int)> MakeRowGroupFilter(
    const LogicalPlan& scan);

struct RowGroupCounts {
  int64_t total = 0;
  int64_t skipped = 0;
};

/// How many row groups the scan's files hold and how many its filters skip (for EXPLAIN). Opens
/// each file's footer.
RowGroupCounts CountRowGroups(const LogicalPlan& scan);

}  // namespace sluice
