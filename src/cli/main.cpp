// `sluice`: parses the command line, runs the chosen subcommand, and turns errors into
// `sluice: error: ...` with the exit status of DESIGN.md (1 data/execution, 2 usage/unsupported).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <new>

#include "cli/commands.h"
#include "cli/memory_limit.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "io/fs/spill_directory.h"

namespace sluice::cli {
namespace {

int ExitStatus(ErrorKind kind) {
  return kind == ErrorKind::kUnsupported ? 2 : 1;
}

int Run(int argc, char** argv) {
  CLI::App app{"sluice: a streaming query engine and ETL runner for Parquet and CSV files",
               "sluice"};
  app.set_version_flag("--version", std::string("sluice ") + SLUICE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // Global options may follow the subcommand: `sluice convert a b --quiet`.
  GlobalOptions global;
  app.add_option("--threads", global.threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--memory-limit", global.memory_limit,
                 "Memory budget: bytes, 4GB, 512MiB or 60% of RAM (default 80% of RAM, or of "
                 "the cgroup limit); sorts, aggregations, joins and windows spill to disk to stay "
                 "within it");
  app.add_option("--temp-dir", global.temp_dir,
                 "Folder for spill files (default $TMPDIR/sluice; removed after each run)");
  app.add_flag("--quiet,-q", global.quiet, "Print no progress");
  app.add_flag("--progress", global.progress,
               "Show progress bars even when stderr is not a terminal");
  app.add_flag("--no-progress", global.no_progress, "Never show progress bars");

  Action action;
  AddConvert(app, global, &action);
  AddSchema(app, global, &action);
  AddHead(app, global, &action);
  AddGenerate(app, global, &action);
  AddQuery(app, global, &action);
  AddExplain(app, global, &action);
  AddRun(app, global, &action);
  AddGraph(app, global, &action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    fmt::print(stderr, "sluice: error: {}\nRun 'sluice --help' for usage.\n", error.what());
    return 2;
  }
  try {
    if (global.threads > 0) ThreadPool::SetDefaultThreads(global.threads);
    if (!global.memory_limit.empty())
      MemoryPool::Default()->SetMemoryLimit(ParseMemoryLimit(global.memory_limit));
    if (!global.temp_dir.empty()) io::SpillDirectory::Get().SetBase(global.temp_dir);
    action();
    return 0;
  } catch (const UsageError& error) {
    fmt::print(stderr, "sluice: error: {}\n", error.what());
    return 2;
  } catch (const Error& error) {
    std::fflush(stdout);
    fmt::print(stderr, "sluice: error: {}\n", error.what());
    return ExitStatus(error.kind());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "sluice: error: out of memory; try a lower --threads or a smaller input\n");
    return 1;
  } catch (const std::exception& error) {
    fmt::print(stderr, "sluice: error: {}\n", error.what());
    return 1;
  }
}

}  // namespace
}  // namespace sluice::cli

int main(int argc, char** argv) {
  return sluice::cli::Run(argc, argv);
}
