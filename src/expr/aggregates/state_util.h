// Shared pieces of the aggregate states (src/expr/aggregates/*.cpp): the Merge-to-MergeGroups
// bridge, loops over the valid rows of a column, dispatch from a DataType to the C++ type of its
// values, result columns built from per-group arrays, and (through state_bytes.h) their spill
// form.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/bitmap.h"
#include "core/column.h"
#include "core/decimal.h"
#include "core/error.h"
#include "expr/aggregate_function.h"
#include "expr/aggregates/state_bytes.h"

namespace sluice::aggregates {

/// Implements Merge as MergeGroups over every group of `other`, and Update and UpdateRange as
/// UpdateGroups, or UpdateOneGroup when every row goes to group 0.
class StateBase : public GroupedAggregateState {
 public:
  void Update(const Column* input, const uint32_t* group_ids, int64_t rows) final {
    UpdateRange(input, 0, rows, group_ids);
  }
  void UpdateRange(const Column* input, int64_t begin, int64_t end,
                   const uint32_t* group_ids) final {
    if (begin >= end) return;
    if (group_ids == nullptr)
      UpdateOneGroup(input, begin, end);
    else
      UpdateGroups(input, begin, end, group_ids);
  }
  void Merge(const GroupedAggregateState& other, const uint32_t* targets,
             int64_t other_groups) final {
    MergeGroups(other, nullptr, targets, other_groups);
  }

 protected:
  /// Adds rows [begin, end) of `input` to groups group_ids[0..end - begin).
  virtual void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                            const uint32_t* group_ids) = 0;
  /// Adds rows [begin, end) of `input` to group 0 (a global aggregate). The states that global
  /// aggregates use most accumulate in registers here; the others see group ids of zeros.
  virtual void UpdateOneGroup(const Column* input, int64_t begin, int64_t end) {
    thread_local std::vector<uint32_t> zeros;
    if (zeros.size() < static_cast<size_t>(end - begin)) zeros.resize(end - begin, 0);
    UpdateGroups(input, begin, end, zeros.data());
  }
};

/// Calls f(source_group, target_group) for each group MergeGroups names.
template <typename F>
inline void ForEachMerged(const uint32_t* groups, const uint32_t* targets, int64_t count, F&& f) {
  if (groups == nullptr) {
    for (int64_t i = 0; i < count; ++i) f(static_cast<uint32_t>(i), targets[i]);
  } else {
    for (int64_t i = 0; i < count; ++i) f(groups[i], targets[i]);
  }
}

/// For states that scan their values rather than index them by group: the target of each group
/// of a state with `other_groups` groups, kNoTarget for the groups not merged.
inline constexpr uint32_t kNoTarget = 0xFFFFFFFFu;
inline std::vector<uint32_t> TargetsByGroup(const uint32_t* groups, const uint32_t* targets,
                                            int64_t count, int64_t other_groups) {
  std::vector<uint32_t> by_group(static_cast<size_t>(other_groups), kNoTarget);
  ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) { by_group[g] = t; });
  return by_group;
}

/// Orders items by their group, stably: afterwards the items of group g are
/// order[offsets[g], offsets[g + 1]) (indexes into item_groups), with `groups` + 1 offsets. The
/// states that keep values in arrival order (distinct, quantile) use it to find a group's values.
template <typename Index>
void OrderByGroup(const std::vector<uint32_t>& item_groups, int64_t groups,
                  std::vector<int64_t>* offsets, std::vector<Index>* order) {
  offsets->assign(static_cast<size_t>(groups) + 1, 0);
  int64_t* starts = offsets->data();
  for (uint32_t g : item_groups) ++starts[g + 1];
  for (int64_t g = 0; g < groups; ++g) starts[g + 1] += starts[g];
  std::vector<int64_t> next(offsets->begin(), offsets->end() - 1);
  order->resize(item_groups.size());
  for (size_t i = 0; i < item_groups.size(); ++i) {
    (*order)[next[item_groups[i]]++] = static_cast<Index>(i);
  }
}

/// Calls f(i) for every row i in [begin, end) where `input` is valid, a 64-bit validity word at
/// a time so that columns without nulls (or with few) run a plain loop.
template <typename F>
inline void ForEachValid(const Column& input, int64_t begin, int64_t end, F&& f) {
  if (input.null_count == 0 || input.validity == nullptr) {
    for (int64_t i = begin; i < end; ++i) f(i);
    return;
  }
  const uint8_t* validity = input.validity->data();
  int64_t i = begin;
  for (; i < end && (i & 63) != 0; ++i) {
    if (bits::Get(validity, i)) f(i);
  }
  for (; i + 64 <= end; i += 64) {
    uint64_t word;
    std::memcpy(&word, validity + i / 8, 8);
    if (word == ~uint64_t{0}) {
      for (int64_t k = i; k < i + 64; ++k) f(k);
    } else {
      while (word != 0) {
        f(i + std::countr_zero(word));
        word &= word - 1;
      }
    }
  }
  for (; i < end; ++i) {
    if (bits::Get(validity, i)) f(i);
  }
}

/// Reads value i of a fixed-width or bool column as T (bool columns are bit-packed).
template <typename T>
struct ValueReader {
  const T* values;
  explicit ValueReader(const Column& column) : values(column.Values<T>()) {}
  T operator()(int64_t i) const { return values[i]; }
};
template <>
struct ValueReader<bool> {
  const uint8_t* bits;
  explicit ValueReader(const Column& column) : bits(column.values->data()) {}
  bool operator()(int64_t i) const { return bits::Get(bits, i); }
};

/// Calls f.template operator()<T>() with T the C++ type of a numeric column's values (bool,
/// integers, floats, and int128 for decimals); returns false for other types.
template <typename F>
bool VisitNumeric(const DataType& type, F&& f) {
  switch (type.id) {
    case TypeId::kBool: f.template operator()<bool>(); return true;
    case TypeId::kInt8: f.template operator()<int8_t>(); return true;
    case TypeId::kInt16: f.template operator()<int16_t>(); return true;
    case TypeId::kInt32: f.template operator()<int32_t>(); return true;
    case TypeId::kInt64: f.template operator()<int64_t>(); return true;
    case TypeId::kUInt8: f.template operator()<uint8_t>(); return true;
    case TypeId::kUInt16: f.template operator()<uint16_t>(); return true;
    case TypeId::kUInt32: f.template operator()<uint32_t>(); return true;
    case TypeId::kUInt64: f.template operator()<uint64_t>(); return true;
    case TypeId::kFloat32: f.template operator()<float>(); return true;
    case TypeId::kFloat64: f.template operator()<double>(); return true;
    case TypeId::kDecimal: f.template operator()<int128_t>(); return true;
    default: return false;
  }
}

/// Like VisitNumeric, plus the temporal types by their storage (date32 as int32; time64,
/// timestamp and duration as int64): the types whose values order as their storage does.
template <typename F>
bool VisitOrderedFixed(const DataType& type, F&& f) {
  switch (type.id) {
    case TypeId::kDate32: f.template operator()<int32_t>(); return true;
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: f.template operator()<int64_t>(); return true;
    default: return VisitNumeric(type, f);
  }
}

inline bool IsNumeric(const DataType& type) {
  return type.id == TypeId::kBool || type.IsInteger() || type.IsFloating() ||
         type.id == TypeId::kDecimal;
}

/// Converts a value to double; decimals are scaled by `decimal_divisor` (10^scale).
template <typename T>
inline double ToDouble(T value, double decimal_divisor) {
  if constexpr (std::is_same_v<T, int128_t>) {
    return static_cast<double>(value) / decimal_divisor;
  } else {
    return static_cast<double>(value);
  }
}

/// 10^scale as a double, for ToDouble.
inline double DecimalDivisor(const DataType& type) {
  return type.id == TypeId::kDecimal ? static_cast<double>(PowerOfTen(type.scale)) : 1.0;
}

/// Heap bytes a std::string holds (none while its value fits the inline buffer).
inline int64_t StringHeapBytes(const std::string& value) {
  return value.capacity() > 15 ? static_cast<int64_t>(value.capacity()) : 0;
}
/// Assigns `value` to `target`, keeping `heap_bytes` (a sum of StringHeapBytes) current, so
/// that MemoryUsage need not visit every string.
inline void AssignCounted(std::string& target, std::string_view value, int64_t* heap_bytes) {
  *heap_bytes -= StringHeapBytes(target);
  target.assign(value.data(), value.size());
  *heap_bytes += StringHeapBytes(target);
}

/// A validity bitmap from one byte per group (nonzero = valid); null when every group is valid.
std::shared_ptr<Buffer> MakeValidity(const uint8_t* valid, int64_t groups, MemoryPool* pool,
                                     int64_t* null_count);

/// A fixed-width column of `type` from one T per group; `valid` may be null (all valid).
template <typename T>
Column MakeFixedColumn(const DataType& type, const T* values, const uint8_t* valid, int64_t groups,
                       MemoryPool* pool) {
  Column column;
  column.type = type;
  column.length = groups;
  column.values = Buffer::Make(groups * int64_t{sizeof(T)}, pool);
  column.values->Resize(groups * int64_t{sizeof(T)});
  if (groups > 0) std::memcpy(column.values->data(), values, groups * sizeof(T));
  if (valid != nullptr) column.validity = MakeValidity(valid, groups, pool, &column.null_count);
  return column;
}

/// A bool column from one byte per group (nonzero = true).
Column MakeBoolColumn(const uint8_t* values, const uint8_t* valid, int64_t groups,
                      MemoryPool* pool);

/// A utf8/binary column of `type` from one string per group.
Column MakeStringColumn(const DataType& type, const std::vector<std::string>& values,
                        const uint8_t* valid, int64_t groups, MemoryPool* pool);

/// A column of `type` (fixed width: uuid, fixed_size_binary, ...) from `width` bytes per group.
Column MakeBytesColumn(const DataType& type, const uint8_t* bytes, int width, const uint8_t* valid,
                       int64_t groups, MemoryPool* pool);

/// Adds `value` to the Neumaier-compensated sum (sum, compensation): error stays ~1 ulp of the
/// total whatever the magnitudes, and the result depends only on the order of additions.
inline void NeumaierAdd(double& sum, double& compensation, double value) {
  double total = sum + value;
  // Selects instead of branching: the larger magnitude is random in real data.
  bool sum_larger = std::abs(sum) >= std::abs(value);
  double large = sum_larger ? sum : value;
  double small = sum_larger ? value : sum;
  compensation += (large - total) + small;
  sum = total;
}
/// The value of a compensated sum; an infinite or NaN running sum is the answer as it stands.
inline double NeumaierResult(double sum, double compensation) {
  return std::isfinite(sum) ? sum + compensation : sum;
}

// Registration, one call per function family (called by aggregate_function.cpp, in order).
void AddCountFunctions(std::vector<AggregateFunction>* functions);
void AddSumMeanFunctions(std::vector<AggregateFunction>* functions);
void AddMinMaxFunctions(std::vector<AggregateFunction>* functions);
void AddFirstLastFunctions(std::vector<AggregateFunction>* functions);
void AddDistinctFunctions(std::vector<AggregateFunction>* functions);
void AddVarianceFunctions(std::vector<AggregateFunction>* functions);
void AddQuantileFunctions(std::vector<AggregateFunction>* functions);
void AddBoolFunctions(std::vector<AggregateFunction>* functions);

/// Makes an empty state of the function `name` for `input` (no distinct), for wrappers.
using StateFactory = std::function<std::unique_ptr<GroupedAggregateState>()>;

/// Wraps a function so that it sees each distinct value of a group once (count(DISTINCT x)):
/// the wrapper keeps the distinct values per group in first-seen order and feeds them to a fresh
/// state from `inner` at Finalize. With `count_nulls`, null is one more distinct value (for
/// n_unique, as Polars counts it).
std::unique_ptr<GroupedAggregateState> MakeDistinctState(const DataType& input, StateFactory inner,
                                                         bool count_nulls);

/// count_star's state (counts every row given, null or not); n_unique wraps it.
std::unique_ptr<GroupedAggregateState> MakeCountAllState();

/// Wraps `factory` in MakeDistinctState when `distinct` is set.
inline std::unique_ptr<GroupedAggregateState> MaybeDistinct(const DataType& input, bool distinct,
                                                            StateFactory factory) {
  if (distinct) return MakeDistinctState(input, std::move(factory), /*count_nulls=*/false);
  return factory();
}

}  // namespace sluice::aggregates
