// The cross join: every probe (left) row paired with every build (right) row, left rows in input
// order and for each the right rows in input order. The output can be far larger than either
// input, so it is produced in chunks of about batch_size rows by a source that walks the left
// input (pulled on the driver's thread) against the materialized right rows.
#pragma once

#include <memory>

#include "exec/join_build.h"
#include "exec/pipeline.h"

namespace sluice::exec {

/// A source over left × build->rows with `schema` (left columns, then right columns).
std::unique_ptr<Source> MakeCrossJoinSource(SchemaPtr schema, std::unique_ptr<Source> left,
                                            std::shared_ptr<JoinBuildSide> build,
                                            int64_t batch_size, MemoryPool* pool);

}  // namespace sluice::exec
