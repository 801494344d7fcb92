// A materialized result: a schema and its rows as batches, in order. What LazyFrame::collect()
// returns; it prints as a box table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.h"
#include "core/table_printer.h"

namespace sluice {

struct DataFrame {
  SchemaPtr schema;
  std::vector<Batch> batches;

  int64_t num_rows() const;
  /// All rows of column `name` in one column (throws with a did-you-mean for an unknown name).
  Column column(std::string_view name) const;
  /// The rows as one batch.
  Batch Combined() const;
  /// A box table (DuckDB shell style).
  std::string ToString(const TableOptions& options = {}) const;
};

}  // namespace sluice
