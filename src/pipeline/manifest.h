// The run manifest (issue 7, "Run manifest"): what a successful run read, wrote and checked,
// as JSON beside the outputs (out/_sluice_manifest.json by default). It serves people (what
// produced this file, from which inputs?) and the next run, which skips a sink whose fingerprint
// and input hashes match the last manifest ("up to date").
//
// Everything but the last key, "timings", depends only on the inputs and the settings that
// change results, so two runs on the same inputs give identical manifests apart from "timings"
// (thread count and memory limit go there too: they must not change results). The key order is
// fixed, the indent 2 spaces, and the file ends with a newline, so equal manifests are equal bytes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::pipeline {

/// One file read or written.
struct ManifestFile {
  std::string path;
  int64_t rows = -1;  ///< -1 for inputs (not counted; the key is left out).
  int64_t bytes = 0;
  std::string hash;  ///< io::HashFileContents.
};

/// One sink's output.
struct SinkRecord {
  std::string name, model, path, format;
  int64_t rows = 0, bytes = 0;
  std::string hash;  ///< io::HashTreeContents of the output.
  /// What decides "up to date", set by the runner (its plan, the settings that change results,
  /// the sluice version: whatever it folds in).
  std::string fingerprint;
  std::vector<std::string> inputs;  ///< The input paths it read.
  std::vector<ManifestFile> files;  ///< Partitioned output: each file; empty for one file.
};

/// One data test's result.
struct TestRecord {
  std::string relation, label;
  bool passed = false;
  int64_t failing_rows = 0;
  std::string detail;
};

/// The part of a run that differs between two runs on the same inputs.
struct Timings {
  std::string started_at;  ///< ISO-8601 UTC, "2024-05-01T12:00:00Z".
  double total_seconds = 0;
  int threads = 0;
  std::string memory_limit;
  /// By step name (keys unique), in the order the run reports them.
  std::vector<std::pair<std::string, double>> step_seconds;
  std::vector<std::pair<std::string, int64_t>> step_peak_memory;
};

struct Manifest {
  std::string pipeline, pipeline_file, pipeline_hash, sluice_version;
  std::map<std::string, std::string> variables;
  std::vector<ManifestFile> inputs;
  std::vector<SinkRecord> sinks;
  std::vector<TestRecord> tests;
  Timings timings;
};

/// Renders the manifest: a JSON object with the keys "manifest_version" (1), "pipeline",
/// "pipeline_file", "pipeline_hash", "sluice_version", "variables", "inputs", "sinks", "tests" and
/// "timings" (last), in that order, 2-space indent, a trailing newline.
std::string ManifestJson(const Manifest& manifest);

/// Reads a manifest back. A missing file gives nullopt and no warning (a first run); a file that
/// cannot be read, is not JSON, has a value of the wrong type or another manifest_version gives
/// nullopt and sets `*warning` (if given) to a line the CLI can print, naming the file: the run
/// then rebuilds every sink rather than fail. Keys it does not know are ignored and missing keys
/// take their defaults, so a newer or older sluice's manifest still reads.
std::optional<Manifest> ReadManifest(const std::string& path, std::string* warning);

/// Writes ManifestJson atomically (io::AtomicFileWriter), creating missing parent folders.
/// Throws ThrowIo.
void WriteManifest(const std::string& path, const Manifest& manifest);

}  // namespace sluice::pipeline
