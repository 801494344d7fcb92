// Reads the `tests` table of a source or model in a pipeline file into DataTestSpecs, one per
// check. Internal to pipeline_file.cpp.
#pragma once

#include <string>
#include <vector>

#include "pipeline/pipeline_spec.h"
#include "pipeline/toml_reader.h"

namespace sluice::pipeline {

/// Reads `tests = { not_null = [...], unique = [...], accepted_values = {...}, row_count = {...},
/// relationships = {...}, expect_empty = "SQL" }` of `owner` ("[models.net_revenue]"), in file
/// order. Relationships are checked for their "relation.column" form here; whether the relation
/// exists is checked by the caller, which knows every name.
std::vector<DataTestSpec> ReadDataTests(const TomlReader& reader, const toml::node& tests,
                                        const std::string& owner);

}  // namespace sluice::pipeline
