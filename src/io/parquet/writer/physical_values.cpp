// Logical -> physical conversion for writing, and statistics ordering.
#include "io/parquet/writer/physical_values.h"

#include <cmath>
#include <cstring>

#include "core/decimal.h"
#include "core/error.h"

namespace sluice::io::parquet {

SortKind SortKindFor(const DataType& type, const SchemaElement& element) {
  switch (*element.type) {
    case Type::kBoolean: return SortKind::kBool;
    case Type::kInt32:
      return type.IsInteger() && !type.IsSignedInteger() ? SortKind::kUnsigned32
                                                         : SortKind::kSigned32;
    case Type::kInt64:
      return type.id == TypeId::kUInt64 ? SortKind::kUnsigned64 : SortKind::kSigned64;
    case Type::kFloat: return SortKind::kFloat;
    case Type::kDouble: return SortKind::kDouble;
    case Type::kFixedLenByteArray:
    case Type::kByteArray:
      return type.id == TypeId::kDecimal ? SortKind::kSignedBytes : SortKind::kBytes;
    case Type::kInt96: break;
  }
  return SortKind::kBytes;
}

namespace {
/// The row numbers of the non-null values: either rows[i] or, when every row is valid (most
/// columns), first + i without a vector of them.
struct ValueRows {
  const std::vector<int64_t>* rows;  ///< Null: all rows from `first`.
  int64_t first;
  int64_t count;
  int64_t operator[](size_t i) const { return rows ? (*rows)[i] : first + static_cast<int64_t>(i); }
  size_t size() const { return static_cast<size_t>(count); }
};

template <typename From, typename To>
void Narrow(const uint8_t* src, const ValueRows& rows, uint8_t* dst) {
  for (size_t i = 0; i < rows.size(); ++i) {
    From value;
    std::memcpy(&value, src + rows[i] * int64_t{sizeof(From)}, sizeof(From));
    To converted = static_cast<To>(value);
    std::memcpy(dst + i * sizeof(To), &converted, sizeof(To));
  }
}

}  // namespace

void ToPhysical(const Column& column, int64_t offset, int64_t length, const SchemaElement& element,
                std::vector<uint8_t>* levels, PhysicalValues* out) {
  levels->resize(static_cast<size_t>(length));
  std::vector<int64_t> valid_rows;
  ValueRows rows{nullptr, offset, length};
  if (column.validity == nullptr) {
    std::memset(levels->data(), 1, levels->size());
  } else {
    valid_rows.reserve(static_cast<size_t>(length));
    for (int64_t i = 0; i < length; ++i) {
      bool valid = column.IsValid(offset + i);
      (*levels)[i] = valid;
      if (valid) valid_rows.push_back(offset + i);
    }
    rows = {&valid_rows, 0, static_cast<int64_t>(valid_rows.size())};
  }
  out->count = static_cast<int64_t>(rows.size());
  out->views.clear();
  const DataType& type = column.type;
  Type physical = *element.type;

  if (physical == Type::kByteArray) {
    out->width = 0;
    out->views.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) out->views.push_back(column.StringAt(rows[i]));
    return;
  }
  if (physical == Type::kBoolean) {
    out->width = 1;
    out->fixed.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) out->fixed[i] = column.BoolAt(rows[i]);
    return;
  }
  int width = physical == Type::kInt32 || physical == Type::kFloat ? 4
              : physical == Type::kFixedLenByteArray               ? *element.type_length
                                                                   : 8;
  out->width = width;
  out->fixed.resize(rows.size() * static_cast<size_t>(width));
  uint8_t* dst = out->fixed.data();
  const uint8_t* src = column.values->data();
  switch (type.id) {
    case TypeId::kInt8: return Narrow<int8_t, int32_t>(src, rows, dst);
    case TypeId::kUInt8: return Narrow<uint8_t, int32_t>(src, rows, dst);
    case TypeId::kInt16: return Narrow<int16_t, int32_t>(src, rows, dst);
    case TypeId::kUInt16: return Narrow<uint16_t, int32_t>(src, rows, dst);
    case TypeId::kTime64:
      if (type.unit == sluice::TimeUnit::kMilli) return Narrow<int64_t, int32_t>(src, rows, dst);
      break;
    case TypeId::kDecimal:
      if (physical == Type::kInt32) return Narrow<int128_t, int32_t>(src, rows, dst);
      if (physical == Type::kInt64) return Narrow<int128_t, int64_t>(src, rows, dst);
      for (size_t i = 0; i < rows.size(); ++i) {
        int128_t value;
        std::memcpy(&value, src + rows[i] * 16, 16);
        // A constant 16 (sums, precisions above 18) lets the conversion inline to two swaps.
        if (width == 16) {
          DecimalToBigEndian(value, dst + i * 16, 16);
        } else {
          DecimalToBigEndian(value, dst + i * static_cast<size_t>(width), width);
        }
      }
      return;
    default: break;
  }
  // Same representation (int32/uint32/date32 -> INT32, 64-bit types -> INT64, floats, uuid and
  // fixed_size_binary -> FIXED_LEN_BYTE_ARRAY).
  SLUICE_CHECK(type.FixedWidth() == width);
  if (rows.count == 0) return;
  if (rows.rows == nullptr) {
    std::memcpy(dst, src + offset * width, rows.size() * static_cast<size_t>(width));
    return;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    std::memcpy(dst + i * static_cast<size_t>(width), src + rows[i] * width,
                static_cast<size_t>(width));
  }
}

namespace {
template <typename T>
int CompareAs(std::string_view a, std::string_view b) {
  T x, y;
  std::memcpy(&x, a.data(), sizeof(T));
  std::memcpy(&y, b.data(), sizeof(T));
  return x < y ? -1 : y < x ? 1 : 0;
}

int CompareBytes(std::string_view a, std::string_view b) {
  int order = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (order != 0) return order;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// Big-endian two's complement of possibly different lengths (decimals): compare as numbers.
int CompareSignedBytes(std::string_view a, std::string_view b) {
  int128_t x =
      DecimalFromBigEndian(reinterpret_cast<const uint8_t*>(a.data()), static_cast<int>(a.size()));
  int128_t y =
      DecimalFromBigEndian(reinterpret_cast<const uint8_t*>(b.data()), static_cast<int>(b.size()));
  return x < y ? -1 : y < x ? 1 : 0;
}

bool IsNaN(std::string_view value, SortKind kind) {
  if (kind == SortKind::kFloat) {
    float f;
    std::memcpy(&f, value.data(), 4);
    return std::isnan(f);
  }
  if (kind == SortKind::kDouble) {
    double d;
    std::memcpy(&d, value.data(), 8);
    return std::isnan(d);
  }
  return false;
}
}  // namespace

int ComparePlain(std::string_view a, std::string_view b, SortKind kind) {
  switch (kind) {
    case SortKind::kBool: return CompareAs<uint8_t>(a, b);
    case SortKind::kSigned32: return CompareAs<int32_t>(a, b);
    case SortKind::kUnsigned32: return CompareAs<uint32_t>(a, b);
    case SortKind::kSigned64: return CompareAs<int64_t>(a, b);
    case SortKind::kUnsigned64: return CompareAs<uint64_t>(a, b);
    case SortKind::kFloat: return CompareAs<float>(a, b);
    case SortKind::kDouble: return CompareAs<double>(a, b);
    case SortKind::kBytes: return CompareBytes(a, b);
    case SortKind::kSignedBytes: return CompareSignedBytes(a, b);
  }
  return 0;
}

void MinMax::Update(std::string_view value, SortKind kind) {
  if (IsNaN(value, kind)) return;
  if (!has) {
    min.assign(value);
    max.assign(value);
    has = true;
    return;
  }
  if (ComparePlain(value, min, kind) < 0) min.assign(value);
  if (ComparePlain(value, max, kind) > 0) max.assign(value);
}

namespace {
template <typename T>
void UpdateTyped(MinMax* out, const uint8_t* values, int64_t count, SortKind kind) {
  bool found = false;
  T lo{}, hi{};
  for (int64_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, values + i * int64_t{sizeof(T)}, sizeof(T));
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(value)) continue;
    }
    if (!found) {
      lo = hi = value;
      found = true;
    } else {
      lo = value < lo ? value : lo;
      hi = hi < value ? value : hi;
    }
  }
  if (!found) return;
  out->Update(std::string_view(reinterpret_cast<const char*>(&lo), sizeof(T)), kind);
  out->Update(std::string_view(reinterpret_cast<const char*>(&hi), sizeof(T)), kind);
}

/// Fixed-width big-endian decimals, each converted once, not twice per comparison. kWidth 16 (the
/// common width) gives the conversion a constant length; 0 takes `width`.
template <int kWidth>
void UpdateSignedBytes(MinMax* out, const uint8_t* values, int64_t count, int width) {
  if (count == 0) return;
  int64_t lo = 0, hi = 0;
  int128_t low = DecimalFromBigEndian(values, kWidth == 16 ? 16 : width), high = low;
  for (int64_t i = 1; i < count; ++i) {
    const int128_t value = DecimalFromBigEndian(values + i * width, kWidth == 16 ? 16 : width);
    if (value < low) {
      low = value;
      lo = i;
    }
    if (high < value) {
      high = value;
      hi = i;
    }
  }
  auto at = [&](int64_t i) {
    return std::string_view(reinterpret_cast<const char*>(values) + i * width,
                            static_cast<size_t>(width));
  };
  out->Update(at(lo), SortKind::kSignedBytes);
  out->Update(at(hi), SortKind::kSignedBytes);
}
}  // namespace

void MinMax::UpdateFixed(const uint8_t* values, int64_t count, int width, SortKind kind) {
  switch (kind) {
    case SortKind::kSigned32: return UpdateTyped<int32_t>(this, values, count, kind);
    case SortKind::kUnsigned32: return UpdateTyped<uint32_t>(this, values, count, kind);
    case SortKind::kSigned64: return UpdateTyped<int64_t>(this, values, count, kind);
    case SortKind::kUnsigned64: return UpdateTyped<uint64_t>(this, values, count, kind);
    case SortKind::kFloat: return UpdateTyped<float>(this, values, count, kind);
    case SortKind::kDouble: return UpdateTyped<double>(this, values, count, kind);
    case SortKind::kBool: return UpdateTyped<uint8_t>(this, values, count, kind);
    case SortKind::kSignedBytes:
      return width == 16 ? UpdateSignedBytes<16>(this, values, count, width)
                         : UpdateSignedBytes<0>(this, values, count, width);
    case SortKind::kBytes: break;
  }
  for (int64_t i = 0; i < count; ++i) {
    Update(std::string_view(reinterpret_cast<const char*>(values) + i * width,
                            static_cast<size_t>(width)),
           kind);
  }
}

void MinMax::Merge(const MinMax& other, SortKind kind) {
  if (!other.has) return;
  Update(other.min, kind);
  Update(other.max, kind);
}

}  // namespace sluice::io::parquet
