// `sluice generate OUT_DIR --rows N`: writes the example dataset (events in several Parquet
// files, users in one) through sluice's own writer, for the demo, tests and benchmarks.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/datagen.h"
#include "cli/progress.h"
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
};

constexpr int64_t kBatchRows = 64 * 1024;

void RunGenerate(const GenerateOptions& options, const GlobalOptions& global) {
  io::CreateDirectories(options.directory + "/events");
  io::parquet::WriterOptions writer_options;
  writer_options.compression = io::ParseCodec(options.compression);
  writer_options.row_group_size = options.row_group_size;
  ProgressBar progress("generate", options.rows + options.rows / 50, global.ShowProgress());
  int64_t done = 0;
  int files =
      std::max<int>(1, std::min<int64_t>(options.files, std::max<int64_t>(options.rows, 1)));
  for (int file = 0; file < files; ++file) {
    int64_t first = options.rows * file / files;
    int64_t last = options.rows * (file + 1) / files;
    std::string path = fmt::format("{}/events/part-{:03d}.parquet", options.directory, file);
    io::parquet::ParquetWriter writer(path, *EventsSchema(), writer_options);
    for (int64_t row = first; row < last; row += kBatchRows) {
      writer.Write(
          GenerateEvents(options.seed, row, std::min(kBatchRows, last - row), options.rows));
      done += std::min(kBatchRows, last - row);
      progress.Update(done);
    }
    writer.Close();
  }
  int64_t users = std::max<int64_t>(1, options.rows / 50);
  io::parquet::ParquetWriter writer(options.directory + "/users.parquet", *UsersSchema(),
                                    writer_options);
  for (int64_t row = 0; row < users; row += kBatchRows) {
    writer.Write(GenerateUsers(options.seed, row, std::min(kBatchRows, users - row)));
  }
  writer.Close();
  progress.Finish();
  if (!global.quiet) {
    fmt::print(stderr, "wrote {} events in {} files and {} users to '{}'\n", options.rows, files,
               users, options.directory);
  }
}
}  // namespace

void AddGenerate(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* command =
      app.add_subcommand("generate", "Write the example events/users dataset (deterministic)");
  command
      ->add_option("directory", options->directory,
                   "Output folder (events/*.parquet, users.parquet)")
      ->required();
  command->add_option("--rows", options->rows, "Event rows (users = rows / 50)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--files", options->files, "Event files (default 8)")
      ->check(CLI::PositiveNumber);
  command->add_option("--seed", options->seed, "Random seed (default 42)");
  command->add_option("--compression", options->compression,
                      "Codec (default snappy, like typical upstream files)");
  command->add_option("--row-group-size", options->row_group_size, "Rows per row group")
      ->check(CLI::PositiveNumber);
  command->callback([options, &global, action] {
    *action = [options, &global] { RunGenerate(*options, global); };
  });
}

}  // namespace sluice::cli
