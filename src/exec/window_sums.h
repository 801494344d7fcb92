// The arithmetic of window sums, shared by the aggregates over frames (window_aggregates.cpp)
// and the running ones over an ordered stream (window_stream.cpp), so that both give the same
// bytes: exact numbers sum in 128 bits (wrapping, so that what enters and leaves a frame
// cancels), floats in a compensated (Neumaier) sum folded row by row in window order.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/column.h"
#include "core/decimal.h"
#include "core/error.h"

namespace sluice::exec {

using U128 = unsigned __int128;

inline bool IsExactNumber(const DataType& type) {
  return type.id == TypeId::kBool || type.IsInteger() || type.id == TypeId::kDecimal;
}

/// The value at `row` as an integer in the column's own units: bools, integers, decimals
/// unscaled, dates in days, times and durations in their unit.
inline int128_t ExactAt(const Column& column, int64_t row) {
  switch (column.type.id) {
    case TypeId::kBool: return column.BoolAt(row) ? 1 : 0;
    case TypeId::kInt8: return column.Values<int8_t>()[row];
    case TypeId::kInt16: return column.Values<int16_t>()[row];
    case TypeId::kInt32:
    case TypeId::kDate32: return column.Values<int32_t>()[row];
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTime64:
    case TypeId::kDuration: return column.Values<int64_t>()[row];
    case TypeId::kUInt8: return column.Values<uint8_t>()[row];
    case TypeId::kUInt16: return column.Values<uint16_t>()[row];
    case TypeId::kUInt32: return column.Values<uint32_t>()[row];
    case TypeId::kUInt64: return column.Values<uint64_t>()[row];
    case TypeId::kDecimal: {
      int128_t value;
      std::memcpy(&value, column.values->data() + row * 16, 16);
      return value;
    }
    default: ThrowInternal("a window reads a {} column as an integer", column.type.ToString());
  }
}

/// True when an exact sum `total` of a `decimal` (else integer) argument is out of the result's
/// range.
inline bool ExactSumOverflows(int128_t total, bool decimal) {
  static const int128_t decimal_limit = PowerOfTen(38);
  return decimal ? total >= decimal_limit || total <= -decimal_limit
                 : total > INT64_MAX || total < INT64_MIN;
}

[[noreturn]] inline void ThrowSumOverflow(const DataType& type, const std::string& display) {
  ThrowInvalid(
      "sum overflowed {} in `{}`: a frame's total is out of range; cast the argument to "
      "float64 (or a decimal) before summing",
      type.ToString(), display);
}

struct FloatSum {
  double sum = 0;
  double compensation = 0;
  int64_t count = 0;

  /// The sum, or the mean, of the values folded in (count > 0).
  double Result(bool mean) const {
    const double total = std::isfinite(sum) ? sum + compensation : sum;
    return mean ? total / static_cast<double>(count) : total;
  }
};

inline void NeumaierAdd(double& sum, double& compensation, double value) {
  const double total = sum + value;
  const bool sum_larger = std::abs(sum) >= std::abs(value);
  const double large = sum_larger ? sum : value;
  const double small = sum_larger ? value : sum;
  compensation += (large - total) + small;
  sum = total;
}

inline FloatSum Combine(FloatSum a, const FloatSum& b) {
  if (b.count == 0) return a;
  if (a.count == 0) return b;
  NeumaierAdd(a.sum, a.compensation, b.sum);
  a.compensation += b.compensation;
  a.count += b.count;
  return a;
}

/// A float column's value at `row` as a one-row sum (none when null).
inline FloatSum FloatLeaf(const Column& column, int64_t row) {
  if (column.IsNull(row)) return FloatSum{};
  const double value = column.type.id == TypeId::kFloat32 ? double{column.Values<float>()[row]}
                                                          : column.Values<double>()[row];
  return FloatSum{value, 0.0, 1};
}

}  // namespace sluice::exec
