// What a run knows about each sink: the fingerprint that decides whether it is up to date, the
// staged output, and the manifest record describing it (pipeline/manifest.h).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "pipeline/manifest.h"
#include "pipeline/prepare.h"
#include "pipeline/runner.h"
#include "plan/logical_plan.h"

namespace sluice::pipeline {

/// Content hashes of input files, each file read once per run.
class InputHashes {
 public:
  /// The file's manifest entry (path relative to `folder`), hashing it first.
  const ManifestFile& Hash(const std::string& file, const std::string& folder);
  /// An entry hashed already, by its manifest path; null otherwise.
  const ManifestFile* Find(const std::string& manifest_path) const;

 private:
  std::map<std::string, ManifestFile> by_path_;  ///< By manifest path.
};

struct SinkState {
  SinkOutcome outcome;
  std::string fingerprint;
  std::string staged_path;  ///< Where this run wrote it, before the commit.
  SinkRecord record;        ///< Filled by DescribeOutput.
};

/// `path` as the manifest records it: relative to the pipeline's folder, so that a manifest
/// stays the same when the project moves.
std::string ManifestPath(const std::string& path, const std::string& folder);

/// The writer settings of a sink, writing to `path`.
SinkTarget SinkTargetOf(const SinkSpec& sink, const std::string& path);

/// XXH3 over everything the sink's output depends on: the sluice version, the sink's settings,
/// its optimized plan, the data tests guarding it and the contents of every input file.
std::string SinkFingerprint(const SinkPlan& sink, const PreparedPipeline& prepared,
                            InputHashes* inputs);

/// The last manifest recorded this sink with the same fingerprint, and its output is still there
/// with the recorded contents.
bool IsUpToDate(const SinkPlan& sink, const std::string& fingerprint,
                const std::optional<Manifest>& previous);

/// Fills state->record (and outcome.bytes) from the staged output.
void DescribeOutput(const SinkPlan& sink, const PipelineSpec& spec, SinkState* state);

/// The current time as ISO 8601 UTC ("2026-11-26T02:10:00Z").
std::string UtcNow();

}  // namespace sluice::pipeline
