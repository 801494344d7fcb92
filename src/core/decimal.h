// 128-bit decimal values (Arrow decimal128): rendering with a scale, and conversion from the
// big-endian two's-complement bytes Parquet stores them in.
#pragma once

#include <cstdint>
#include <string>

namespace sluice {

using int128_t = __int128;

/// Renders an unscaled value with `scale` digits after the point: (12345, 2) -> "123.45".
std::string FormatDecimal(int128_t unscaled, int scale);
/// Reads a big-endian two's-complement integer of 1..16 bytes, sign-extending.
int128_t DecimalFromBigEndian(const uint8_t* bytes, int length);
/// Writes the low `length` bytes of `value` big-endian.
void DecimalToBigEndian(int128_t value, uint8_t* out, int length);
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

}  // namespace sluice
