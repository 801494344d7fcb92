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
