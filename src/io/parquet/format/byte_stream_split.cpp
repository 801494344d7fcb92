// BYTE_STREAM_SPLIT decoding and encoding. Decoding is a byte transpose: for widths 4 and 8 it
// interleaves 16 values at a time with SSE2 unpack instructions (x86-64 always has SSE2), the
// other widths and the tails use a scalar loop that the compiler specializes for 4 and 8.
#include "io/parquet/format/byte_stream_split.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice::io::parquet {
namespace {

/// Gathers values [begin, end) from `width` streams of `stride` bytes each.
template <int kWidth>
void GatherScalar(const uint8_t* streams, int64_t stride, int width, int64_t begin, int64_t end,
                  uint8_t* out) {
  const int w = kWidth > 0 ? kWidth : width;
  for (int k = 0; k < w; ++k) {
    const uint8_t* s = streams + k * stride;
    for (int64_t i = begin; i < end; ++i) out[(i - begin) * w + k] = s[i];
  }
}

#if defined(__SSE2__)
/// Decodes values of width 4 from [begin, end) in blocks of 16; returns the first value left
/// for the scalar tail.
int64_t Gather4Sse2(const uint8_t* streams, int64_t stride, int64_t begin, int64_t end,
                    uint8_t* out) {
  const uint8_t* s0 = streams;
  const uint8_t* s1 = streams + stride;
  const uint8_t* s2 = streams + 2 * stride;
  const uint8_t* s3 = streams + 3 * stride;
  int64_t i = begin;
  for (; i + 16 <= end; i += 16, out += 64) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s0 + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s1 + i));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s2 + i));
    const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s3 + i));
    const __m128i ab_lo = _mm_unpacklo_epi8(a, b);
    const __m128i ab_hi = _mm_unpackhi_epi8(a, b);
    const __m128i cd_lo = _mm_unpacklo_epi8(c, d);
    const __m128i cd_hi = _mm_unpackhi_epi8(c, d);
    auto* o = reinterpret_cast<__m128i*>(out);
    _mm_storeu_si128(o + 0, _mm_unpacklo_epi16(ab_lo, cd_lo));
    _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(ab_lo, cd_lo));
    _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(ab_hi, cd_hi));
    _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(ab_hi, cd_hi));
  }
  return i;
}

/// As Gather4Sse2 for width 8: two 4-byte halves interleaved again at 32-bit granularity.
int64_t Gather8Sse2(const uint8_t* streams, int64_t stride, int64_t begin, int64_t end,
                    uint8_t* out) {
  int64_t i = begin;
  for (; i + 16 <= end; i += 16, out += 128) {
    __m128i s[8];
    for (int k = 0; k < 8; ++k) {
      s[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(streams + k * stride + i));
    }
    __m128i lo[4], hi[4];  // Bytes 0-3 and 4-7 of values 0-3, 4-7, 8-11, 12-15.
    for (int half = 0; half < 2; ++half) {
      const __m128i* q = s + 4 * half;
      const __m128i ab_lo = _mm_unpacklo_epi8(q[0], q[1]);
      const __m128i ab_hi = _mm_unpackhi_epi8(q[0], q[1]);
      const __m128i cd_lo = _mm_unpacklo_epi8(q[2], q[3]);
      const __m128i cd_hi = _mm_unpackhi_epi8(q[2], q[3]);
      __m128i* r = half == 0 ? lo : hi;
      r[0] = _mm_unpacklo_epi16(ab_lo, cd_lo);
      r[1] = _mm_unpackhi_epi16(ab_lo, cd_lo);
      r[2] = _mm_unpacklo_epi16(ab_hi, cd_hi);
      r[3] = _mm_unpackhi_epi16(ab_hi, cd_hi);
    }
    auto* o = reinterpret_cast<__m128i*>(out);
    for (int g = 0; g < 4; ++g) {
      _mm_storeu_si128(o + 2 * g, _mm_unpacklo_epi32(lo[g], hi[g]));
      _mm_storeu_si128(o + 2 * g + 1, _mm_unpackhi_epi32(lo[g], hi[g]));
    }
  }
  return i;
}
#endif

template <int kWidth>
void ScatterScalar(const uint8_t* values, int64_t n, int width, uint8_t* out) {
  const int w = kWidth > 0 ? kWidth : width;
  for (int k = 0; k < w; ++k) {
    uint8_t* s = out + k * n;
    for (int64_t i = 0; i < n; ++i) s[i] = values[i * w + k];
  }
}

}  // namespace

ByteStreamSplitDecoder::ByteStreamSplitDecoder(const uint8_t* data, size_t size, int width)
    : data_(data), width_(width) {
  if (width <= 0) ThrowInvalid("BYTE_STREAM_SPLIT width {} is not positive", width);
  if (size % static_cast<size_t>(width) != 0) {
    ThrowInvalid("BYTE_STREAM_SPLIT data of {} bytes is not a multiple of the {}-byte width", size,
                 width);
  }
  num_values_ = static_cast<int64_t>(size / static_cast<size_t>(width));
}

int64_t ByteStreamSplitDecoder::Decode(uint8_t* out, int64_t n) {
  n = std::max<int64_t>(0, std::min(n, num_values_ - index_));
  const int64_t begin = index_;
  const int64_t end = index_ + n;
  int64_t i = begin;
  switch (width_) {
    case 4:
#if defined(__SSE2__)
      i = Gather4Sse2(data_, num_values_, begin, end, out);
#endif
      GatherScalar<4>(data_, num_values_, 4, i, end, out + (i - begin) * 4);
      break;
    case 8:
#if defined(__SSE2__)
      i = Gather8Sse2(data_, num_values_, begin, end, out);
#endif
      GatherScalar<8>(data_, num_values_, 8, i, end, out + (i - begin) * 8);
      break;
    default: GatherScalar<0>(data_, num_values_, width_, begin, end, out);
  }
  index_ = end;
  return n;
}

void ByteStreamSplitEncode(const uint8_t* values, int64_t n, int width, std::string* out) {
  if (width <= 0) ThrowInternal("BYTE_STREAM_SPLIT width {} is not positive", width);
  const size_t offset = out->size();
  out->resize(offset + static_cast<size_t>(n) * static_cast<size_t>(width));
  auto* dst = reinterpret_cast<uint8_t*>(out->data() + offset);
  switch (width) {
    case 4: ScatterScalar<4>(values, n, 4, dst); break;
    case 8: ScatterScalar<8>(values, n, 8, dst); break;
    default: ScatterScalar<0>(values, n, width, dst);
  }
}

}  // namespace sluice::io::parquet
