// Sources one after another: a union's inputs, or a spilled full join's matched then unmatched
// rows. Batches are renumbered 0, 1, 2, ... across them.
#pragma once

#include <memory>
#include <vector>

#include "exec/pipeline.h"

namespace sluice::exec {

/// Every batch of `sources[0]`, then of `sources[1]`, ..., with `schema`; each source is freed
/// once it is done.
std::unique_ptr<Source> MakeConcatSource(SchemaPtr schema,
                                         std::vector<std::unique_ptr<Source>> sources);

}  // namespace sluice::exec
