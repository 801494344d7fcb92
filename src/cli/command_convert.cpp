// `sluice convert IN OUT`: reads Parquet (a file, a glob or a folder) and writes one Parquet
// file, streaming batch by batch, with the writer options users expect from DuckDB's COPY.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "io/parquet/reader/scanner.h"
#include "io/parquet/writer/file_writer.h"

namespace sluice::cli {

namespace {
struct ConvertOptions {
  std::string input;
  std::string output;
  std::string compression = "zstd";
  int compression_level = 0;
  int64_t row_group_size = 1 << 20;
  int page_version = 1;
  bool no_dictionary = false;
  bool no_page_index = false;
  bool union_by_name = false;
  std::vector<std::string> bloom_filter_columns;
};

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void RunConvert(const ConvertOptions& options, const GlobalOptions& global) {
  if (!EndsWith(options.output, ".parquet")) {
    ThrowUsage(
        "cannot tell the output format of '{}': name it *.parquet (CSV output comes with the CSV "
        "reader)",
        options.output);
  }
  io::parquet::WriterOptions writer_options;
  try {
    writer_options.compression = io::ParseCodec(options.compression);
  } catch (const Error& error) {
    ThrowUsage("{}", error.what());
  }
  writer_options.compression_level = options.compression_level;
  writer_options.row_group_size = options.row_group_size;
  writer_options.data_page_version = options.page_version;
  writer_options.dictionary = !options.no_dictionary;
  writer_options.page_index = !options.no_page_index;
  writer_options.bloom_filter_columns = options.bloom_filter_columns;

  io::parquet::ScanOptions scan;
  scan.union_by_name = options.union_by_name;
  scan.prefetch_batches = 2;  // Decode ahead while the writer encodes.
  io::parquet::ParquetScanner scanner(io::parquet::ResolveParquetPaths(options.input), scan);
  io::parquet::ParquetWriter writer(options.output, *scanner.schema(), writer_options);
  ProgressBar progress("convert", scanner.total_rows(), global.ShowProgress());
  Batch batch;
  int64_t rows = 0;
  while (scanner.Next(&batch)) {
    writer.Write(batch);
    rows += batch.num_rows;
    progress.Update(rows);
  }
  writer.Close();
  progress.Finish();
  if (!global.quiet) {
    fmt::print(stderr, "wrote {} rows to '{}' ({} bytes)\n", writer.rows_written(), options.output,
               writer.bytes_written());
  }
}
}  // namespace

void AddConvert(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* command =
      app.add_subcommand("convert", "Convert a file, glob or folder of Parquet files to Parquet");
  command->add_option("input", options->input, "Input file, glob (data/*.parquet) or folder")
      ->required();
  command->add_option("output", options->output, "Output file (.parquet)")->required();
  command->add_option("--compression", options->compression,
                      "zstd (default), snappy, gzip, lz4, lz4_raw, brotli or none");
  command->add_option("--compression-level", options->compression_level,
                      "Codec level (0 = the codec's default)");
  command
      ->add_option("--row-group-size", options->row_group_size,
                   "Rows per row group (default 1048576)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--page-version", options->page_version, "Data page version: 1 (default) or 2")
      ->check(CLI::IsMember({1, 2}));
  command->add_flag("--no-dictionary", options->no_dictionary, "Write every column PLAIN");
  command->add_flag(
      "--union-by-name", options->union_by_name,
      "Unify input files whose columns differ, by name (missing columns read as null)");
  command->add_flag("--no-page-index", options->no_page_index,
                    "Omit the column and offset indexes");
  command
      ->add_option("--bloom-filter", options->bloom_filter_columns,
                   "Columns to write bloom filters for")
      ->delimiter(',')
      ->allow_extra_args(false);  // `--bloom-filter a IN OUT`: IN is not a column.
  command->callback([options, &global, action] {
    *action = [options, &global] { RunConvert(*options, global); };
  });
}

}  // namespace sluice::cli
