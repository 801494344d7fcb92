// Reads a pipeline file (TOML, the format of issue 7) into a PipelineSpec and validates it before
// anything runs: unknown keys, wrong value types, bad names, references to relations that do not
// exist, sinks that collide, and undefined ${VAR}s are errors that start with FILE:LINE:COL and
// name the key and the table, so that a user can go straight to the mistake.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/pipeline_spec.h"

namespace sluice::pipeline {

/// Looks a variable up in the environment; what ParsePipeline uses unless a test passes its own.
std::optional<std::string> GetEnvironmentVariable(const std::string& name);

/// Reads and validates a pipeline file. `vars` are --var K=V values (they win over the
/// environment). Throws sluice::Error: kIo when the file cannot be read, kInvalidInput for
/// anything wrong inside it.
PipelineSpec LoadPipelineFile(const std::string& path,
                              const std::map<std::string, std::string>& vars = {});

/// The same from text (tests, the fuzz target): `file` names it in messages, `folder`
/// (absolute) resolves relative paths. `getenv` is consulted for variables `vars` lacks.
PipelineSpec ParsePipeline(std::string_view text, const std::string& file,
                           const std::string& folder,
                           const std::map<std::string, std::string>& vars = {},
                           const std::function<std::optional<std::string>(const std::string&)>&
                               getenv = GetEnvironmentVariable);

}  // namespace sluice::pipeline
