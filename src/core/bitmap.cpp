// Population count and bit-range copy over Arrow bitmaps.
#include "core/bitmap.h"

#include <cstring>

namespace sluice::bits {

int64_t CountSet(const uint8_t* bitmap, int64_t length) {
  int64_t count = 0;
  int64_t whole_words = length / 64;
  for (int64_t w = 0; w < whole_words; ++w) {
    uint64_t word;
    std::memcpy(&word, bitmap + w * 8, 8);
    count += std::popcount(word);
  }
  for (int64_t i = whole_words * 64; i < length; ++i) count += Get(bitmap, i);
  return count;
}

void SetRange(uint8_t* bitmap, int64_t offset, int64_t length) {
  int64_t i = offset;
  const int64_t end = offset + length;
  for (; i < end && (i & 7) != 0; ++i) Set(bitmap, i);
  const int64_t whole = (end - i) / 8;
  if (whole > 0) std::memset(bitmap + i / 8, 0xff, static_cast<size_t>(whole));
  for (i += whole * 8; i < end; ++i) Set(bitmap, i);
}

void Copy(const uint8_t* src, int64_t src_offset, uint8_t* dst, int64_t dst_offset,
          int64_t length) {
  if ((src_offset & 7) == 0 && (dst_offset & 7) == 0) {
    int64_t whole = length / 8;
    if (whole > 0)
      std::memcpy(dst + dst_offset / 8, src + src_offset / 8, static_cast<size_t>(whole));
    for (int64_t i = whole * 8; i < length; ++i)
      SetTo(dst, dst_offset + i, Get(src, src_offset + i));
    return;
  }
  for (int64_t i = 0; i < length; ++i) SetTo(dst, dst_offset + i, Get(src, src_offset + i));
}

}  // namespace sluice::bits
