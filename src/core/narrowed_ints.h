// Narrowed integer arrays, the compact form of the integers sluice writes to its spill files:
// each value is stored as its difference from the array's smallest value, in the fewest bytes
// that hold the largest difference (1 to 8, or 16 for 16-byte values). Keys, row numbers,
// counts and sums mostly need 1 to 4 bytes although sluice holds them in 8 or 16, so the
// compressor and the disk get a half to an eighth of the bytes. A byte per value at least keeps
// it simple and bounds what a garbled count can make a reader allocate; LZ4 squeezes a run of
// equal bytes anyway.
//
// Values of 8 bytes whose halves vary separately, like row positions (morsel << 32 | row), may
// instead be stored split: the high halves narrowed, then the low halves narrowed, which takes
// 3 to 5 bytes a position where the whole values need 8.
//
// Form: a width byte (w for whole values; 0x80 | high width << 3 | low width for split ones),
// the base (sizeof(T) bytes: the smallest value; split: the smallest high and low halves), then
// the differences, little-endian, all high halves before all low ones. The count is the
// caller's to know. Other types (floating point, bytes) are copied as they are, so a caller can
// narrow "whatever T is" without asking.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include "core/decimal.h"

namespace sluice::narrowed {

static_assert(std::endian::native == std::endian::little,
              "a difference is stored as the low bytes of its integer");

/// Whether T is stored narrowed (integers of 4, 8 and 16 bytes); others are copied.
template <typename T>
constexpr bool kNarrows = (std::is_integral_v<T> && sizeof(T) >= 4) || std::is_same_v<T, int128_t>;

namespace detail {

template <typename T>
struct UnsignedOfT {
  using type = std::make_unsigned_t<T>;
};
template <>
struct UnsignedOfT<int128_t> {
  using type = unsigned __int128;
};
template <typename T>
using UnsignedOf = typename UnsignedOfT<T>::type;

constexpr uint8_t kSplit = 0x80;

/// The bytes needed for differences up to `span`: 1 to 8, or all 16.
template <typename U>
int WidthOf(U span) {
  int width = 1;
  while (width < 8 && (span >> (8 * width - 1) >> 1) != 0) ++width;
  if constexpr (sizeof(U) > 8) {
    if ((span >> 63 >> 1) != 0) return 16;
  }
  return width;
}

/// Calls f(std::integral_constant<int, W>{}) for W = `width` (1 to 8, or 16).
template <typename F>
void WithWidth(int width, F&& f) {
  switch (width) {
    case 1: return f(std::integral_constant<int, 1>{});
    case 2: return f(std::integral_constant<int, 2>{});
    case 3: return f(std::integral_constant<int, 3>{});
    case 4: return f(std::integral_constant<int, 4>{});
    case 5: return f(std::integral_constant<int, 5>{});
    case 6: return f(std::integral_constant<int, 6>{});
    case 7: return f(std::integral_constant<int, 7>{});
    case 8: return f(std::integral_constant<int, 8>{});
    default: return f(std::integral_constant<int, 16>{});
  }
}

/// The values of `count` differences of W bytes (3, 5, 6, 7) whose 8-byte access at i * W stays
/// within the count * W bytes: the others take a copy of exactly W bytes, which compiles to
/// several loads or stores.
template <int W>
int64_t WholeWordCount(int64_t count) {
  return count * W >= 8 ? (count * W - 8) / W + 1 : 0;
}
template <int W>
constexpr bool kOddWidth = W == 3 || W == 5 || W == 6 || W == 7;

/// Writes get(i) - base for i in [0, count) in `width` bytes each, from `to`.
template <typename U, typename Get>
void PutDifferences(int width, int64_t count, U base, Get&& get, uint8_t* to) {
  WithWidth(width, [&](auto w) {
    constexpr int W = decltype(w)::value;
    if constexpr (W <= sizeof(U)) {
      int64_t i = 0;
      if constexpr (kOddWidth<W>) {
        // Whole words, each running into the next value's bytes, which its own write replaces.
        for (const int64_t whole = WholeWordCount<W>(count); i < whole; ++i) {
          const auto difference = static_cast<uint64_t>(static_cast<U>(get(i) - base));
          std::memcpy(to + i * W, &difference, 8);
        }
      }
      // Differences of up to 8 bytes pass through a 64-bit register, even for 16-byte values:
      // a 16-byte variable would go through memory, and reading it whole after writing part of
      // it stalls the load.
      using D = std::conditional_t<W <= 8, uint64_t, U>;
      for (; i < count; ++i) {
        const D difference = static_cast<D>(static_cast<U>(get(i) - base));
        std::memcpy(to + i * W, &difference, W);
      }
    }
  });
}

/// Calls put(i, base + difference i) for the `count` differences of `width` bytes at `from`.
template <typename U, typename Put>
void GetDifferences(int width, int64_t count, U base, const uint8_t* from, Put&& put) {
  WithWidth(width, [&](auto w) {
    constexpr int W = decltype(w)::value;
    if constexpr (W <= sizeof(U)) {
      int64_t i = 0;
      if constexpr (kOddWidth<W>) {
        constexpr uint64_t kMask = (uint64_t{1} << (8 * W)) - 1;
        for (const int64_t whole = WholeWordCount<W>(count); i < whole; ++i) {
          uint64_t word;
          std::memcpy(&word, from + i * W, 8);
          put(i, static_cast<U>(base + (word & kMask)));
        }
      }
      using D = std::conditional_t<W <= 8, uint64_t, U>;  // As in PutDifferences.
      for (; i < count; ++i) {
        D difference = 0;
        std::memcpy(&difference, from + i * W, W);
        put(i, static_cast<U>(base + static_cast<U>(difference)));
      }
    }
  });
}

/// The smallest and largest of get(0..count) (count > 0).
template <typename T, typename Get>
void Bounds(int64_t count, Get&& get, T* lo, T* hi) {
  *lo = *hi = get(0);
  for (int64_t i = 1; i < count; ++i) {
    const T value = get(i);
    *lo = value < *lo ? value : *lo;
    *hi = *hi < value ? value : *hi;
  }
}

}  // namespace detail

/// Appends get(0), ..., get(count - 1) (each a T) to `out`. `get` is called up to four times
/// per value.
template <typename T, typename Get>
void Append(int64_t count, Get&& get, std::vector<uint8_t>* out) {
  static_assert(std::is_trivially_copyable_v<T>);
  if constexpr (!kNarrows<T>) {
    const size_t at = out->size();
    out->resize(at + static_cast<size_t>(count) * sizeof(T));
    for (int64_t i = 0; i < count; ++i) {
      const T value = get(i);
      std::memcpy(out->data() + at + static_cast<size_t>(i) * sizeof(T), &value, sizeof(T));
    }
  } else {
    // Differences wrap in the unsigned type, so any bit pattern round-trips.
    using U = detail::UnsignedOf<T>;
    T lo{}, hi{};
    if (count > 0) detail::Bounds<T>(count, get, &lo, &hi);
    const int width = detail::WidthOf<U>(static_cast<U>(static_cast<U>(hi) - static_cast<U>(lo)));
    if constexpr (sizeof(T) == 8) {
      if (width > 4 && count > 0) {  // Spans past 32 bits: perhaps positions.
        auto high = [&](int64_t i) { return static_cast<uint32_t>(static_cast<U>(get(i)) >> 32); };
        auto low = [&](int64_t i) { return static_cast<uint32_t>(get(i)); };
        uint32_t high_lo, high_hi, low_lo, low_hi;
        detail::Bounds<uint32_t>(count, high, &high_lo, &high_hi);
        detail::Bounds<uint32_t>(count, low, &low_lo, &low_hi);
        const int high_width = detail::WidthOf<uint32_t>(high_hi - high_lo);
        const int low_width = detail::WidthOf<uint32_t>(low_hi - low_lo);
        if (high_width + low_width < width) {
          const size_t at = out->size();
          out->resize(at + 9 + static_cast<size_t>(count * (high_width + low_width)));
          uint8_t* to = out->data() + at;
          to[0] = static_cast<uint8_t>(detail::kSplit | high_width << 3 | low_width);
          std::memcpy(to + 1, &high_lo, 4);
          std::memcpy(to + 5, &low_lo, 4);
          detail::PutDifferences<uint32_t>(high_width, count, high_lo, high, to + 9);
          detail::PutDifferences<uint32_t>(low_width, count, low_lo, low,
                                           to + 9 + count * high_width);
          return;
        }
      }
    }
    const size_t at = out->size();
    out->resize(at + 1 + sizeof(T) + static_cast<size_t>(count * width));
    uint8_t* to = out->data() + at;
    to[0] = static_cast<uint8_t>(width);
    std::memcpy(to + 1, &lo, sizeof(T));
    detail::PutDifferences<U>(
        width, count, static_cast<U>(lo), [&](int64_t i) { return static_cast<U>(get(i)); },
        to + 1 + sizeof(T));
  }
}

/// Appends values[0..count).
template <typename T>
void Append(const T* values, int64_t count, std::vector<uint8_t>* out) {
  Append<T>(
      count, [values](int64_t i) { return values[i]; }, out);
}

/// Reads `count` values (count >= 0) that Append wrote from the front of `bytes` into
/// out[0..count). Returns the bytes read, or -1 when `bytes` do not hold such values (an unknown
/// width, or fewer bytes than the values need): the caller reports the damage.
template <typename T>
int64_t Read(std::span<const uint8_t> bytes, int64_t count, T* out) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (count < 0) return -1;
  if constexpr (!kNarrows<T>) {
    const size_t size = static_cast<size_t>(count) * sizeof(T);
    if (static_cast<uint64_t>(count) > bytes.size() / sizeof(T)) return -1;
    if (size > 0) std::memcpy(out, bytes.data(), size);
    return static_cast<int64_t>(size);
  } else {
    using U = detail::UnsignedOf<T>;
    if (bytes.empty()) return -1;
    const int code = bytes[0];
    auto fits = [&](size_t header, int per_value) {
      return bytes.size() >= header &&
             static_cast<uint64_t>(count) <= (bytes.size() - header) / per_value;
    };
    if constexpr (sizeof(T) == 8) {
      if ((code & detail::kSplit) != 0) {
        const int high_width = code >> 3 & 7;
        const int low_width = code & 7;
        if (high_width < 1 || high_width > 4 || low_width < 1 || low_width > 4 ||
            !fits(9, high_width + low_width))
          return -1;
        uint32_t high_lo, low_lo;
        std::memcpy(&high_lo, bytes.data() + 1, 4);
        std::memcpy(&low_lo, bytes.data() + 5, 4);
        const uint8_t* from = bytes.data() + 9;
        detail::GetDifferences<uint32_t>(high_width, count, high_lo, from,
                                         [&](int64_t i, uint32_t h) {
                                           const U value = static_cast<U>(h) << 32;
                                           std::memcpy(&out[i], &value, sizeof(T));
                                         });
        detail::GetDifferences<uint32_t>(low_width, count, low_lo, from + count * high_width,
                                         [&](int64_t i, uint32_t l) {
                                           U value;
                                           std::memcpy(&value, &out[i], sizeof(T));
                                           value |= l;
                                           std::memcpy(&out[i], &value, sizeof(T));
                                         });
        return 9 + count * (high_width + low_width);
      }
    }
    const int width = code;
    if (width < 1 || (width > 8 && width != 16) || width > static_cast<int>(sizeof(T)) ||
        !fits(1 + sizeof(T), width))
      return -1;
    U base;
    std::memcpy(&base, bytes.data() + 1, sizeof(T));
    detail::GetDifferences<U>(width, count, base, bytes.data() + 1 + sizeof(T),
                              [&](int64_t i, U value) { std::memcpy(&out[i], &value, sizeof(T)); });
    return int64_t{1 + sizeof(T)} + count * width;
  }
}

}  // namespace sluice::narrowed
