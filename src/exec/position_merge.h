// Merging spill files by row position: each file holds blocks whose rows carry a uint64 position
// (the block's one extra byte array), increasing through the file, and the merge yields all rows
// in increasing position. A spilled aggregation's partitions (positions: where each group first
// appeared) and a spilled join's partitions (positions: the probe row each output row came from)
// come back in the in-memory operator's order this way, holding a block per file.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "exec/pipeline.h"
#include "exec/spill_file.h"

namespace sluice::exec {

/// The extra byte array that carries a block's row positions (narrowed: core/narrowed_ints.h).
std::vector<uint8_t> EncodePositions(const uint64_t* positions, int64_t count);

/// The rows of `files` (all of `file_schema`) merged by position, in batches of `batch_size`;
/// output column i is file column output_columns[i].
std::unique_ptr<Source> MakePositionMergeSource(SchemaPtr file_schema, SchemaPtr output_schema,
                                                std::vector<int> output_columns,
                                                std::vector<std::shared_ptr<SpillFile>> files,
                                                int64_t batch_size, MemoryPool* pool);

}  // namespace sluice::exec
