// `sluice schema FILE`: the columns of a Parquet file with the logical types users know, and
// what the footer says about rows, row groups and the writer.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/table_printer.h"
#include "core/column_builder.h"
#include "io/parquet/reader/scanner.h"

namespace sluice::cli {

namespace {
void RunSchema(const std::string& path) {
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
  Batch batch;
  batch.schema = std::make_shared<Schema>(std::vector<Field>{
      {"column", Utf8(), false}, {"type", Utf8(), false}, {"nullable", Bool(), true}});
  batch.columns = {names.Finish(), types.Finish(), nullable.Finish()};
  batch.num_rows = batch.columns[0].length;
  TableOptions options;
  options.max_rows = 1 << 20;
  options.max_cell_width = 80;
  fmt::print("{}", RenderTable(*batch.schema, {batch}, batch.num_rows, options));
  fmt::print("{}: {} rows in {} row group{}{}{}\n", file->path(), file->num_rows(),
             file->num_row_groups(), file->num_row_groups() == 1 ? "" : "s",
             file->metadata().created_by ? ", written by " : "",
             file->metadata().created_by.value_or(""));
  if (paths.size() > 1) fmt::print("(the first of {} files)\n", paths.size());
}
}  // namespace

void AddSchema(CLI::App& app, const GlobalOptions&, Action* action) {
  auto path = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("schema", "Show the columns and types of a Parquet file");
  command->add_option("file", *path, "Parquet file, glob or folder")->required();
  command->callback([path, action] { *action = [path] { RunSchema(*path); }; });
}

}  // namespace sluice::cli
