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

class JoinResidual;

/// left × build->rows keeping only the pairs `residual` accepts: a nested-loop join. Left rows
/// are cut into slices of about batch_size pairs (one left row when the right side alone is
/// larger) on the driver's thread; workers pair each slice with the right rows, evaluate the
/// condition per block of pairs and assemble the kept ones, in the same order as the plain
/// cross join.
Stream MakeCrossJoinWithResidual(SchemaPtr schema, Stream left,
                                 std::shared_ptr<JoinBuildSide> build,
                                 std::shared_ptr<const JoinResidual> residual, int64_t batch_size,
                                 MemoryPool* pool);

}  // namespace sluice::exec
