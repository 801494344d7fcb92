// `sluice head FILE [-n N]`: the first rows of a Parquet file (or glob or folder) as a box table,
// CSV or JSON Lines. Reads only as many row groups as the rows asked for need.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/table_printer.h"
#include "cli/usage_error.h"
#include "io/parquet/reader/scanner.h"

namespace sluice::cli {

namespace {
struct HeadOptions {
  std::string path;
  int64_t rows = 10;
  std::string format = "table";
  std::vector<std::string> columns;
  bool union_by_name = false;
};

void RunHead(const HeadOptions& options) {
  if (options.format != "table" && options.format != "csv" && options.format != "json") {
    ThrowUsage("unknown --format '{}'; use table, csv or json", options.format);
  }
  io::parquet::ScanOptions scan;
  scan.columns = options.columns;
  scan.batch_size = std::clamp<int64_t>(options.rows, 1, 64 * 1024);
  scan.union_by_name = options.union_by_name;
  io::parquet::ParquetScanner scanner(io::parquet::ResolveParquetPaths(options.path), scan);
  std::vector<Batch> batches;
  int64_t rows = 0;
  Batch batch;
  while (rows < options.rows && scanner.Next(&batch)) {
    if (rows + batch.num_rows > options.rows) batch = batch.Slice(0, options.rows - rows);
    rows += batch.num_rows;
    batches.push_back(std::move(batch));
  }
  const Schema& schema = *scanner.schema();
  if (options.format == "csv") {
    fmt::print("{}", RenderCsv(schema, batches));
  } else if (options.format == "json") {
    fmt::print("{}", RenderJsonLines(schema, batches));
  } else {
    fmt::print("{}", RenderTable(schema, batches, rows));
  }
}
}  // namespace

void AddHead(CLI::App& app, const GlobalOptions&, Action* action) {
  auto options = std::make_shared<HeadOptions>();
  CLI::App* command = app.add_subcommand("head", "Show the first rows of a Parquet file");
  command->add_option("file", options->path, "Parquet file, glob or folder")->required();
  command->add_option("-n,--rows", options->rows, "Rows to show (default 10)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--format", options->format, "table (default), csv or json (JSON Lines)");
  command->add_option("--columns,-c", options->columns, "Columns to show, comma separated")
      ->delimiter(',')
      ->allow_extra_args(false);  // `-c a,b FILE`: the file is not a column.
  command->add_flag("--union-by-name", options->union_by_name,
                    "Unify input files whose columns differ, by name");
  command->callback([options, action] { *action = [options] { RunHead(*options); }; });
}

}  // namespace sluice::cli
