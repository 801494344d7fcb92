// How `sluice query` prints a result's rows: a box table like DuckDB's shell (the default), CSV,
// JSON (an array of objects, as `duckdb -json`), JSON Lines, or a Markdown table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/data_frame.h"
#include "core/table_printer.h"

namespace sluice::cli {

enum class ResultFormat : uint8_t { kBox, kCsv, kJson, kJsonLines, kMarkdown };

/// "box" or "table", "csv", "json", "jsonl" (or "ndjson"), "markdown" (or "md"); throws
/// UsageError for anything else.
ResultFormat ParseResultFormat(std::string_view name);

/// The rows in `format`, ending with a newline.
std::string RenderResult(const DataFrame& rows, ResultFormat format, const TableOptions& table);

/// A GitHub-flavoured Markdown table: numbers right-aligned, `|` escaped, NULL for null.
std::string RenderMarkdown(const Schema& schema, const std::vector<Batch>& batches);

/// A JSON array of objects, one row per line as DuckDB's shell prints it; `[]` when empty.
std::string RenderJsonArray(const Schema& schema, const std::vector<Batch>& batches);

}  // namespace sluice::cli
