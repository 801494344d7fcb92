// The probe side of a hash join: an Operator that looks every row of a batch up in the build
// side's table and assembles the joined batch (one batch out per batch in, same seq). Output
// rows follow the probe batch's row order, and the build rows of one probe row follow build
// input order, so the output never depends on the thread count.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "exec/join_build.h"
#include "exec/pipeline.h"

namespace sluice::exec {

/// Where one output column of a join comes from.
struct JoinOutputColumn {
  enum class From : uint8_t {
    kProbe,  ///< Column `index` of the probe batch.
    kBuild,  ///< Column `index` of the build rows (null where a probe row has no match).
    kNull,   ///< All nulls (the left columns of unmatched build rows of a full join).
  };
  From from = From::kProbe;
  int index = -1;
  /// Converts the gathered column to the output type (a coalesced key of a right or full join
  /// whose two sides differ in type); null when the types are equal.
  BoundExprPtr cast;
};

/// Which probe rows produce output, and how.
enum class ProbeMode : uint8_t {
  kInner,  ///< One row per (probe row, matching build row).
  kOuter,  ///< As inner, plus unmatched probe rows with null build columns.
  kSemi,   ///< Probe rows with at least one match, once.
  kAnti,   ///< Probe rows with no match (null keys included: SQL NOT EXISTS).
  /// No output: only sets the matched flags of the build rows (track_matches), for a semi or
  /// anti join that holds its left side and outputs its marked or unmarked rows at the end.
  kMark,
};

class JoinResidual;

struct JoinProbeSpec {
  ProbeMode mode = ProbeMode::kInner;
  bool track_matches = false;  ///< Sets the build side's matched flags (full joins).
  SchemaPtr output_schema;
  std::vector<JoinOutputColumn> columns;  ///< One per output field (unused for semi/anti).
  BoundJoinKeys keys;                     ///< The probe side's keys.
  JoinKeySpec key_spec;
  MemoryPool* pool = nullptr;
  /// The condition key matches must also meet (null: none). Only pairs it keeps count as
  /// matches: for output, for semi/anti membership and for the build side's matched flags.
  std::shared_ptr<const JoinResidual> residual;
};

std::shared_ptr<Operator> MakeJoinProbe(JoinProbeSpec spec, std::shared_ptr<JoinBuildSide> build);

/// Assembles a joined batch: kProbe columns from `probe` (rows `probe_rows`, or as they are when
/// `probe_identity`), kBuild columns from `build` (rows `build_rows`, kNullRow = null).
Batch AssembleJoinOutput(const SchemaPtr& schema, const std::vector<JoinOutputColumn>& columns,
                         const Batch* probe, std::span<const uint32_t> probe_rows,
                         bool probe_identity, const Batch& build,
                         std::span<const uint32_t> build_rows, int64_t num_rows, MemoryPool* pool);

/// A bound cast of column 0 of a one-column batch of type `from` to `to` (for JoinOutputColumn).
BoundExprPtr MakeColumnCast(const DataType& from, const DataType& to, const std::string& name);

}  // namespace sluice::exec
