// Fingerprints, up-to-date checks and manifest records of sinks.
#include "pipeline/sink_state.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "io/compress/codec.h"
#include "io/fs/file_hash.h"
#include "pipeline/data_tests.h"
#include "sluice/version.h"

namespace sluice::pipeline {

namespace fs = std::filesystem;

std::string ManifestPath(const std::string& path, const std::string& folder) {
  fs::path relative = fs::path(path).lexically_relative(folder);
  return relative.empty() ? path : relative.generic_string();
}

const ManifestFile& InputHashes::Hash(const std::string& file, const std::string& folder) {
  std::string path = ManifestPath(file, folder);
  auto found = by_path_.find(path);
  if (found != by_path_.end()) return found->second;
  ManifestFile entry;
  entry.path = path;
  entry.bytes = static_cast<int64_t>(fs::file_size(file));
  entry.hash = io::HashFileContents(file);
  return by_path_.emplace(path, std::move(entry)).first->second;
}

const ManifestFile* InputHashes::Find(const std::string& manifest_path) const {
  auto found = by_path_.find(manifest_path);
  return found == by_path_.end() ? nullptr : &found->second;
}

SinkTarget SinkTargetOf(const SinkSpec& sink, const std::string& path) {
  SinkTarget target;
  target.path = path;
  target.partition_by = sink.partition_by;
  if (sink.format == SinkSpec::Format::kCsv) {
    target.format = SinkTarget::Format::kCsv;
    if (sink.delimiter) target.csv.delimiter = *sink.delimiter;
    if (sink.header) target.csv.header = *sink.header;
  } else {
    if (!sink.compression.empty()) target.parquet.compression = io::ParseCodec(sink.compression);
    if (sink.row_group_size) target.parquet.row_group_size = *sink.row_group_size;
  }
  return target;
}

std::string SinkFingerprint(const SinkPlan& sink, const PreparedPipeline& prepared,
                            InputHashes* inputs) {
  const SinkSpec& spec = *sink.sink;
  std::string text = fmt::format("sluice {}\nsink {} {} {} {} {} {} {} {}\n{}\n", Version(),
                                 spec.path, static_cast<int>(spec.format), spec.compression,
                                 fmt::join(spec.partition_by, ","),
                                 spec.row_group_size.value_or(-1), spec.delimiter.value_or(','),
                                 spec.header.value_or(true), spec.model, sink.plan_text);
  for (const std::string& relation : sink.relations) {
    for (const DataTestSpec& test : prepared.TestsOf(relation))
      text += DataTestSql(test, relation) + "\n";
  }
  for (const std::string& file : sink.input_files) {
    const ManifestFile& entry = inputs->Hash(file, prepared.spec().folder);
    text += fmt::format("input {} {}\n", entry.path, entry.hash);
  }
  return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

bool IsUpToDate(const SinkPlan& sink, const std::string& fingerprint,
                const std::optional<Manifest>& previous) {
  if (!previous || previous->sluice_version != Version()) return false;
  for (const SinkRecord& record : previous->sinks) {
    if (record.name != sink.sink->name) continue;
    if (record.fingerprint != fingerprint || record.path != sink.sink->path) return false;
    std::error_code error;
    if (!fs::exists(sink.sink->resolved_path, error)) return false;
    return io::HashTreeContents(sink.sink->resolved_path) == record.hash;
  }
  return false;
}

void DescribeOutput(const SinkPlan& sink, const PipelineSpec& spec, SinkState* state) {
  SinkRecord& record = state->record;
  record.name = sink.sink->name;
  record.model = sink.sink->model;
  record.path = sink.sink->path;
  record.format = sink.sink->format == SinkSpec::Format::kCsv ? "csv" : "parquet";
  record.rows = state->outcome.rows;
  record.fingerprint = state->fingerprint;
  record.hash = io::HashTreeContents(state->staged_path);
  record.bytes = 0;
  if (fs::is_directory(state->staged_path)) {
    for (const auto& entry : fs::recursive_directory_iterator(state->staged_path)) {
      if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".")) continue;
      ManifestFile file;
      file.path = entry.path().lexically_relative(state->staged_path).generic_string();
      file.bytes = static_cast<int64_t>(entry.file_size());
      file.hash = io::HashFileContents(entry.path().string());
      record.bytes += file.bytes;
      record.files.push_back(std::move(file));
    }
    std::sort(record.files.begin(), record.files.end(),
              [](const ManifestFile& a, const ManifestFile& b) { return a.path < b.path; });
  } else {
    record.bytes = static_cast<int64_t>(fs::file_size(state->staged_path));
  }
  record.inputs.clear();
  for (const std::string& file : sink.input_files)
    record.inputs.push_back(ManifestPath(file, spec.folder));
  state->outcome.bytes = record.bytes;
}

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace sluice::pipeline
