// Running a pipeline (`sluice run`): validate everything first (every model binds, every test's
// columns exist, every sink's partition columns exist), skip sinks that are up to date, compute
// each model used more than once a single time, write every output into staging folders, run
// the data tests, and only when all of that succeeded move the outputs and the manifest into
// place together (pipeline/staging.h). A failure anywhere leaves the earlier outputs untouched.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/data_tests.h"
#include "pipeline/pipeline_spec.h"

namespace sluice::pipeline {

/// What a run reports as it goes; the command line draws progress bars from it.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// A step begins: "sink net_revenue", "model users_by_country (computed once)",
  /// "tests of events".
  virtual void StepStarted(const std::string& /*label*/) {}
  /// Rows read so far of the step's inputs, and their total when known (else negative).
  virtual void StepProgress(int64_t /*done*/, int64_t /*total*/) {}
  virtual void StepFinished() {}
  /// A line for the user: recovery of an interrupted run, a sink that is up to date.
  virtual void Notice(const std::string& /*line*/) {}
};

struct RunRequest {
  /// Sinks (or models: then the sinks writing them) to run; empty: all of them, and the data
  /// tests of every model and source.
  std::vector<std::string> only;
  bool dry_run = false;      ///< Validate and return each sink's plan; write nothing.
  bool force = false;        ///< Rebuild sinks that are up to date.
  int threads = 0;           ///< 0: the default pool (every core).
  std::string memory_limit;  ///< As given, for the manifest ("" when unlimited).
  RunObserver* observer = nullptr;
};

struct SinkOutcome {
  std::string name;
  std::string path;         ///< As written in the pipeline file.
  bool up_to_date = false;  ///< Skipped: the last run's output stands.
  bool written = false;     ///< Written and committed by this run.
  int64_t rows = 0;
  int64_t bytes = 0;
  double seconds = 0;
  int64_t peak_memory = 0;  ///< Peak resident memory of the process while it ran (bytes).
  int tests_passed = 0;     ///< Data tests of the models it writes (and their inputs).
  int tests_run = 0;
  int64_t spilled_bytes = 0;  ///< Written to spill files while it ran (bytes).
};

struct RunReport {
  bool ok = false;    ///< Every sink written and every data test passed; outputs committed.
  std::string error;  ///< Why not, when !ok and nothing was thrown (a failing data test).
  std::vector<SinkOutcome> sinks;
  std::vector<DataTestResult> tests;
  /// --dry-run: each sink's optimized plan, and how models are shared, in run order.
  std::vector<std::pair<std::string, std::string>> plans;
  std::vector<std::string> shared;  ///< --dry-run: the models computed once, and where.
  std::string manifest_path;        ///< Absolute; empty for a dry run.
  double seconds = 0;
};

/// Every path a run may replace: each sink's output and the manifest (absolute).
std::vector<std::string> TargetPaths(const PipelineSpec& spec);

/// Runs (or with dry_run, checks and plans) the pipeline. Throws sluice::Error for invalid files
/// and for errors while running (after removing the staging folders); a failing data test is not
/// an exception but a report with ok = false.
RunReport RunPipeline(const PipelineSpec& spec, const RunRequest& request);

}  // namespace sluice::pipeline
