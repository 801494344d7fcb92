// `sluice convert IN OUT`: reads Parquet or CSV (a file, a glob or a folder) and writes one
// Parquet or CSV file, chosen by the extensions, streaming batch by batch, with the writer options
// users expect from DuckDB's COPY.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/csv_flags.h"
#include "cli/input_source.h"
#include "cli/progress.h"
#include "cli/usage_error.h"
#include "core/error.h"

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
  /// The Parquet writer options, to reject them when the output is CSV.
  std::vector<CLI::Option*> parquet_options;
  CsvReadFlags csv_read;
  CsvWriteFlags csv_write;
};

OutputOptions MakeOutputOptions(const ConvertOptions& options) {
  OutputOptions output;
  if (OutputFormatOf(options.output) == OutputFormat::kCsv) {
    for (const CLI::Option* option : options.parquet_options) {
      if (option->count() > 0) {
        ThrowUsage("{} applies to Parquet output, and '{}' is written as CSV", option->get_name(),
                   options.output);
      }
    }
    output.csv = options.csv_write.ToWriteOptions();
    output.csv_delimiter_given = options.csv_write.DelimiterGiven();
    return output;
  }
  if (options.csv_write.AnyGiven()) {
    ThrowUsage("the --out-* options apply to CSV output, and '{}' is written as Parquet",
               options.output);
  }
  io::parquet::WriterOptions& writer_options = output.parquet;
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
  return output;
}

void RunConvert(const ConvertOptions& options, const GlobalOptions& global) {
  // Every usage check comes before the input is opened, so that bad usage exits 2 at once.
  const OutputOptions output_options = MakeOutputOptions(options);
  InputOptions input_options;
  input_options.union_by_name = options.union_by_name;
  input_options.prefetch_batches = 2;  // Decode ahead while the writer encodes.
  input_options.csv = options.csv_read.ToReadOptions();
  input_options.csv_options_given = options.csv_read.AnyGiven();
  std::unique_ptr<BatchSource> source = OpenInput(options.input, input_options);
  std::unique_ptr<BatchSink> sink = OpenOutput(options.output, *source->schema(), output_options);
  ProgressBar progress("convert", source->total_rows(), global.ShowProgress());
  Batch batch;
  int64_t rows = 0;
  while (source->Next(&batch)) {
    sink->Write(batch);
    rows += batch.num_rows;
    progress.Update(rows);
  }
  sink->Close();
  progress.Finish();
  if (!global.quiet) {
    fmt::print(stderr, "wrote {} rows to '{}' ({} bytes)\n", sink->rows_written(), options.output,
               sink->bytes_written());
    if (source->rows_skipped() > 0) {
      fmt::print(stderr, "skipped {} ragged row{} of '{}'\n", source->rows_skipped(),
                 source->rows_skipped() == 1 ? "" : "s", options.input);
    }
  }
}
}  // namespace

void AddConvert(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* command = app.add_subcommand(
      "convert", "Convert Parquet or CSV (a file, glob or folder) to a Parquet or CSV file");
  command
      ->add_option("input", options->input,
                   "Input file, glob (data/*.parquet, logs/*.csv) or folder")
      ->required();
  command->add_option("output", options->output, "Output file (.parquet, .csv or .tsv)")
      ->required();
  auto& parquet = options->parquet_options;
  parquet.push_back(command->add_option("--compression", options->compression,
                                        "zstd (default), snappy, gzip, lz4, lz4_raw, brotli or "
                                        "none"));
  parquet.push_back(command->add_option("--compression-level", options->compression_level,
                                        "Codec level (0 = the codec's default)"));
  parquet.push_back(command
                        ->add_option("--row-group-size", options->row_group_size,
                                     "Rows per row group (default 1048576)")
                        ->check(CLI::PositiveNumber));
  parquet.push_back(command
                        ->add_option("--page-version", options->page_version,
                                     "Data page version: 1 (default) or 2")
                        ->check(CLI::IsMember({1, 2})));
  parquet.push_back(
      command->add_flag("--no-dictionary", options->no_dictionary, "Write every column PLAIN"));
  command->add_flag(
      "--union-by-name", options->union_by_name,
      "Unify input files whose columns differ, by name (missing columns read as null)");
  parquet.push_back(command->add_flag("--no-page-index", options->no_page_index,
                                      "Omit the column and offset indexes"));
  parquet.push_back(command
                        ->add_option("--bloom-filter", options->bloom_filter_columns,
                                     "Columns to write bloom filters for")
                        ->delimiter(',')
                        ->allow_extra_args(false));
  AddCsvReadFlags(command, &options->csv_read);
  AddCsvWriteFlags(command, &options->csv_write);
  command->callback([options, &global, action] {
    *action = [options, &global] { RunConvert(*options, global); };
  });
}

}  // namespace sluice::cli
