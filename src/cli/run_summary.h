// The table `sluice run` ends with: one line per sink (rows, bytes, time, peak memory, bytes
// spilled to disk, data tests passed, or "up to date"), then the data tests that failed, with
// their details.
#pragma once

#include <string>

#include "pipeline/pipeline_spec.h"
#include "pipeline/runner.h"

namespace sluice::cli {

std::string RenderRunSummary(const pipeline::PipelineSpec& spec, const pipeline::RunReport& report);

}  // namespace sluice::cli
