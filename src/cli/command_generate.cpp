// `sluice generate OUT_DIR --rows N [--csv]`: writes the example dataset (events in several
// Parquet files, users in one) through sluice's own writers, for the demo, tests and benchmarks;
// --csv adds events.csv and users.csv holding the same rows (for readers without Parquet, such as
// pandas in the benchmark). `sluice generate --tpch --scale-factor SF DIR` writes the eight TPC-H
// tables instead (cli/tpch_write.h).
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "cli/commands.h"
#include "cli/datagen.h"
#include "cli/progress.h"
#include "cli/tpch_write.h"
#include "io/csv/writer.h"
#include "io/fs/atomic_file.h"
#include "io/parquet/writer/file_writer.h"

namespace sluice::cli {

namespace {
struct GenerateOptions {
  std::string directory;
  int64_t rows = 1'000'000;
  int files = 8;
  uint64_t seed = 42;
  std::string compression = "snappy";
  int64_t row_group_size = 1 << 20;
  bool csv = false;
  bool tpch = false;
  double scale_factor = 1.0;
  bool row_group_size_given = false;
};

constexpr int64_t kBatchRows = 64 * 1024;
/// DuckDB's row group size, so TPC-H files split into as many row groups as DuckDB's own.
constexpr int64_t kTpchRowGroupRows = 122'880;

void RunTpchGenerate(const GenerateOptions& options, const GlobalOptions& global) {
  TpchWriteOptions tpch;
  tpch.directory = options.directory;
  tpch.scale_factor = options.scale_factor;
  tpch.seed = options.seed;
  tpch.writer.compression = io::ParseCodec(options.compression);
  tpch.writer.row_group_size =
      options.row_group_size_given ? options.row_group_size : kTpchRowGroupRows;
  ProgressBar progress("generate", TpchProgressTotal(options.scale_factor), global.ShowProgress());
  std::vector<TpchTableStats> stats = WriteTpch(tpch, &progress);
  progress.Finish();
  if (!global.quiet) {
    uint64_t bytes = 0;
    std::string tables;
    for (const TpchTableStats& table : stats) {
      bytes += table.bytes;
      tables += fmt::format("{}{} {}", tables.empty() ? "" : ", ", table.name, table.rows);
    }
    fmt::print(stderr, "wrote TPC-H scale factor {} to '{}' ({:.1f} MB): {}\n",
               options.scale_factor, options.directory, static_cast<double>(bytes) / 1e6, tables);
  }
}

void RunGenerate(const GenerateOptions& options, const GlobalOptions& global) {
  if (options.tpch) {
    RunTpchGenerate(options, global);
    return;
  }
  io::CreateDirectories(options.directory + "/events");
  io::parquet::WriterOptions writer_options;
  writer_options.compression = io::ParseCodec(options.compression);
  writer_options.row_group_size = options.row_group_size;
  ProgressBar progress("generate", options.rows + options.rows / 50, global.ShowProgress());
  int64_t done = 0;
  int files =
      std::max<int>(1, std::min<int64_t>(options.files, std::max<int64_t>(options.rows, 1)));
  // The CSV copies are written from the same batches as the Parquet files, so they hold the same
  // rows in the same order.
  std::optional<io::csv::CsvWriter> events_csv;
  if (options.csv) events_csv.emplace(options.directory + "/events.csv", *EventsSchema());
  for (int file = 0; file < files; ++file) {
    int64_t first = options.rows * file / files;
    int64_t last = options.rows * (file + 1) / files;
    std::string path = fmt::format("{}/events/part-{:03d}.parquet", options.directory, file);
    io::parquet::ParquetWriter writer(path, *EventsSchema(), writer_options);
    for (int64_t row = first; row < last; row += kBatchRows) {
      Batch batch =
          GenerateEvents(options.seed, row, std::min(kBatchRows, last - row), options.rows);
      writer.Write(batch);
      if (events_csv) events_csv->Write(batch);
      done += std::min(kBatchRows, last - row);
      progress.Update(done);
    }
    writer.Close();
  }
  if (events_csv) events_csv->Close();
  int64_t users = std::max<int64_t>(1, options.rows / 50);
  io::parquet::ParquetWriter writer(options.directory + "/users.parquet", *UsersSchema(),
                                    writer_options);
  std::optional<io::csv::CsvWriter> users_csv;
  if (options.csv) users_csv.emplace(options.directory + "/users.csv", *UsersSchema());
  for (int64_t row = 0; row < users; row += kBatchRows) {
    Batch batch = GenerateUsers(options.seed, row, std::min(kBatchRows, users - row));
    writer.Write(batch);
    if (users_csv) users_csv->Write(batch);
  }
  writer.Close();
  if (users_csv) users_csv->Close();
  progress.Finish();
  if (!global.quiet) {
    fmt::print(stderr, "wrote {} events in {} files and {} users to '{}'{}\n", options.rows, files,
               users, options.directory,
               options.csv ? " (and their CSV copies events.csv, users.csv)" : "");
  }
}
}  // namespace

void AddGenerate(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* command =
      app.add_subcommand("generate", "Write the example events/users dataset (deterministic)");
  command
      ->add_option("directory", options->directory,
                   "Output folder (events/*.parquet, users.parquet; events.csv, users.csv)")
      ->required();
  command->add_option("--rows", options->rows, "Event rows (users = rows / 50)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--files", options->files, "Event files (default 8)")
      ->check(CLI::PositiveNumber);
  command->add_option("--seed", options->seed, "Random seed (default 42)");
  command->add_option("--compression", options->compression,
                      "Codec (default snappy, like typical upstream files)");
  CLI::Option* row_group_size =
      command->add_option("--row-group-size", options->row_group_size, "Rows per row group")
          ->check(CLI::PositiveNumber);
  CLI::Option* csv = command->add_flag("--csv", options->csv,
                                       "Also write events.csv and users.csv with the same rows");
  CLI::Option* tpch = command->add_flag(
      "--tpch", options->tpch,
      "Write the eight TPC-H tables instead (DIR/lineitem.parquet, orders.parquet, ...)");
  // int32 keys (as dbgen's files have) hold the sparse order keys up to scale factor 300.
  CLI::Validator scale_range(
      [](std::string& value) -> std::string {
        char* end = nullptr;
        double factor = std::strtod(value.c_str(), &end);
        if (end == value.c_str() || *end != '\0' || !(factor > 0) || factor > 300) {
          return "the scale factor must be a number in (0, 300], not '" + value + "'";
        }
        return "";
      },
      "in (0, 300]");
  command->add_option("--scale-factor", options->scale_factor, "TPC-H scale factor (default 1)")
      ->check(scale_range)
      ->needs(tpch);
  tpch->excludes(csv)->excludes("--rows")->excludes("--files");
  command->callback([options, &global, action, row_group_size] {
    options->row_group_size_given = row_group_size->count() > 0;
    *action = [options, &global] { RunGenerate(*options, global); };
  });
}

}  // namespace sluice::cli
