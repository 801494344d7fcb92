// Decimal rendering and byte conversions.
#include "core/decimal.h"

#include <algorithm>
#include <cstring>

namespace sluice {

std::string FormatDecimal(int128_t unscaled, int scale) {
  bool negative = unscaled < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(unscaled)
                                         : static_cast<unsigned __int128>(unscaled);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  while (static_cast<int>(digits.size()) <= scale) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  std::string text = negative ? "-" : "";
  size_t whole = digits.size() - static_cast<size_t>(scale);
  text.append(digits, 0, whole);
  if (scale > 0) text.append(".").append(digits, whole, std::string::npos);
  return text;
}

// Both conversions go through a 16-byte buffer read or written as two byte-swapped words: the
// writer converts every decimal it stores and compares them for statistics, and a loop of
// 128-bit shifts per byte there was a tenth of a spilled aggregation's time.
int128_t DecimalFromBigEndian(const uint8_t* bytes, int length) {
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

void DecimalToBigEndian(int128_t value, uint8_t* out, int length) {
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

int DecimalByteWidth(int precision) {
  // Bytes needed for 10^precision - 1 plus a sign bit.
  unsigned __int128 max = static_cast<unsigned __int128>(PowerOfTen(precision)) - 1;
  int bits = 1;
  while (max != 0) {
    max >>= 1;
    ++bits;
  }
  return (bits + 7) / 8;
}

}  // namespace sluice
