// Renders batches as a box table for the terminal, in the style of DuckDB's shell: column names
// with their types underneath, right-aligned numbers, long results elided in the middle, and a
// footer with the row count.
#pragma once

#include <string>
#include <vector>

#include "core/batch.h"

namespace sluice {

struct TableOptions {
  int64_t max_rows = 40;       ///< Rows shown before the middle is elided.
  size_t max_cell_width = 40;  ///< Longer values are cut with an ellipsis.
};

/// Renders `rows` (all with `schema`) and a footer with `total_rows` (which may exceed what is
/// shown).
std::string RenderTable(const Schema& schema, const std::vector<Batch>& batches, int64_t total_rows,
                        const TableOptions& options = {});

/// Renders the rows as CSV (RFC 4180 quoting, header line, empty field for null).
std::string RenderCsv(const Schema& schema, const std::vector<Batch>& batches);
/// Renders the rows as JSON Lines: one object per row, null as null, numbers unquoted.
std::string RenderJsonLines(const Schema& schema, const std::vector<Batch>& batches);

}  // namespace sluice
