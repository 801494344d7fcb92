// `sluice head FILE [-n N]`: the first rows of a Parquet or CSV file (or glob or folder) as a box
// table, CSV or JSON Lines. Reads only as many row groups (or CSV lines) as the rows asked for
// need.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/csv_flags.h"
#include "cli/input_source.h"
#include "core/table_printer.h"
#include "cli/usage_error.h"

namespace sluice::cli {

namespace {
struct HeadOptions {
  std::string path;
  int64_t rows = 10;
  std::string format = "table";
  std::vector<std::string> columns;
  bool union_by_name = false;
  CsvReadFlags csv;
};

void RunHead(const HeadOptions& options) {
  if (options.format != "table" && options.format != "csv" && options.format != "json") {
    ThrowUsage("unknown --format '{}'; use table, csv or json", options.format);
  }
  InputOptions input;
  input.columns = options.columns;
  input.batch_size = std::clamp<int64_t>(options.rows, 1, 64 * 1024);
  input.union_by_name = options.union_by_name;
  input.csv = options.csv.ToReadOptions();
  input.csv_options_given = options.csv.AnyGiven();
  std::unique_ptr<BatchSource> source = OpenInput(options.path, input);
  std::vector<Batch> batches;
  int64_t rows = 0;
  Batch batch;
  while (rows < options.rows && source->Next(&batch)) {
    if (rows + batch.num_rows > options.rows) batch = batch.Slice(0, options.rows - rows);
    rows += batch.num_rows;
    batches.push_back(std::move(batch));
  }
  const Schema& schema = *source->schema();
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
  CLI::App* command = app.add_subcommand("head", "Show the first rows of a Parquet or CSV file");
  command->add_option("file", options->path, "Parquet or CSV file, glob or folder")->required();
  command->add_option("-n,--rows", options->rows, "Rows to show (default 10)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--format", options->format, "table (default), csv or json (JSON Lines)");
  command->add_option("--columns,-c", options->columns, "Columns to show, comma separated")
      ->delimiter(',')
      ->allow_extra_args(false);  // `-c a,b FILE`: the file is not a column.
  command->add_flag("--union-by-name", options->union_by_name,
                    "Unify input files whose columns differ, by name");
  AddCsvReadFlags(command, &options->csv);
  command->callback([options, action] { *action = [options] { RunHead(*options); }; });
}

}  // namespace sluice::cli
