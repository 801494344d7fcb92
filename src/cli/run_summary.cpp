// Rendering the run summary as aligned columns (see run_summary.h).
#include "cli/run_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/memory_size.h"

namespace sluice::cli {

namespace {

std::string Rows(int64_t rows) {
  std::string digits = std::to_string(rows), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

/// A path as the user would type it from here: relative to the working folder when inside it.
std::string RelativeToHere(const std::string& path) {
  std::error_code error;
  std::filesystem::path relative = std::filesystem::relative(path, error);
  if (error || relative.empty() || *relative.begin() == "..") return path;
  return relative.string();
}

std::string DisplayPath(const pipeline::PipelineSpec& spec, const std::string& name) {
  for (const pipeline::SinkSpec& sink : spec.sinks) {
    if (sink.name == name) return RelativeToHere(sink.resolved_path);
  }
  return name;
}

std::string Tests(const pipeline::SinkOutcome& sink) {
  return sink.tests_run == 0 ? "-" : fmt::format("{}/{}", sink.tests_passed, sink.tests_run);
}

std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += fmt::format("{:<{}}  ", row[i], widths[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string RenderRunSummary(const pipeline::PipelineSpec& spec,
                             const pipeline::RunReport& report) {
  std::vector<std::vector<std::string>> rows{
      {"sink", "path", "rows", "bytes", "time", "peak memory", "spilled", "tests"}};
  for (const pipeline::SinkOutcome& sink : report.sinks) {
    std::string path = DisplayPath(spec, sink.name);
    if (sink.up_to_date) {
      rows.push_back({sink.name, path, "up to date"});
    } else if (!sink.written) {
      rows.push_back({sink.name, path, "not written", "", "", "", "", Tests(sink)});
    } else {
      rows.push_back({sink.name, path, Rows(sink.rows), FormatBytes(sink.bytes),
                      fmt::format("{:.2f}s", sink.seconds),
                      sink.peak_memory > 0 ? FormatBytes(sink.peak_memory) : "-",
                      sink.spilled_bytes > 0 ? FormatBytes(sink.spilled_bytes) : "-", Tests(sink)});
    }
  }
  std::string out = Table(rows);
  size_t failed = std::count_if(report.tests.begin(), report.tests.end(),
                                [](const auto& t) { return !t.passed; });
  if (!report.tests.empty()) {
    out +=
        fmt::format("\ndata tests: {} passed, {} failed\n", report.tests.size() - failed, failed);
  }
  for (const pipeline::DataTestResult& test : report.tests) {
    if (test.passed) continue;
    out += fmt::format("  FAIL {} of {}: {} ({}:{})\n", test.label, test.relation, test.detail,
                       spec.file, test.pos.line);
  }
  if (report.ok) {
    size_t written = std::count_if(report.sinks.begin(), report.sinks.end(),
                                   [](const auto& s) { return s.written; });
    out += written == 0 ? fmt::format("\nnothing to do: every sink is up to date ({:.2f}s)\n",
                                      report.seconds)
                        : fmt::format("\n{} output{} committed, manifest {} ({:.2f}s)\n", written,
                                      written == 1 ? "" : "s", RelativeToHere(report.manifest_path),
                                      report.seconds);
  }
  return out;
}

}  // namespace sluice::cli
