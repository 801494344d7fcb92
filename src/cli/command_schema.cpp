// `sluice schema FILE`: the columns of a Parquet file with the logical types users know, and
// what the footer says about rows, row groups and the writer; for a CSV file, the columns and
// the types inferred from its first rows (or given with --types).
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/csv_flags.h"
#include "cli/input_source.h"
#include "core/table_printer.h"
#include "cli/usage_error.h"
#include "core/column_builder.h"
#include "io/csv/reader.h"
#include "io/parquet/reader/scanner.h"

namespace sluice::cli {

namespace {
struct SchemaOptions {
  std::string path;
  CsvReadFlags csv;
};

/// Prints rows of (column, type, nullable) as a box table.
void PrintColumns(ColumnBuilder& names, ColumnBuilder& types, ColumnBuilder& nullable) {
  Batch batch;
  batch.schema = std::make_shared<Schema>(std::vector<Field>{
      {"column", Utf8(), false}, {"type", Utf8(), false}, {"nullable", Bool(), true}});
  batch.columns = {names.Finish(), types.Finish(), nullable.Finish()};
  batch.num_rows = batch.columns[0].length;
  TableOptions options;
  options.max_rows = 1 << 20;
  options.max_cell_width = 80;
  fmt::print("{}", RenderTable(*batch.schema, {batch}, batch.num_rows, options));
}

void RunParquetSchema(const std::string& path) {
  auto paths = io::parquet::ResolveParquetPaths(path);
  auto file = io::parquet::ParquetFile::Open(paths.front());
  const auto& schema = file->schema();
  ColumnBuilder names(Utf8()), types(Utf8()), nullable(Bool());
  for (const std::string& name : schema.top_level_order) {
    names.AppendString(name);
    if (auto index = schema.schema.FindField(name)) {
      types.AppendString(schema.schema.field(*index).type.ToString());
      nullable.AppendBool(schema.schema.field(*index).nullable);
      continue;
    }
    for (const auto& unsupported : schema.unsupported) {
      if (unsupported.name == name) types.AppendString("unsupported: " + unsupported.reason);
    }
    nullable.AppendNull();
  }
  PrintColumns(names, types, nullable);
  fmt::print("{}: {} rows in {} row group{}{}{}\n", file->path(), file->num_rows(),
             file->num_row_groups(), file->num_row_groups() == 1 ? "" : "s",
             file->metadata().created_by ? ", written by " : "",
             file->metadata().created_by.value_or(""));
  if (paths.size() > 1) fmt::print("(the first of {} files)\n", paths.size());
}

void RunCsvSchema(const SchemaOptions& options) {
  InputOptions input;
  input.csv = options.csv.ToReadOptions();
  input.csv_options_given = true;
  const int64_t sample_rows = input.csv.sample_rows;
  const size_t files = io::csv::ResolveCsvPaths(options.path).size();
  std::unique_ptr<BatchSource> source = OpenInput(options.path, input);
  ColumnBuilder names(Utf8()), types(Utf8()), nullable(Bool());
  for (const Field& field : source->schema()->fields()) {
    names.AppendString(field.name);
    types.AppendString(field.type.ToString());
    nullable.AppendBool(field.nullable);
  }
  PrintColumns(names, types, nullable);
  fmt::print("{}: CSV; types inferred from up to {} rows{}\n", options.path, sample_rows,
             options.csv.types.empty() ? "" : " and --types");
  if (files > 1) fmt::print("({} files)\n", files);
}

void RunSchema(const SchemaOptions& options) {
  if (IsCsvInput(options.path)) {
    RunCsvSchema(options);
    return;
  }
  if (options.csv.AnyGiven()) {
    ThrowUsage(
        "CSV options were given but '{}' is read as Parquet (CSV files end in .csv, .tsv "
        "or .txt, optionally with .gz or .zst)",
        options.path);
  }
  RunParquetSchema(options.path);
}
}  // namespace

void AddSchema(CLI::App& app, const GlobalOptions&, Action* action) {
  auto options = std::make_shared<SchemaOptions>();
  CLI::App* command =
      app.add_subcommand("schema", "Show the columns and types of a Parquet or CSV file");
  command->add_option("file", options->path, "Parquet or CSV file, glob or folder")->required();
  AddCsvReadFlags(command, &options->csv);
  command->callback([options, action] { *action = [options] { RunSchema(*options); }; });
}

}  // namespace sluice::cli
