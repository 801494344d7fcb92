// Row-group pruning by statistics (see row_group_filter.h).
#include "io/parquet/reader/row_group_filter.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <variant>

#include "core/decimal.h"
#include "core/error.h"
#include "io/fs/hive.h"

namespace sluice::io::parquet {

namespace {

template <typename T>
int Sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool IsNumeric(const DataType& type) {
  return type.IsInteger() || type.IsFloating() || type.id == TypeId::kDecimal;
}

bool IsBytes(const DataType& type) {
  return type.id == TypeId::kUtf8 || type.id == TypeId::kBinary ||
         type.id == TypeId::kFixedSizeBinary || type.id == TypeId::kUuid;
}

/// An exact number: an unscaled integer with a decimal scale, or a double.
struct Number {
  bool is_float = false;
  int128_t unscaled = 0;
  int scale = 0;
  double value = 0;
};

std::optional<Number> ToNumber(const Scalar& scalar) {
  Number number;
  if (const auto* v = std::get_if<int64_t>(&scalar.value)) {
    number.unscaled = *v;
  } else if (const auto* v = std::get_if<uint64_t>(&scalar.value)) {
    number.unscaled = static_cast<int128_t>(*v);
  } else if (const auto* v = std::get_if<int128_t>(&scalar.value)) {
    number.unscaled = *v;
    number.scale = scalar.type.id == TypeId::kDecimal ? scalar.type.scale : 0;
  } else if (const auto* v = std::get_if<double>(&scalar.value)) {
    if (std::isnan(*v)) return std::nullopt;
    number.is_float = true;
    number.value = *v;
  } else {
    return std::nullopt;
  }
  return number;
}

/// Compares an integer (scale 0) with a double exactly.
int CompareIntegerWithDouble(int128_t integer, double value) {
  constexpr double kTwoTo127 = 170141183460469231731687303715884105728.0;
  if (value >= kTwoTo127) return -1;
  if (value < -kTwoTo127) return 1;
  double whole = std::trunc(value);
  int128_t truncated = static_cast<int128_t>(whole);  // exact: |whole| < 2^127
  if (integer != truncated) return integer < truncated ? -1 : 1;
  double fraction = value - whole;
  return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0);
}

std::optional<int> CompareNumbers(const Number& a, const Number& b) {
  if (a.is_float && b.is_float) return Sign(a.value, b.value);
  if (!a.is_float && !b.is_float) {
    int128_t x = a.unscaled, y = b.unscaled;
    int scale = std::max(a.scale, b.scale);
    if (a.scale < scale && __builtin_mul_overflow(x, PowerOfTen(scale - a.scale), &x))
      return std::nullopt;
    if (b.scale < scale && __builtin_mul_overflow(y, PowerOfTen(scale - b.scale), &y))
      return std::nullopt;
    return Sign(x, y);
  }
  // A decimal with a fraction against a double would need rounding: no answer.
  if (a.is_float) {
    if (b.scale != 0) return std::nullopt;
    return -CompareIntegerWithDouble(b.unscaled, a.value);
  }
  if (a.scale != 0) return std::nullopt;
  return CompareIntegerWithDouble(a.unscaled, b.value);
}

/// Rescales a temporal value to a finer unit; nothing on overflow.
std::optional<int64_t> ToUnit(int64_t value, sluice::TimeUnit from, sluice::TimeUnit to) {
  int64_t factor = UnitsPerSecond(to) / UnitsPerSecond(from);
  int64_t out;
  if (__builtin_mul_overflow(value, factor, &out)) return std::nullopt;
  return out;
}

std::optional<int> CompareTemporal(const Scalar& a, const Scalar& b) {
  const auto* x = std::get_if<int64_t>(&a.value);
  const auto* y = std::get_if<int64_t>(&b.value);
  if (x == nullptr || y == nullptr) return std::nullopt;
  if (a.type.id == TypeId::kDate32) return Sign(*x, *y);
  // Instants with a zone and wall-clock times without one do not compare.
  if (a.type.timezone.empty() != b.type.timezone.empty()) return std::nullopt;
  sluice::TimeUnit fine = std::max(a.type.unit, b.type.unit);  // kSecond < kMilli < kMicro < kNano
  std::optional<int64_t> p = ToUnit(*x, a.type.unit, fine);
  std::optional<int64_t> q = ToUnit(*y, b.type.unit, fine);
  if (!p || !q) return std::nullopt;
  return Sign(*p, *q);
}

}  // namespace

std::optional<int> CompareValues(const Scalar& a, const Scalar& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  const DataType& s = a.type;
  const DataType& t = b.type;
  if (IsNumeric(s) && IsNumeric(t)) {
    std::optional<Number> x = ToNumber(a), y = ToNumber(b);
    if (!x || !y) return std::nullopt;
    return CompareNumbers(*x, *y);
  }
  if (IsBytes(s) && IsBytes(t)) {
    const auto* x = std::get_if<std::string>(&a.value);
    const auto* y = std::get_if<std::string>(&b.value);
    if (x == nullptr || y == nullptr) return std::nullopt;
    int c = x->compare(*y);  // char_traits<char>::compare is memcmp: unsigned bytes
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (s.id == TypeId::kBool && t.id == TypeId::kBool) {
    const auto* x = std::get_if<bool>(&a.value);
    const auto* y = std::get_if<bool>(&b.value);
    if (x == nullptr || y == nullptr) return std::nullopt;
    return Sign(*x, *y);
  }
  bool same_temporal = s.id == t.id && (s.id == TypeId::kDate32 || s.id == TypeId::kTimestamp ||
                                        s.id == TypeId::kTime64 || s.id == TypeId::kDuration);
  if (same_temporal) return CompareTemporal(a, b);
  return std::nullopt;
}

namespace {

/// The PLAIN bytes of `value` in `leaf`'s physical type (what bloom filters hash), when the value
/// has exactly the leaf's logical type.
std::optional<std::string> PlainBytes(const LeafColumn& leaf, const Scalar& value) {
  if (!(value.type == leaf.type) || value.type.id == TypeId::kDecimal) return std::nullopt;
  switch (leaf.physical) {
    case Type::kByteArray:
    case Type::kFixedLenByteArray: {
      const auto* bytes = std::get_if<std::string>(&value.value);
      if (bytes == nullptr) return std::nullopt;
      if (leaf.physical == Type::kFixedLenByteArray &&
          bytes->size() != static_cast<size_t>(leaf.type_length))
        return std::nullopt;
      return *bytes;
    }
    case Type::kInt32: {
      int64_t v;
      if (const auto* s = std::get_if<int64_t>(&value.value))
        v = *s;
      else if (const auto* u = std::get_if<uint64_t>(&value.value))
        v = static_cast<int64_t>(*u);
      else
        return std::nullopt;
      int32_t narrow = static_cast<int32_t>(static_cast<uint32_t>(v));
      std::string out(sizeof(narrow), '\0');
      std::memcpy(out.data(), &narrow, sizeof(narrow));
      return out;
    }
    case Type::kInt64: {
      int64_t v;
      if (const auto* s = std::get_if<int64_t>(&value.value))
        v = *s;
      else if (const auto* u = std::get_if<uint64_t>(&value.value))
        v = static_cast<int64_t>(*u);
      else
        return std::nullopt;
      std::string out(sizeof(v), '\0');
      std::memcpy(out.data(), &v, sizeof(v));
      return out;
    }
    default: return std::nullopt;
  }
}

/// Checks `value` against the row group's range: false when the statistics exclude it.
bool InRange(const Scalar& value, const Scalar& low, const Scalar& high) {
  std::optional<int> above_low = CompareValues(value, low);
  std::optional<int> below_high = CompareValues(value, high);
  if (above_low && *above_low < 0) return false;
  if (below_high && *below_high > 0) return false;
  return true;
}

constexpr size_t kMaxBloomProbes = 8;

/// Checks one bound against a row group's statistics. `might_contain` asks a bloom filter about
/// a value (true when there is none).
bool StatisticsMayMatch(const ColumnStatistics& stats, int64_t rows, const ColumnBound& bound,
                        const std::function<bool(const Scalar&)>& might_contain) {
  const bool wants_value = bound.not_null || bound.min || bound.max || bound.values;
  if (bound.is_null) {
    if (wants_value) return false;  // null and not null at once
    return !(stats.null_count && *stats.null_count == 0);
  }
  if (!wants_value) return true;
  if (stats.null_count && *stats.null_count >= rows) return false;  // every value is null
  if (bound.values && bound.values->empty()) return false;
  if (!stats.min || !stats.max) return true;
  const Scalar& low = *stats.min;
  const Scalar& high = *stats.max;
  // Statistics leave NaN out, and SQL engines sort NaN above every number: a row holding NaN
  // satisfies a lower bound alone, whatever the maximum says.
  const bool nan_possible = low.type.IsFloating() && !bound.max && !bound.values;
  if (bound.min && !nan_possible) {
    std::optional<int> c = CompareValues(high, *bound.min);
    if (c && (*c < 0 || (*c == 0 && !bound.min_inclusive))) return false;
  }
  if (bound.max) {
    std::optional<int> c = CompareValues(low, *bound.max);
    if (c && (*c > 0 || (*c == 0 && !bound.max_inclusive))) return false;
  }
  if (bound.values) {
    std::vector<const Scalar*> candidates;
    for (const Scalar& value : *bound.values)
      if (InRange(value, low, high)) candidates.push_back(&value);
    if (candidates.empty()) return false;
    // Values inside the range may still be absent: ask the bloom filter, which reads it from the
    // file on each call, so only for a short list.
    if (candidates.size() > kMaxBloomProbes) return true;
    for (const Scalar* value : candidates)
      if (might_contain(*value)) return true;
    return false;
  }
  return true;
}

bool ColumnMayMatch(const ParquetFile& file, int row_group, size_t column,
                    const ColumnBound& bound) {
  const LeafColumn& leaf = file.schema().columns[column];
  return StatisticsMayMatch(file.Statistics(row_group, column), file.RowGroupRows(row_group), bound,
                            [&](const Scalar& value) {
                              std::optional<std::string> plain = PlainBytes(leaf, value);
                              return !plain ||
                                     file.BloomFilterMightContain(row_group, column, *plain);
                            });
}

/// The type a partition value reads as: int64 when the bound compares with integers.
bool BoundIsInteger(const ColumnBound& bound) {
  const Scalar* sample = bound.min                                  ? &*bound.min
                         : bound.max                                ? &*bound.max
                         : (bound.values && !bound.values->empty()) ? &bound.values->front()
                                                                    : nullptr;
  return sample != nullptr && sample->type.IsInteger();
}

/// Checks a bound on a hive partition key against the value in the file's path, as statistics
/// of one value (or all nulls).
bool PartitionMayMatch(const ParquetFile& file, int row_group, const ColumnBound& bound) {
  for (const HivePartition& partition : ParseHivePartitions(file.path())) {
    if (partition.key != bound.column) continue;
    ColumnStatistics stats;
    const int64_t rows = file.RowGroupRows(row_group);
    if (!partition.value) {
      stats.null_count = rows;
    } else {
      stats.null_count = 0;
      Scalar value;
      if (BoundIsInteger(bound)) {
        int64_t number = 0;
        const std::string& text = *partition.value;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || end != text.data() + text.size()) return true;
        value = Scalar{Int64(), number};
      } else {
        value = Scalar{Utf8(), *partition.value};
      }
      stats.min = stats.max = value;
    }
    return StatisticsMayMatch(stats, rows, bound, [](const Scalar&) { return true; });
  }
  return true;
}

}  // namespace

bool RowGroupMayMatch(const ParquetFile& file, int row_group,
                      const std::vector<ColumnBound>& bounds) {
  if (bounds.empty()) return true;
  if (file.RowGroupRows(row_group) == 0) return false;
  for (const ColumnBound& bound : bounds) {
    // A column this file lacks (another file's column, read as null here) says nothing.
    std::optional<size_t> column = file.schema().schema.FindField(bound.column);
    try {
      if (column) {
        if (!ColumnMayMatch(file, row_group, *column, bound)) return false;
      } else if (bound.partition_key) {
        if (!PartitionMayMatch(file, row_group, bound)) return false;
      }
    } catch (const Error&) {
      // Unreadable statistics or bloom filter: read the row group; its data will tell.
    }
  }
  return true;
}

}  // namespace sluice::io::parquet
