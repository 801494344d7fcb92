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
/// 10^digits for digits 0..38.
int128_t PowerOfTen(int digits);

}  // namespace sluice
