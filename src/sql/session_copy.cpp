// COPY (query) | name TO 'path' (options): Parquet and CSV stream through the plan's sink (one
// file, or a folder of hive partitions with PARTITION_BY), atomically; JSON (one object per line,
// as DuckDB writes it) is written from the collected rows.
#include <algorithm>
#include <vector>

#include "core/error.h"
#include "core/schema.h"
#include "core/table_printer.h"
#include "io/fs/atomic_file.h"
#include "sql/binder.h"
#include "sql/copy_options.h"
#include "sql/session_statements.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

void CheckPartitionColumns(const CopyRequest& request, const Schema& schema,
                           const Statement& statement, std::string_view sql) {
  std::vector<std::string> names;
  for (const Field& field : schema.fields()) names.push_back(field.name);
  for (const std::string& column : request.target.partition_by) {
    if (schema.FindField(column)) continue;
    std::string message = fmt::format("PARTITION_BY column \"{}\" not found", column);
    if (auto closest = ClosestName(column, names)) {
      message += fmt::format("; did you mean \"{}\"?", *closest);
    }
    ThrowSqlError(sql, statement.pos, message);
  }
  if (request.target.partition_by.size() >= schema.size()) {
    ThrowSqlError(sql, statement.pos,
                  "PARTITION_BY names every column, which would leave the files with none");
  }
}

}  // namespace

PlanPtr StatementPlan(const Statement& statement, std::string_view sql, const Catalog& catalog) {
  if (statement.query) return BindQuery(*statement.query, catalog, sql);
  const Catalog::Entry* entry = catalog.Find(statement.name);
  if (entry == nullptr) {
    std::string message = fmt::format("table \"{}\" not found", statement.name);
    if (auto closest = ClosestName(statement.name, catalog.Names())) {
      message += fmt::format("; did you mean \"{}\"?", *closest);
    }
    ThrowSqlError(sql, statement.pos, message);
  }
  return entry->plan;
}

StatementResult RunCopy(const Statement& statement, std::string_view sql, const Catalog& catalog,
                        const RunOptions& run) {
  CopyRequest request = ParseCopyOptions(statement, sql);
  PlanPtr plan = StatementPlan(statement, sql, catalog);
  LazyFrame frame(plan);
  const std::string& path = request.target.path;
  int64_t rows = 0;
  if (!request.target.partition_by.empty()) {
    CheckPartitionColumns(request, *plan->schema, statement, sql);
  }
  switch (request.format) {
    case CopyRequest::Format::kParquet:
    case CopyRequest::Format::kCsv: rows = frame.sink(request.target, run); break;
    case CopyRequest::Format::kJson: {
      DataFrame data = frame.collect(run);
      io::AtomicFileWriter file = io::AtomicFileWriter::Open(path);
      // Rendered a batch at a time so that the text of a large result is never whole in memory.
      for (const Batch& batch : data.batches) {
        std::string text = RenderJsonLines(*data.schema, {batch});
        file.Write(text.data(), text.size());
      }
      file.Commit();
      rows = data.num_rows();
      break;
    }
  }
  StatementResult result;
  result.row_count = rows;
  result.text = fmt::format("COPY {} row{}", rows, rows == 1 ? "" : "s");
  return result;
}

}  // namespace sluice::sql
