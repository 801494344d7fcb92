// A pipeline run, in order: prepare (bind and check everything), decide which sinks are up to
// date, recover what an interrupted earlier run left, then the steps — source tests, each model
// that several readers share computed once (into its own sink's file when it has one), its
// tests, the remaining sinks — all into staging folders, then the manifest, then one commit.
#include "pipeline/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "core/error.h"
#include "io/fs/spill_directory.h"
#include "pipeline/manifest.h"
#include "pipeline/prepare.h"
#include "pipeline/process_memory.h"
#include "pipeline/sink_state.h"
#include "pipeline/staging.h"
#include "pipeline/step_plan.h"
#include "plan/lazy_frame.h"
#include "sluice/version.h"
#include "sql/bind_names.h"

namespace sluice::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool SameName(const std::string& a, const std::string& b) {
  return sql::LowerName(a) == sql::LowerName(b);
}

/// The sinks `only` selects: sinks by name, or models (the sinks writing them). All when empty.
std::vector<const SinkPlan*> SelectSinks(const PreparedPipeline& prepared,
                                         const std::vector<std::string>& only) {
  std::vector<const SinkPlan*> selected;
  for (const SinkPlan& sink : prepared.sinks()) {
    bool chosen =
        only.empty() || std::any_of(only.begin(), only.end(), [&](const std::string& name) {
          return SameName(name, sink.sink->name) || SameName(name, sink.sink->model);
        });
    if (chosen) selected.push_back(&sink);
  }
  for (const std::string& name : only) {
    bool known =
        std::any_of(prepared.sinks().begin(), prepared.sinks().end(), [&](const SinkPlan& sink) {
          return SameName(name, sink.sink->name) || SameName(name, sink.sink->model);
        });
    if (!known)
      ThrowInvalid("--only {}: no sink of that name, and no sink writes a model of that name",
                   name);
  }
  return selected;
}

/// One run's mutable state: the staging area, the per-sink outcomes, the test results.
class Run {
 public:
  Run(const PipelineSpec& spec, const RunRequest& request, PreparedPipeline& prepared,
      StagingArea& staging)
      : spec_(spec), request_(request), prepared_(prepared), staging_(staging) {}

  RunReport Execute(const std::vector<const SinkPlan*>& selected);

 private:
  void Notice(const std::string& line) {
    if (request_.observer) request_.observer->Notice(line);
  }
  RunOptions StepOptions() const;
  struct StepCost {
    double seconds = 0;
    int64_t peak_memory = 0;
    int64_t spilled_bytes = 0;
  };
  /// Runs one step: its progress bar, its time, peak memory and bytes spilled, and the
  /// step's name and line in the pipeline file on any error it throws.
  StepCost Step(const std::string& label, const std::string& name, int line,
                const std::function<void()>& work);
  /// Runs the data tests of `relation`; false when one failed (the run then stops).
  bool RunTests(const std::string& relation);
  void WriteSink(const SinkPlan& sink, const std::string& label);
  void Materialize(const std::string& model, const SinkPlan* into);
  Manifest BuildManifest(const std::optional<Manifest>& previous);

  const PipelineSpec& spec_;
  const RunRequest& request_;
  PreparedPipeline& prepared_;
  StagingArea& staging_;
  std::map<std::string, SinkState> states_;  ///< By sink name: fingerprint, outcome.
  std::set<std::string> tested_;             ///< Relations whose tests ran.
  std::vector<DataTestResult> tests_;
  std::vector<std::pair<std::string, double>> step_seconds_;
  std::vector<std::pair<std::string, int64_t>> step_memory_;
  InputHashes inputs_;
  std::string started_at_ = UtcNow();
};

RunOptions Run::StepOptions() const {
  RunOptions run;
  run.threads = request_.threads;
  if (request_.observer) {
    RunObserver* observer = request_.observer;
    run.progress = [observer](int64_t done, int64_t total) { observer->StepProgress(done, total); };
  }
  return run;
}

bool Run::RunTests(const std::string& relation) {
  if (!tested_.insert(sql::LowerName(relation)).second) return true;
  const std::vector<DataTestSpec>& tests = prepared_.TestsOf(relation);
  if (tests.empty()) return true;
  if (request_.observer) request_.observer->StepStarted("tests of " + relation);
  bool passed = true;
  for (const DataTestSpec& test : tests) {
    tests_.push_back(RunDataTest(prepared_.session(), relation, test, spec_.file,
                                 prepared_.graph().IsSource(relation) ? "source" : "model"));
    passed = passed && tests_.back().passed;
  }
  if (request_.observer) request_.observer->StepFinished();
  return passed;
}

Run::StepCost Run::Step(const std::string& label, const std::string& name, int line,
                        const std::function<void()>& work) {
  if (request_.observer) request_.observer->StepStarted(label);
  ResetPeakResidentMemory();
  const int64_t spilled_before = io::SpillDirectory::Get().bytes_written();
  Clock::time_point start = Clock::now();
  try {
    work();
  } catch (const Error& error) {
    if (request_.observer) request_.observer->StepFinished();
    throw Error(error.kind(), fmt::format("{} ({}:{}): {}", name, spec_.file, line, error.what()));
  }
  StepCost cost{SecondsSince(start), PeakResidentMemory(),
                io::SpillDirectory::Get().bytes_written() - spilled_before};
  step_seconds_.emplace_back(name, cost.seconds);
  step_memory_.emplace_back(name, cost.peak_memory);
  if (request_.observer) request_.observer->StepFinished();
  return cost;
}

void Run::WriteSink(const SinkPlan& sink, const std::string& label) {
  SinkState& state = states_.at(sink.sink->name);
  SinkTarget target = SinkTargetOf(*sink.sink, staging_.StagedPath(sink.sink->resolved_path));
  StepCost cost = Step(label, "sink " + sink.sink->name, sink.sink->pos.line, [&] {
    state.outcome.rows =
        LazyFrame(prepared_.RelationPlan(sink.sink->model)).sink(target, StepOptions());
  });
  state.outcome.seconds = cost.seconds;
  state.outcome.peak_memory = cost.peak_memory;
  state.outcome.spilled_bytes = cost.spilled_bytes;
  state.outcome.written = true;
  state.staged_path = target.path;
}

void Run::Materialize(const std::string& model, const SinkPlan* into) {
  if (into != nullptr) {
    WriteSink(*into, fmt::format("sink {} (model {}, computed once for its readers)",
                                 into->sink->name, model));
    prepared_.Materialize(model, states_.at(into->sink->name).staged_path);
    return;
  }
  SinkTarget target;
  target.path = staging_.ScratchPath(model + ".parquet");
  target.parquet.compression = io::Codec::kLz4Raw;  // Read back at once: speed over size.
  const ModelNode* node = prepared_.graph().FindModel(model);
  Step(fmt::format("model {} (computed once for its readers)", model), "model " + model,
       node->spec->pos.line,
       [&] { LazyFrame(prepared_.RelationPlan(model)).sink(target, StepOptions()); });
  prepared_.Materialize(model, target.path);
}

RunReport Run::Execute(const std::vector<const SinkPlan*>& selected) {
  Clock::time_point start = Clock::now();
  RunReport report;
  report.manifest_path = spec_.settings.resolved_manifest;

  std::string warning;
  std::optional<Manifest> previous = ReadManifest(spec_.settings.resolved_manifest, &warning);
  if (!warning.empty()) Notice(warning);

  // Up to date: same fingerprint (plan, inputs' contents, tests, version) and the output as the
  // last manifest recorded it.
  std::vector<const SinkPlan*> to_run;
  for (const SinkPlan* sink : selected) {
    SinkState& state = states_[sink->sink->name];
    state.outcome.name = sink->sink->name;
    state.outcome.path = sink->sink->path;
    state.fingerprint = SinkFingerprint(*sink, prepared_, &inputs_);
    if (!request_.force && IsUpToDate(*sink, state.fingerprint, previous)) {
      state.outcome.up_to_date = true;
    } else {
      to_run.push_back(sink);
    }
  }
  if (to_run.empty()) {
    staging_.Abort();
    report.ok = true;
    for (const SinkPlan* sink : selected)
      report.sinks.push_back(states_.at(sink->sink->name).outcome);
    report.seconds = SecondsSince(start);
    return report;
  }

  const StepPlan steps = PlanSteps(prepared_, to_run, request_.only.empty());
  bool passed = true;
  for (const SourceSpec& source : spec_.sources) {
    if (passed && steps.tested.count(source.name)) passed = RunTests(source.name);
  }
  for (const ModelNode& node : prepared_.graph().models) {
    const std::string& model = node.spec->name;
    if (!passed) break;
    if (!steps.models.count(model)) continue;
    if (const SharedModel* shared = steps.FindShared(model)) Materialize(model, shared->into);
    if (steps.tested.count(model)) passed = RunTests(model);
  }
  for (const SinkPlan* sink : to_run) {
    if (!passed) break;
    if (!states_.at(sink->sink->name).outcome.written) WriteSink(*sink, "sink " + sink->sink->name);
  }

  report.tests = tests_;
  for (const SinkPlan* sink : selected) {
    SinkOutcome& outcome = states_.at(sink->sink->name).outcome;
    for (const DataTestResult& test : tests_) {
      bool guards = std::any_of(
          sink->relations.begin(), sink->relations.end(),
          [&](const std::string& relation) { return SameName(relation, test.relation); });
      if (!guards) continue;
      ++outcome.tests_run;
      outcome.tests_passed += test.passed ? 1 : 0;
    }
  }
  if (!passed) {
    staging_.Abort();
    size_t failed = std::count_if(tests_.begin(), tests_.end(),
                                  [](const DataTestResult& t) { return !t.passed; });
    report.error =
        fmt::format("{} data test{} failed; no output was changed", failed, failed == 1 ? "" : "s");
    for (const SinkPlan* sink : selected) {
      SinkOutcome outcome = states_.at(sink->sink->name).outcome;
      outcome.written = false;  // Staged, perhaps, but thrown away.
      report.sinks.push_back(outcome);
    }
    report.seconds = SecondsSince(start);
    return report;
  }

  for (const SinkPlan* sink : to_run) DescribeOutput(*sink, spec_, &states_.at(sink->sink->name));
  report.seconds = SecondsSince(start);
  Manifest manifest = BuildManifest(previous);
  manifest.timings.total_seconds = report.seconds;
  WriteManifest(staging_.StagedPath(spec_.settings.resolved_manifest), manifest);
  staging_.Commit();
  for (const SinkPlan* sink : selected)
    report.sinks.push_back(states_.at(sink->sink->name).outcome);
  report.ok = true;
  return report;
}

Manifest Run::BuildManifest(const std::optional<Manifest>& previous) {
  Manifest manifest;
  manifest.pipeline = spec_.name;
  manifest.pipeline_file = std::filesystem::path(spec_.file).filename().string();
  manifest.pipeline_hash = spec_.file_hash;
  manifest.sluice_version = std::string(Version());
  manifest.variables = spec_.variables_used;

  // Every sink of the file: this run's record, or the last run's for sinks it did not write.
  std::set<std::string> input_paths;
  for (const SinkSpec& sink : spec_.sinks) {
    auto state = states_.find(sink.name);
    std::optional<SinkRecord> record;
    if (state != states_.end() && state->second.outcome.written) {
      record = state->second.record;
    } else if (previous) {
      for (const SinkRecord& old : previous->sinks) {
        if (old.name == sink.name) record = old;
      }
    }
    if (!record) continue;
    input_paths.insert(record->inputs.begin(), record->inputs.end());
    manifest.sinks.push_back(*record);
  }
  for (const std::string& path : input_paths) {
    if (const ManifestFile* file = inputs_.Find(path)) {
      manifest.inputs.push_back(*file);
    } else if (previous) {
      for (const ManifestFile& old : previous->inputs) {
        if (old.path == path) manifest.inputs.push_back(old);
      }
    }
  }
  // Test results: this run's, and the last run's for relations it did not test.
  for (const DataTestResult& test : tests_) {
    manifest.tests.push_back(
        {test.relation, test.label, test.passed, test.failing_rows, test.detail});
  }
  if (previous) {
    for (const TestRecord& old : previous->tests) {
      if (!tested_.count(sql::LowerName(old.relation))) manifest.tests.push_back(old);
    }
  }
  manifest.timings.started_at = started_at_;
  manifest.timings.threads = request_.threads;
  manifest.timings.memory_limit = request_.memory_limit;
  manifest.timings.step_seconds = step_seconds_;
  manifest.timings.step_peak_memory = step_memory_;
  return manifest;
}

}  // namespace

std::vector<std::string> TargetPaths(const PipelineSpec& spec) {
  std::vector<std::string> targets;
  for (const SinkSpec& sink : spec.sinks) targets.push_back(sink.resolved_path);
  targets.push_back(spec.settings.resolved_manifest);
  return targets;
}

RunReport RunPipeline(const PipelineSpec& spec, const RunRequest& request) {
  RunOptions run;
  run.threads = request.threads;
  if (request.dry_run) {
    PreparedPipeline prepared(spec, run);
    RunReport report;
    report.ok = true;
    std::vector<const SinkPlan*> selected = SelectSinks(prepared, request.only);
    for (const SinkPlan* sink : selected) {
      report.plans.emplace_back(fmt::format("sink {} -> {}", sink->sink->name, sink->sink->path),
                                sink->plan_text);
    }
    for (const SharedModel& shared : PlanSteps(prepared, selected, request.only.empty()).shared) {
      report.shared.push_back(
          fmt::format("model {} is computed once for its {} readers, into {}", shared.model,
                      shared.readers, shared.into ? shared.into->sink->path : "a scratch file"));
    }
    return report;
  }
  // Staging folders for every target, and the janitor that removes them should this process be
  // killed, before anything starts a worker thread (the janitor is forked).
  auto notice = [&](const std::string& line) {
    if (request.observer) request.observer->Notice(line);
  };
  for (const std::string& line : RecoverInterruptedRuns(spec.name, TargetPaths(spec))) notice(line);
  StagingArea staging = StagingArea::Create(spec.name, TargetPaths(spec));
  if (!staging.StartJanitor())
    notice("note: no janitor process; a killed run's staging folders are removed by the next run");
  PreparedPipeline prepared(spec, run);
  Run state(spec, request, prepared, staging);
  return state.Execute(SelectSinks(prepared, request.only));
}

}  // namespace sluice::pipeline
