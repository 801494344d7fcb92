// Small bit-level helpers shared by the Parquet encodings: unaligned little-endian loads and
// stores, ULEB128 and zigzag varints, the bit width a value needs, and LSB-first bit unpacking
// and packing for widths 0..64 (the packing order of the RLE/bit-packed hybrid and of
// DELTA_BINARY_PACKED miniblocks). Unpack32 is the hot kernel: it turns 32 values of a fixed bit
// width into integers with a loop that the compiler fully unrolls for each width.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

namespace sluice::io::parquet {

static_assert(std::endian::native == std::endian::little,
              "sluice reads Parquet's little-endian data with plain loads");

/// Loads a T from possibly unaligned memory (memcpy compiles to a single mov).
template <typename T>
inline T LoadLE(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// Appends the little-endian bytes of a trivially copyable value.
template <typename T>
inline void AppendLE(T v, std::string* out) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

/// Number of bits needed to store v (0 for 0): the bit width of an RLE run or a miniblock.
inline int BitsRequired(uint64_t v) {
  return 64 - std::countl_zero(v);
}

/// Mask of the low `w` bits, valid for w = 0..64 (a plain shift by 64 would be undefined).
inline constexpr uint64_t LowBitsMask(int w) {
  return w >= 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1;
}

inline uint64_t ZigZagEncode64(uint64_t v) {
  return (v << 1) ^ (0 - (v >> 63));
}
inline uint64_t ZigZagDecode64(uint64_t v) {
  return (v >> 1) ^ (0 - (v & 1));
}

/// Reads one ULEB128 varint from [p, end) into *out and advances p. Returns false when the varint
/// is truncated or does not fit in 64 bits, so a corrupt stream can never make the caller run
/// past its buffer; the caller throws with its own context.
inline bool ReadUleb128(const uint8_t*& p, const uint8_t* end, uint64_t* out) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    const uint8_t byte = *p++;
    // The tenth byte may only carry the single remaining bit.
    if (shift == 63 && byte > 1) return false;
    result |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) {
      *out = result;
      return true;
    }
  }
  return false;
}

inline void AppendUleb128(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

namespace bit_internal {

/// Extracts value I of a run of 32 values packed with width W. Every index is a compile-time
/// constant, so each value becomes a load, a shift and a mask. A 64-bit load is used when it
/// stays inside the 4*W bytes of the run; the last values fall back to 32-bit words, so the
/// kernel never reads past the run.
template <typename U, int W, int I>
inline void UnpackOne(const uint8_t* in, U* out) {
  if constexpr (W == 0) {
    out[I] = 0;
  } else {
    constexpr int kBit = I * W;
    constexpr int kByte = kBit / 8;
    constexpr int kByteShift = kBit % 8;
    constexpr uint64_t kMask = LowBitsMask(W);
    uint64_t v;
    if constexpr (kByteShift + W <= 64 && kByte + 8 <= 4 * W) {
      v = LoadLE<uint64_t>(in + kByte) >> kByteShift;
    } else {
      constexpr int kWord = kBit / 32;
      constexpr int kShift = kBit % 32;
      v = uint64_t{LoadLE<uint32_t>(in + 4 * kWord)} >> kShift;
      if constexpr (kShift + W > 32) {
        v |= uint64_t{LoadLE<uint32_t>(in + 4 * kWord + 4)} << (32 - kShift);
      }
      if constexpr (kShift + W > 64) {
        v |= uint64_t{LoadLE<uint32_t>(in + 4 * kWord + 8)} << (64 - kShift);
      }
    }
    out[I] = static_cast<U>(v & kMask);
  }
}

template <typename U, int W, size_t... I>
inline void Unpack32Fixed(const uint8_t* in, U* out, std::index_sequence<I...>) {
  (UnpackOne<U, W, static_cast<int>(I)>(in, out), ...);
}

/// Unpacks `groups` runs of 32 values of width W: 4*W input bytes and 32 outputs per group.
template <typename U, int W>
void UnpackGroups(const uint8_t* in, U* out, int64_t groups) {
  for (int64_t g = 0; g < groups; ++g) {
    Unpack32Fixed<U, W>(in, out, std::make_index_sequence<32>());
    in += 4 * W;
    out += 32;
  }
}

template <typename U>
using UnpackGroupsFn = void (*)(const uint8_t*, U*, int64_t);

template <typename U, size_t... W>
constexpr std::array<UnpackGroupsFn<U>, sizeof...(W)> MakeUnpackTable(std::index_sequence<W...>) {
  return {&UnpackGroups<U, static_cast<int>(W)>...};
}

}  // namespace bit_internal

/// Unpacks groups*32 values of `bit_width` bits (0..bits of U) from exactly groups*4*bit_width
/// bytes. U is uint32_t or uint64_t. The caller has checked both the width and the input size.
template <typename U>
inline void UnpackGroupsOf32(const uint8_t* in, U* out, int bit_width, int64_t groups) {
  static_assert(std::is_same_v<U, uint32_t> || std::is_same_v<U, uint64_t>);
  static constexpr auto kTable =
      bit_internal::MakeUnpackTable<U>(std::make_index_sequence<sizeof(U) * 8 + 1>());
  kTable[bit_width](in, out, groups);
}

/// Unpacks n values of `bit_width` bits starting at value `first` of a packed run, one at a time.
/// Used for the unaligned head and tail of a request; it reads only the bytes that hold the
/// requested values, i.e. up to byte ceil((first + n) * bit_width / 8) of `in`.
template <typename T>
inline void UnpackScalar(const uint8_t* in, int bit_width, int64_t first, T* out, int64_t n) {
  if (bit_width == 0) {
    for (int64_t i = 0; i < n; ++i) out[i] = 0;
    return;
  }
  const uint64_t mask = LowBitsMask(bit_width);
  uint64_t bit = static_cast<uint64_t>(first) * static_cast<uint64_t>(bit_width);
  for (int64_t i = 0; i < n; ++i, bit += static_cast<uint64_t>(bit_width)) {
    const uint8_t* p = in + bit / 8;
    const int shift = static_cast<int>(bit % 8);
    const int bytes = (shift + bit_width + 7) / 8;  // 1..9
    uint64_t v = p[0] >> shift;
    for (int k = 1; k < bytes; ++k) v |= uint64_t{p[k]} << (8 * k - shift);
    out[i] = static_cast<T>(v & mask);
  }
}

/// Appends n values of `bit_width` bits, LSB first; the last byte is padded with zero bits.
/// Values must already fit in bit_width bits.
template <typename T>
inline void PackBits(const T* values, int64_t n, int bit_width, std::string* out) {
  if (bit_width == 0 || n == 0) return;
  uint64_t acc = 0;
  int bits = 0;  // Pending bits in acc, always < 64 between values.
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t v = static_cast<uint64_t>(values[i]);
    acc |= v << bits;
    if (bits + bit_width >= 64) {
      AppendLE(acc, out);
      const int used = 64 - bits;
      acc = used < 64 ? v >> used : 0;
      bits = bits + bit_width - 64;
    } else {
      bits += bit_width;
    }
  }
  for (; bits > 0; bits -= 8, acc >>= 8) out->push_back(static_cast<char>(acc & 0xFF));
}

}  // namespace sluice::io::parquet
