// Bit helpers for Arrow bitmaps (validity and bool values): LSB-first within each byte.
#pragma once

#include <bit>
#include <cstdint>

namespace sluice::bits {

inline bool Get(const uint8_t* bitmap, int64_t i) {
  return (bitmap[i >> 3] >> (i & 7)) & 1;
}
inline void Set(uint8_t* bitmap, int64_t i) {
  bitmap[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
}
inline void Clear(uint8_t* bitmap, int64_t i) {
  bitmap[i >> 3] &= static_cast<uint8_t>(~(1u << (i & 7)));
}
inline void SetTo(uint8_t* bitmap, int64_t i, bool value) {
  bitmap[i >> 3] =
      static_cast<uint8_t>((bitmap[i >> 3] & ~(1u << (i & 7))) | (unsigned{value} << (i & 7)));
}
inline int64_t BytesFor(int64_t bit_count) {
  return (bit_count + 7) / 8;
}

/// Counts set bits in [0, length).
int64_t CountSet(const uint8_t* bitmap, int64_t length);

/// Sets the bits [offset, offset + length): whole bytes at once.
void SetRange(uint8_t* bitmap, int64_t offset, int64_t length);

/// Copies `length` bits from src starting at src_offset to dst starting at dst_offset.
void Copy(const uint8_t* src, int64_t src_offset, uint8_t* dst, int64_t dst_offset, int64_t length);

}  // namespace sluice::bits
