// Aggregate functions over groups: sum, mean, count, min, max, first, last, n_unique, std, var,
// median, quantile, any, all (and count(*) as "count_star").
//
// A hash aggregation keeps one GroupedAggregateState per aggregate and feeds it batches with a
// group id per row. To make results independent of the thread count, states are built per
// morsel and merged in morsel order (seq): Update sees the rows of one morsel in row order, and
// Merge is called for the partial states of morsels in increasing seq. So a float sum is always
// ((rows of morsel 0) + (rows of morsel 1)) + ..., first/last follow input order, and nothing
// depends on which thread did what.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/column.h"
#include "core/memory_pool.h"
#include "core/types.h"

namespace sluice {

class GroupedAggregateState {
 public:
  virtual ~GroupedAggregateState() = default;

  /// Grows to `groups` groups; new groups start empty (sum of nothing, count 0, ...).
  virtual void Resize(int64_t groups) = 0;
  /// Adds row i of `input` to group group_ids[i], for i in [0, rows). `input` is null for
  /// count_star. Nulls are skipped (SQL).
  virtual void Update(const Column* input, const uint32_t* group_ids, int64_t rows) = 0;
  /// Like Update for rows [begin, end) of `input`: row i goes to group group_ids[i - begin], or
  /// to group 0 when group_ids is null (a global aggregate, which states can run faster). The
  /// hash aggregation feeds a morsel's rows of one radix partition this way (it gathers them
  /// together first).
  virtual void UpdateRange(const Column* input, int64_t begin, int64_t end,
                           const uint32_t* group_ids) = 0;
  /// Adds the state of each group g of `other` (the same function, a later morsel) to group
  /// targets[g] of this state, for g in [0, other_groups).
  virtual void Merge(const GroupedAggregateState& other, const uint32_t* targets,
                     int64_t other_groups) = 0;
  /// Like Merge for some groups of `other` only: group groups[i] of `other` goes to group
  /// targets[i] of this state, for i in [0, count) (`groups` null means groups 0, 1, 2, ...).
  /// The hash aggregation merges one radix partition of a morsel's state at a time, from
  /// several threads at once, so this only reads `other`.
  virtual void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                           const uint32_t* targets, int64_t count) = 0;
  /// Called once after the last Update and before the state is merged from: states that collect
  /// values (median, distinct) arrange them by group here so that MergeGroups finds a group's
  /// values at once.
  virtual void Seal() {}
  /// The result per group, one row per group in group-id order.
  virtual Column Finalize(MemoryPool* pool) = 0;
  /// Bytes held, for memory accounting.
  virtual int64_t MemoryUsage() const = 0;

  /// Appends groups groups[0..count) of this state (groups 0..count when `groups` is null) to
  /// `out`, in a form Deserialize reads back: a hash aggregation that spills a partition writes
  /// its states to disk this way. Only reads the state (sealed or not).
  virtual void Serialize(const uint32_t* groups, int64_t count,
                         std::vector<uint8_t>* out) const = 0;
  /// Replaces this state's groups with those in `bytes`, written by Serialize of a state of the
  /// same function, input type and parameters: afterwards it holds exactly those groups, in that
  /// order, and can be updated, merged into, sealed, merged from and finalized like the original.
  /// Every length and count in `bytes` is checked; malformed bytes throw an internal error.
  virtual void Deserialize(std::span<const uint8_t> bytes) = 0;
};

struct AggregateFunction {
  std::string name;
  /// Result type for an input type (`input` is unused by count_star); throws a clear error for
  /// types the function does not take ("sum of utf8 in `sum(region)`").
  std::function<DataType(const DataType& input, const std::string& display)> result_type;
  /// Makes an empty state. `param` carries quantile's q; `distinct` counts distinct values only.
  /// `param` is NaN when the call has no second argument (std and var then use ddof = 1).
  std::function<std::unique_ptr<GroupedAggregateState>(const DataType& input, double param,
                                                       bool distinct)>
      make_state;
};

/// Returns the aggregate function named `name` or null.
const AggregateFunction* FindAggregateFunction(std::string_view name);
std::vector<std::string> AggregateFunctionNames();

}  // namespace sluice
