// A join's residual condition (LogicalPlan::residual) at run time: the condition beyond the key
// equalities that a candidate pair of rows must also meet to match. Candidate pairs come as two
// row lists (probe rows and build rows, from the hash table's key matches or from a cross
// product); the columns the condition reads are gathered for a block of pairs into one batch, the
// condition is evaluated over it vectorized, and only the pairs where it is true (not false, not
// null) are kept, in their order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "exec/join_probe.h"
#include "expr/bound_expr.h"
#include "expr/expr.h"

namespace sluice::exec {

class JoinResidual {
 public:
  /// Binds `condition` over the columns of `left` then `right` (JoinResidualSchema);
  /// `probe_is_left` says which of them the probe side is (false for right joins, which probe the
  /// right input). Only the columns the condition reads are gathered.
  JoinResidual(const Expr& condition, const Schema& left, const Schema& right,
               const std::string& suffix, bool probe_is_left, int64_t block_rows);

  /// Keeps the pairs (probe_rows[i], build_rows[i]) whose condition is true, compacting both
  /// lists in place (order kept); returns how many remain. Evaluates blocks of at most
  /// block_rows pairs at a time.
  size_t Filter(const Batch& probe, const Batch& build, std::vector<uint32_t>* probe_rows,
                std::vector<uint32_t>* build_rows, MemoryPool* pool) const;

  const std::string& display() const { return display_; }

 private:
  SchemaPtr schema_;                       ///< The gathered columns.
  std::vector<JoinOutputColumn> columns_;  ///< Where each gathered column comes from.
  BoundExprPtr condition_;                 ///< Bound over schema_.
  int64_t block_rows_;
  std::string display_;
};

}  // namespace sluice::exec
