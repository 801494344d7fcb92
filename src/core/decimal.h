// 128-bit decimal values (Arrow decimal128): rendering with a scale, and conversion from the
// big-endian two's-complement bytes Parquet stores them in.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace sluice {

using int128_t = __int128;

/// Renders an unscaled value with `scale` digits after the point: (12345, 2) -> "123.45".
std::string FormatDecimal(int128_t unscaled, int scale);
/// Reads a big-endian two's-complement integer of 1..16 bytes, sign-extending.
inline int128_t DecimalFromBigEndian(const uint8_t* bytes, int length);
/// Writes the low `length` bytes of `value` big-endian.
inline void DecimalToBigEndian(int128_t value, uint8_t* out, int length);
/// Smallest number of bytes that hold every unscaled value of `precision` digits, sign included.
int DecimalByteWidth(int precision);
namespace internal {
/// 10^0 .. 10^38: a table, because kernels ask for powers of ten per value (rescaling, the
/// precision check) and a loop of 128-bit multiplications there cost a fifth of TPC-H Q1.
inline constexpr auto kPowersOfTen = [] {
  struct Table {
    int128_t values[39];
  } table{};
  table.values[0] = 1;
  for (int i = 1; i <= 38; ++i) table.values[i] = table.values[i - 1] * 10;
  return table;
}();
}  // namespace internal

/// 10^digits for digits 0..38 (1 for fewer; for more, 10^38 times the rest, which overflows:
/// callers check the range first).
inline int128_t PowerOfTen(int digits) {
  if (digits <= 0) return 1;
  if (digits <= 38) return internal::kPowersOfTen.values[digits];
  int128_t value = internal::kPowersOfTen.values[38];
  for (int i = 38; i < digits; ++i) value *= 10;
  return value;
}

// Both conversions are inline and read or write two byte-swapped words: Parquet's readers and
// writers convert every wide decimal they store and compare them for statistics, and a call per
// value (let alone a loop of 128-bit shifts per byte) was most of the time a wide decimal column
// took to write. With a constant length of 16, the common width, the buffer goes away.
inline int128_t DecimalFromBigEndian(const uint8_t* bytes, int length) {
  if (length <= 0) return 0;
  if (length > 16) {  // Only the low 16 bytes fit.
    bytes += length - 16;
    length = 16;
  }
  uint8_t buffer[16] = {};
  std::memcpy(buffer + 16 - length, bytes, static_cast<size_t>(length));
  uint64_t high, low;
  std::memcpy(&high, buffer, 8);
  std::memcpy(&low, buffer + 8, 8);
  const unsigned __int128 value =
      (static_cast<unsigned __int128>(__builtin_bswap64(high)) << 64) | __builtin_bswap64(low);
  // Sign-extend from the first byte given.
  const int shift = 8 * (16 - length);
  return static_cast<int128_t>(value << shift) >> shift;
}

inline void DecimalToBigEndian(int128_t value, uint8_t* out, int length) {
  if (length <= 0) return;
  if (length > 16) {
    std::memset(out, value < 0 ? 0xff : 0, static_cast<size_t>(length - 16));
    out += length - 16;
    length = 16;
  }
  const auto bits = static_cast<unsigned __int128>(value);
  const uint64_t high = __builtin_bswap64(static_cast<uint64_t>(bits >> 64));
  const uint64_t low = __builtin_bswap64(static_cast<uint64_t>(bits));
  uint8_t buffer[16];
  std::memcpy(buffer, &high, 8);
  std::memcpy(buffer + 8, &low, 8);
  std::memcpy(out, buffer + 16 - length, static_cast<size_t>(length));
}

}  // namespace sluice
