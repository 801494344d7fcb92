// `sluice run PIPELINE.toml`: runs a pipeline file (pipeline/runner.h) with a progress bar per
// step on a terminal, and ends with a summary table: per sink the rows, bytes, time, peak memory
// and data tests passed; failing tests are listed with their details and the run exits 1.
// `--dry-run` checks everything and prints each sink's optimized plan instead.
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/memory_limit.h"
#include "cli/progress.h"
#include "cli/run_summary.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "io/fs/spill_directory.h"
#include "pipeline/pipeline_file.h"
#include "pipeline/runner.h"

namespace sluice::cli {

namespace {

struct RunCommandOptions {
  std::string file;
  std::vector<std::string> only;
  std::vector<std::string> vars;
  bool dry_run = false;
  bool force = false;
};

/// Progress bars and notices on stderr.
class ProgressObserver : public pipeline::RunObserver {
 public:
  ProgressObserver(bool progress, bool quiet) : progress_(progress), quiet_(quiet) {}

  void StepStarted(const std::string& label) override {
    bar_ = std::make_unique<ProgressBar>(label, -1, progress_);
  }
  void StepProgress(int64_t done, int64_t total) override {
    if (!bar_) return;
    if (total >= 0) bar_->set_total(total);
    bar_->Update(done);
  }
  void StepFinished() override {
    if (bar_) bar_->Finish();
    bar_.reset();
  }
  void Notice(const std::string& line) override {
    if (!quiet_) fmt::print(stderr, "{}\n", line);
  }

 private:
  bool progress_;
  bool quiet_;
  std::unique_ptr<ProgressBar> bar_;
};

void RunRun(const RunCommandOptions& options, const GlobalOptions& global) {
  pipeline::PipelineSpec spec =
      pipeline::LoadPipelineFile(options.file, ParseVarOptions(options.vars));

  // Command-line flags win over the file's [settings].
  pipeline::RunRequest request;
  request.threads = global.threads > 0 ? global.threads : spec.settings.threads.value_or(0);
  if (request.threads > 0) ThreadPool::SetDefaultThreads(request.threads);
  request.memory_limit =
      !global.memory_limit.empty() ? global.memory_limit : spec.settings.memory_limit.value_or("");
  if (!request.memory_limit.empty())
    MemoryPool::Default()->SetMemoryLimit(ParseMemoryLimit(request.memory_limit));
  if (global.temp_dir.empty() && !spec.settings.temp_dir.empty())
    io::SpillDirectory::Get().SetBase(spec.settings.temp_dir);
  request.only = options.only;
  request.dry_run = options.dry_run;
  request.force = options.force;
  ProgressObserver observer(global.ShowProgress(), global.quiet);
  request.observer = &observer;

  pipeline::RunReport report = pipeline::RunPipeline(spec, request);
  if (options.dry_run) {
    for (const auto& [title, plan] : report.plans) fmt::print("== {} ==\n{}\n", title, plan);
    for (const std::string& line : report.shared) fmt::print("{}\n", line);
    fmt::print("{}: valid; {} sink{} planned, nothing written\n", options.file, report.plans.size(),
               report.plans.size() == 1 ? "" : "s");
    return;
  }
  fmt::print("{}", RenderRunSummary(spec, report));
  std::fflush(stdout);
  if (!report.ok) throw Error(ErrorKind::kInvalidInput, report.error);
}

}  // namespace

std::map<std::string, std::string> ParseVarOptions(const std::vector<std::string>& vars) {
  std::map<std::string, std::string> parsed;
  for (const std::string& var : vars) {
    size_t equals = var.find('=');
    if (equals == std::string::npos || equals == 0) ThrowUsage("--var '{}' is not KEY=VALUE", var);
    parsed[var.substr(0, equals)] = var.substr(equals + 1);
  }
  return parsed;
}

void AddRun(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto options = std::make_shared<RunCommandOptions>();
  CLI::App* command =
      app.add_subcommand("run", "Run a pipeline file: sources, SQL models, data tests, sinks");
  command->add_option("pipeline", options->file, "The pipeline file (TOML)")->required();
  command->add_option("--only", options->only,
                      "Run only these sinks (or the sinks of these models)");
  command->add_option("--var", options->vars,
                      "Set ${KEY} in the pipeline file: KEY=VALUE (repeatable)");
  command->add_flag("--dry-run", options->dry_run,
                    "Check the file and print each sink's plan; write nothing");
  command->add_flag("--force", options->force, "Rebuild sinks even when they are up to date");
  command->callback(
      [options, &global, action] { *action = [options, &global] { RunRun(*options, global); }; });
}

}  // namespace sluice::cli
