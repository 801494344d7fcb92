// libFuzzer target: any bytes given to the pipeline file reader must either give a PipelineSpec
// or fail with a sluice::Error — never crash, hang or read out of bounds (toml++ included).
// Successful reads also check what the rest of the pipeline code relies on: names are SQL
// identifiers, resolved paths are absolute, every part has a position in the file, and every
// sink writes a model or source that exists.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "pipeline/pipeline_file.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "pipeline_file_fuzz: %s\n", what);
    std::abort();
  }
}

bool IsIdentifier(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

bool IsAbsolute(const std::string& path) {
  return !path.empty() && path[0] == '/';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // A fixed environment, so that runs are reproducible; the folder does not exist, so relative
  // model files are never found.
  static const std::map<std::string, std::string> kVars = {{"DATA_DIR", "data"}, {"DAY", "1"}};
  auto getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/home/fuzz");
    return std::nullopt;
  };
  sluice::pipeline::PipelineSpec spec;
  try {
    spec = sluice::pipeline::ParsePipeline(text, "fuzz.toml", "/nonexistent-sluice-fuzz", kVars,
                                           getenv);
  } catch (const sluice::Error&) {
    return 0;
  }
  Check(spec.file_hash.size() == 16, "file_hash is not 16 hex digits");
  Check(IsAbsolute(spec.settings.resolved_manifest), "manifest path is not absolute");
  for (const auto& source : spec.sources) {
    Check(IsIdentifier(source.name), "source name is not an identifier");
    Check(IsAbsolute(source.resolved_path), "source path is not absolute");
    Check(source.pos.line > 0, "source without a position");
  }
  for (const auto& model : spec.models) {
    Check(IsIdentifier(model.name), "model name is not an identifier");
    Check(!model.sql.empty(), "model without SQL");
    Check(model.pos.line > 0 && model.sql_first_line > 0, "model without a position");
  }
  for (const auto& sink : spec.sinks) {
    Check(IsIdentifier(sink.name), "sink name is not an identifier");
    Check(IsAbsolute(sink.resolved_path), "sink path is not absolute");
    Check(sink.pos.line > 0 && sink.model_pos.line > 0, "sink without a position");
    bool found = false;
    for (const auto& source : spec.sources) found = found || source.name == sink.model;
    for (const auto& model : spec.models) found = found || model.name == sink.model;
    Check(found, "sink writes an unknown relation");
  }
  return 0;
}
