// Normalized sort keys: every row's sort keys encoded into one byte string such that comparing
// two rows is a plain memcmp (DuckDB's and Velox's approach). Per key: one byte placing nulls
// first or last, then the value in big-endian order-preserving form (sign bit flipped for
// signed integers; floats mapped so that -inf < ... < -0.0 = 0.0 < ... < +inf < NaN, as DuckDB
// and Polars order them; strings escaped and terminated so that no key is a prefix of another),
// with the value bytes inverted for a descending key. When every key has a fixed width the
// encoding has a fixed width too, and short encodings are sorted as integers.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "core/column.h"

namespace sluice::exec {

using U128 = unsigned __int128;

/// Encoded keys of a set of rows. `bytes` always ends with kSlack spare bytes, so that the first
/// 16 bytes of any key can be loaded with two fixed-size reads.
struct SortKeyBlock {
  static constexpr size_t kSlack = 16;

  int width = 0;  ///< Bytes per row when fixed; 0 when rows vary (then `offsets` is used).
  int64_t rows = 0;
  std::vector<uint8_t> bytes;
  std::vector<uint64_t> offsets;  ///< rows + 1 entries when width == 0.

  std::string_view Key(int64_t i) const {
    if (width > 0) {
      return {reinterpret_cast<const char*>(bytes.data()) + i * width, static_cast<size_t>(width)};
    }
    return {reinterpret_cast<const char*>(bytes.data()) + offsets[i],
            static_cast<size_t>(offsets[i + 1] - offsets[i])};
  }
  int64_t MemoryBytes() const {
    return static_cast<int64_t>(bytes.capacity() + offsets.capacity() * sizeof(uint64_t));
  }
  /// A block of the same shape holding rows `rows` of this one, in that order.
  SortKeyBlock Take(std::span<const uint32_t> rows) const;
};

/// The first 16 bytes of a key (zero-padded when shorter) as an integer of the same order: keys
/// with different prefixes compare as their prefixes do; equal prefixes need a full comparison
/// only when a key is longer than 16 bytes. `key` must have 16 readable bytes.
inline U128 KeyPrefix(const uint8_t* key, size_t length) {
  uint64_t high;
  uint64_t low;
  std::memcpy(&high, key, 8);
  std::memcpy(&low, key + 8, 8);
  U128 value = (static_cast<U128>(__builtin_bswap64(high)) << 64) | __builtin_bswap64(low);
  if (length >= 16) return value;
  if (length == 0) return 0;
  return value & (~U128{0} << (8 * (16 - length)));
}
inline U128 KeyPrefix(std::string_view key) {
  return KeyPrefix(reinterpret_cast<const uint8_t*>(key.data()), key.size());
}

/// Compares encoded keys: negative, zero or positive.
inline int CompareKeys(std::string_view a, std::string_view b) {
  const size_t common = a.size() < b.size() ? a.size() : b.size();
  const int c = common == 0 ? 0 : std::memcmp(a.data(), b.data(), common);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

struct SortKeyOrder {
  DataType type;
  bool descending = false;
  bool nulls_last = true;
};

class SortKeyEncoder {
 public:
  /// Throws invalid input for a type that has no order.
  explicit SortKeyEncoder(std::vector<SortKeyOrder> keys);

  /// Encodes one column per key (all of the same length).
  SortKeyBlock Encode(std::span<const Column> columns) const;
  /// Bytes per row, or 0 when a key has a variable width.
  int fixed_width() const { return fixed_width_; }

 private:
  std::vector<SortKeyOrder> keys_;
  std::vector<int> widths_;  ///< Value bytes per key; 0 for strings.
  int fixed_width_ = 0;
};

}  // namespace sluice::exec
