// A single typed value (a literal, a statistic's min or max), outside any column.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/decimal.h"
#include "core/types.h"

namespace sluice {

struct Scalar {
  /// Holds the value in the widest C++ type of its family: signed integers, dates, times,
  /// timestamps and durations as int64; unsigned as uint64; floats as double; decimals as
  /// int128 (unscaled); utf8, binary, uuid and fixed-size binary as bytes.
  using Value =
      std::variant<std::monostate, bool, int64_t, uint64_t, double, int128_t, std::string>;

  DataType type;
  Value value;  ///< std::monostate = null.

  bool is_null() const { return std::holds_alternative<std::monostate>(value); }
  /// Renders the value as FormatValue would, or "NULL".
  std::string ToString() const;
};

}  // namespace sluice
