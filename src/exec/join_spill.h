// The spilling hash join (grace hash join). The build input is collected first; when the memory
// pool asks for memory back, or the collected rows would not leave room to build their table,
// the build rows go to kSpillPartitions spill files (exec/partition_spill.h) by their key hash
// (with their input position). The probe input then follows them into partition files the same way,
// and each partition is joined on its own: its build rows back in input order, their table built,
// its probe rows probed. Every probe row's output stays in its partition, so the partitions'
// outputs, each tagged with its probe rows' input positions, merge back into exactly the in-memory
// join's order (a full join's unmatched build rows follow, in build input order).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exec/join_build.h"
#include "exec/join_probe.h"
#include "exec/partition_spill.h"
#include "exec/pipeline.h"

namespace sluice::exec {

/// The build input, in memory or partitioned on disk by key hash.
using CollectedBuild = CollectedRows;

/// Runs the build input, spilling its rows by key hash when memory runs short.
CollectedBuild CollectBuild(Stream build, const BoundJoinKeys& keys, const JoinKeySpec& spec,
                            const std::string& join_name, const ExecContext& context);

/// The rest of a join whose build side spilled: partitions the probe input, joins partition by
/// partition and returns the merged output. `probe_spec` is the in-memory probe's spec;
/// `unmatched_columns` (full joins, and semi/anti joins holding their left side) says how build
/// rows become output rows after the probe's: those unmatched, or with `want_matched` matched.
Stream GraceJoin(CollectedBuild build, Stream probe, JoinProbeSpec probe_spec,
                 std::vector<JoinOutputColumn> unmatched_columns, bool want_matched,
                 const BoundJoinKeys& build_keys, const std::string& join_name,
                 const ExecContext& context);

}  // namespace sluice::exec
