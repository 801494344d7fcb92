// Encoding sort keys column by column into per-row byte strings (see sort_keys.h).
#include "exec/sort_keys.h"

#include <bit>
#include <cmath>
#include <limits>

#include "core/decimal.h"
#include "core/error.h"

namespace sluice::exec {
namespace {

int ValueWidth(const DataType& type) {
  switch (type.id) {
    case TypeId::kBool: return 1;
    case TypeId::kUtf8:
    case TypeId::kBinary: return 0;
    default: return type.FixedWidth();
  }
}

/// Writes `value` big-endian into `width` bytes.
inline void StoreBigEndian(uint8_t* dst, uint64_t value, int width) {
  for (int b = width - 1; b >= 0; --b) {
    dst[b] = static_cast<uint8_t>(value);
    value >>= 8;
  }
}

template <typename T>
uint64_t OrderedBits(T value) {
  if constexpr (std::is_same_v<T, double>) {
    if (value == 0.0) value = 0.0;  // -0.0 sorts with 0.0.
    if (std::isnan(value)) value = std::numeric_limits<double>::quiet_NaN();
    const uint64_t bits = std::bit_cast<uint64_t>(value);
    return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
  } else if constexpr (std::is_same_v<T, float>) {
    if (value == 0.0f) value = 0.0f;
    if (std::isnan(value)) value = std::numeric_limits<float>::quiet_NaN();
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    return (bits >> 31) ? uint32_t{~bits} : (bits | (uint32_t{1} << 31));
  } else if constexpr (std::is_signed_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<U>(static_cast<U>(value) ^ (U{1} << (sizeof(T) * 8 - 1)));
  } else {
    return static_cast<uint64_t>(value);
  }
}

/// Writes the value bytes of every row of a fixed-width column at dst + row * stride.
template <typename T>
void PutOrdered(const Column& column, uint8_t* dst, int64_t stride, uint64_t invert) {
  const T* values = column.Values<T>();
  for (int64_t i = 0; i < column.length; ++i) {
    StoreBigEndian(dst + i * stride, OrderedBits<T>(values[i]) ^ invert, sizeof(T));
  }
}

void PutFixed(const Column& column, uint8_t* dst, int64_t stride, bool descending) {
  const uint64_t invert = descending ? ~uint64_t{0} : 0;
  switch (column.type.id) {
    case TypeId::kBool:
      for (int64_t i = 0; i < column.length; ++i) {
        dst[i * stride] = static_cast<uint8_t>((column.BoolAt(i) ? 1 : 0) ^ (invert & 0xff));
      }
      return;
    case TypeId::kInt8: PutOrdered<int8_t>(column, dst, stride, invert); return;
    case TypeId::kInt16: PutOrdered<int16_t>(column, dst, stride, invert); return;
    case TypeId::kInt32:
    case TypeId::kDate32: PutOrdered<int32_t>(column, dst, stride, invert); return;
    case TypeId::kInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: PutOrdered<int64_t>(column, dst, stride, invert); return;
    case TypeId::kUInt8: PutOrdered<uint8_t>(column, dst, stride, invert); return;
    case TypeId::kUInt16: PutOrdered<uint16_t>(column, dst, stride, invert); return;
    case TypeId::kUInt32: PutOrdered<uint32_t>(column, dst, stride, invert); return;
    case TypeId::kUInt64: PutOrdered<uint64_t>(column, dst, stride, invert); return;
    case TypeId::kFloat32: PutOrdered<float>(column, dst, stride, invert); return;
    case TypeId::kFloat64: PutOrdered<double>(column, dst, stride, invert); return;
    case TypeId::kDecimal: {
      const uint8_t* values = column.values->data();
      for (int64_t i = 0; i < column.length; ++i) {
        int128_t value;
        std::memcpy(&value, values + i * 16, 16);
        const auto bits = static_cast<unsigned __int128>(value);
        const uint64_t high = static_cast<uint64_t>(bits >> 64) ^ (uint64_t{1} << 63);
        StoreBigEndian(dst + i * stride, high ^ invert, 8);
        StoreBigEndian(dst + i * stride + 8, static_cast<uint64_t>(bits) ^ invert, 8);
      }
      return;
    }
    default: {  // uuid, fixed-size binary: bytes in memcmp order already.
      const int width = column.type.FixedWidth();
      const uint8_t* values = column.values->data();
      for (int64_t i = 0; i < column.length; ++i) {
        for (int b = 0; b < width; ++b) {
          dst[i * stride + b] = static_cast<uint8_t>(values[i * width + b] ^ (invert & 0xff));
        }
      }
      return;
    }
  }
}

/// Bytes of an escaped string: 0x00 becomes 0x00 0xff, and 0x00 0x00 terminates.
inline uint64_t EscapedLength(const uint8_t* data, int64_t length) {
  uint64_t zeros = 0;
  for (int64_t b = 0; b < length; ++b) zeros += data[b] == 0;
  return static_cast<uint64_t>(length) + zeros + 2;
}

inline uint8_t* PutEscaped(uint8_t* dst, const uint8_t* data, int64_t length, uint8_t invert) {
  for (int64_t b = 0; b < length; ++b) {
    const uint8_t byte = data[b];
    *dst++ = byte ^ invert;
    if (byte == 0) *dst++ = 0xff ^ invert;
  }
  *dst++ = invert;
  *dst++ = invert;
  return dst;
}

}  // namespace

SortKeyBlock SortKeyBlock::Take(std::span<const uint32_t> rows) const {
  SortKeyBlock out;
  out.width = width;
  out.rows = static_cast<int64_t>(rows.size());
  if (width > 0) {
    out.bytes.resize(rows.size() * static_cast<size_t>(width) + kSlack);
    for (size_t i = 0; i < rows.size(); ++i) {
      std::memcpy(out.bytes.data() + i * width, bytes.data() + int64_t{rows[i]} * width,
                  static_cast<size_t>(width));
    }
    return out;
  }
  out.offsets.resize(rows.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.offsets[i] = total;
    total += offsets[rows[i] + 1] - offsets[rows[i]];
  }
  out.offsets[rows.size()] = total;
  out.bytes.resize(total + kSlack);
  for (size_t i = 0; i < rows.size(); ++i) {
    const uint64_t begin = offsets[rows[i]];
    std::memcpy(out.bytes.data() + out.offsets[i], bytes.data() + begin,
                offsets[rows[i] + 1] - begin);
  }
  return out;
}

SortKeyEncoder::SortKeyEncoder(std::vector<SortKeyOrder> keys) : keys_(std::move(keys)) {
  bool fixed = true;
  int total = 0;
  for (const SortKeyOrder& key : keys_) {
    if (key.type.id == TypeId::kFixedSizeBinary && key.type.byte_width <= 0) {
      ThrowInvalid("cannot sort by a column of type {}", key.type.ToString());
    }
    const int width = ValueWidth(key.type);
    widths_.push_back(width);
    if (width == 0) fixed = false;
    total += 1 + width;
  }
  fixed_width_ = fixed ? total : 0;
}

SortKeyBlock SortKeyEncoder::Encode(std::span<const Column> columns) const {
  SLUICE_CHECK(columns.size() == keys_.size() && !columns.empty());
  const int64_t n = columns[0].length;
  SortKeyBlock block;
  block.rows = n;
  block.width = fixed_width_;

  // Where each row starts, and (for variable rows) a cursor that advances key by key.
  std::vector<uint64_t> cursors;
  if (fixed_width_ > 0) {
    block.bytes.assign(static_cast<size_t>(n * fixed_width_) + SortKeyBlock::kSlack, 0);
  } else {
    uint64_t fixed = 0;
    for (int width : widths_) fixed += 1 + static_cast<uint64_t>(width);
    cursors.assign(static_cast<size_t>(n), fixed);
    for (size_t k = 0; k < keys_.size(); ++k) {
      if (widths_[k] != 0) continue;
      const Column& column = columns[k];
      const int64_t* offsets = column.Offsets();
      const uint8_t* data = column.data ? column.data->data() : nullptr;
      for (int64_t i = 0; i < n; ++i) {
        cursors[i] +=
            column.IsValid(i) ? EscapedLength(data + offsets[i], offsets[i + 1] - offsets[i]) : 2;
      }
    }
    block.offsets.resize(static_cast<size_t>(n + 1));
    uint64_t total = 0;
    for (int64_t i = 0; i < n; ++i) {
      block.offsets[i] = total;
      total += cursors[i];
      cursors[i] = block.offsets[i];
    }
    block.offsets[n] = total;
    block.bytes.assign(total + SortKeyBlock::kSlack, 0);
  }

  uint8_t* base = block.bytes.data();
  int64_t fixed_offset = 0;  // Position of the current key within a fixed-width row.
  for (size_t k = 0; k < keys_.size(); ++k) {
    const Column& column = columns[k];
    const SortKeyOrder& order = keys_[k];
    const uint8_t valid_byte = order.nulls_last ? 0 : 1;
    const uint8_t null_byte = order.nulls_last ? 1 : 0;
    const bool has_nulls = column.null_count > 0 && column.validity != nullptr;
    if (fixed_width_ > 0) {
      const int64_t stride = fixed_width_;
      PutFixed(column, base + fixed_offset + 1, stride, order.descending);
      for (int64_t i = 0; i < n; ++i) {
        uint8_t* row = base + i * stride + fixed_offset;
        if (!has_nulls || column.IsValid(i)) {
          row[0] = valid_byte;
        } else {
          row[0] = null_byte;  // Value bytes of a null are zeroed: nulls tie.
          std::memset(row + 1, 0, static_cast<size_t>(widths_[k]));
        }
      }
      fixed_offset += 1 + widths_[k];
      continue;
    }
    // Variable-width rows: write this key at each row's cursor.
    const uint8_t invert = order.descending ? 0xff : 0;
    if (widths_[k] == 0) {
      const int64_t* offsets = column.Offsets();
      const uint8_t* data = column.data ? column.data->data() : nullptr;
      for (int64_t i = 0; i < n; ++i) {
        uint8_t* dst = base + cursors[i];
        if (has_nulls && !column.IsValid(i)) {
          dst[0] = null_byte;
          dst[1] = 0;
          cursors[i] += 2;
          continue;
        }
        dst[0] = valid_byte;
        uint8_t* end = PutEscaped(dst + 1, data + offsets[i], offsets[i + 1] - offsets[i], invert);
        cursors[i] = static_cast<uint64_t>(end - base);
      }
      continue;
    }
    // A fixed-width key inside variable rows: encode into a scratch block, then copy.
    const int width = widths_[k];
    std::vector<uint8_t> scratch(static_cast<size_t>(n * width));
    PutFixed(column, scratch.data(), width, order.descending);
    for (int64_t i = 0; i < n; ++i) {
      uint8_t* dst = base + cursors[i];
      if (has_nulls && !column.IsValid(i)) {
        dst[0] = null_byte;
        std::memset(dst + 1, 0, static_cast<size_t>(width));
      } else {
        dst[0] = valid_byte;
        std::memcpy(dst + 1, scratch.data() + i * width, static_cast<size_t>(width));
      }
      cursors[i] += 1 + static_cast<uint64_t>(width);
    }
  }
  return block;
}

}  // namespace sluice::exec
