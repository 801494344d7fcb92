// PLAIN decoding and encoding. Fixed-width values are one bounds check and a memcpy per batch;
// booleans expand eight bits per step with a multiply; byte arrays need one check per value,
// since each length is only known after the previous value.
#include "io/parquet/format/plain.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "io/parquet/format/bit_util.h"

namespace sluice::io::parquet {
namespace {

inline bool GetBit(const uint8_t* bits, int64_t i) {
  return (bits[i >> 3] >> (i & 7)) & 1;
}

inline void SetBit(uint8_t* bits, int64_t i, bool v) {
  const auto mask = static_cast<uint8_t>(1u << (i & 7));
  bits[i >> 3] = static_cast<uint8_t>(v ? bits[i >> 3] | mask : bits[i >> 3] & ~mask);
}

/// Spreads the 8 bits of b over 8 bytes of 0/1, bit 0 to byte 0.
inline uint64_t ExpandBitsToBytes(uint8_t b) {
  const uint64_t spread = (uint64_t{b} * 0x0101010101010101ULL) & 0x8040201008040201ULL;
  return ((spread + 0x7F7F7F7F7F7F7F7FULL) >> 7) & 0x0101010101010101ULL;
}

/// Copies n bits from src (starting at bit src_offset) to dst (starting at bit dst_offset).
/// Reads only bytes that hold source bits and writes only bytes that hold destination bits.
void CopyBits(const uint8_t* src, int64_t src_offset, uint8_t* dst, int64_t dst_offset, int64_t n) {
  for (; n > 0 && (dst_offset & 7) != 0; --n) SetBit(dst, dst_offset++, GetBit(src, src_offset++));
  const int64_t whole = n / 8;
  const uint8_t* s = src + (src_offset >> 3);
  uint8_t* d = dst + (dst_offset >> 3);
  const int shift = static_cast<int>(src_offset & 7);
  if (shift == 0) {
    std::memcpy(d, s, static_cast<size_t>(whole));
  } else {
    for (int64_t b = 0; b < whole; ++b) {
      d[b] = static_cast<uint8_t>((s[b] >> shift) | (s[b + 1] << (8 - shift)));
    }
  }
  src_offset += whole * 8;
  dst_offset += whole * 8;
  for (n -= whole * 8; n > 0; --n) SetBit(dst, dst_offset++, GetBit(src, src_offset++));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Decoders

PlainFixedDecoder::PlainFixedDecoder(const uint8_t* data, size_t size, int width)
    : pos_(data), width_(width) {
  if (width <= 0) ThrowInvalid("PLAIN value width {} is not positive", width);
  values_left_ = static_cast<int64_t>(size / static_cast<size_t>(width));
}

int64_t PlainFixedDecoder::Decode(uint8_t* out, int64_t n) {
  n = std::max<int64_t>(0, std::min(n, values_left_));
  const size_t bytes = static_cast<size_t>(n) * static_cast<size_t>(width_);
  if (bytes > 0) std::memcpy(out, pos_, bytes);
  pos_ += bytes;
  values_left_ -= n;
  return n;
}

int64_t PlainFixedDecoder::DecodeViews(std::string_view* out, int64_t n) {
  n = std::max<int64_t>(0, std::min(n, values_left_));
  const auto width = static_cast<size_t>(width_);
  for (int64_t i = 0; i < n; ++i, pos_ += width) {
    out[i] = std::string_view(reinterpret_cast<const char*>(pos_), width);
  }
  values_left_ -= n;
  return n;
}

PlainBoolDecoder::PlainBoolDecoder(const uint8_t* data, size_t size)
    : data_(data), num_bits_(static_cast<int64_t>(size) * 8) {}

int64_t PlainBoolDecoder::Decode(uint8_t* out, int64_t n) {
  n = std::max<int64_t>(0, std::min(n, ValuesLeft()));
  int64_t i = 0;
  for (; i < n && ((bit_pos_ + i) & 7) != 0; ++i) out[i] = GetBit(data_, bit_pos_ + i);
  for (; i + 8 <= n; i += 8) {
    const uint64_t bytes = ExpandBitsToBytes(data_[(bit_pos_ + i) >> 3]);
    std::memcpy(out + i, &bytes, 8);
  }
  for (; i < n; ++i) out[i] = GetBit(data_, bit_pos_ + i);
  bit_pos_ += n;
  return n;
}

int64_t PlainBoolDecoder::DecodeToBitmap(uint8_t* bitmap, int64_t bit_offset, int64_t n) {
  n = std::max<int64_t>(0, std::min(n, ValuesLeft()));
  CopyBits(data_, bit_pos_, bitmap, bit_offset, n);
  bit_pos_ += n;
  return n;
}

PlainByteArrayDecoder::PlainByteArrayDecoder(const uint8_t* data, size_t size)
    : begin_(data), pos_(data), end_(data + size) {}

int64_t PlainByteArrayDecoder::Decode(std::string_view* out, int64_t n) {
  const uint8_t* pos = pos_;
  int64_t i = 0;
  for (; i < n; ++i) {
    const auto left = static_cast<size_t>(end_ - pos);
    if (left < 4) {
      if (left == 0) break;
      ThrowInvalid("PLAIN BYTE_ARRAY length cut short at byte {}", pos - begin_);
    }
    const uint32_t length = LoadLE<uint32_t>(pos);
    if (length > left - 4) {
      ThrowInvalid("PLAIN BYTE_ARRAY length {} at byte {} exceeds the {} bytes left", length,
                   pos - begin_, left - 4);
    }
    out[i] = std::string_view(reinterpret_cast<const char*>(pos + 4), length);
    pos += 4 + size_t{length};
  }
  pos_ = pos;
  return i;
}

// ---------------------------------------------------------------------------------------------
// Encoders

void PlainEncodeFixed(const void* values, int64_t n, int width, std::string* out) {
  if (n <= 0) return;
  out->append(static_cast<const char*>(values),
              static_cast<size_t>(n) * static_cast<size_t>(width));
}

void PlainEncodeByteArray(const std::string_view* values, int64_t n, std::string* out) {
  size_t total = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (values[i].size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      ThrowInvalid("a byte array of {} bytes is too long for Parquet", values[i].size());
    }
    total += 4 + values[i].size();
  }
  out->reserve(out->size() + total);
  for (int64_t i = 0; i < n; ++i) {
    AppendLE(static_cast<uint32_t>(values[i].size()), out);
    out->append(values[i]);
  }
}

void PlainEncodeFixedLenByteArray(const std::string_view* values, int64_t n, int width,
                                  std::string* out) {
  for (int64_t i = 0; i < n; ++i) {
    if (values[i].size() != static_cast<size_t>(width)) {
      ThrowInvalid("FIXED_LEN_BYTE_ARRAY({}) value {} has {} bytes", width, i, values[i].size());
    }
    out->append(values[i]);
  }
}

void PlainBoolEncoder::Put(const uint8_t* values, int64_t n) {
  bytes_.resize(static_cast<size_t>((num_bits_ + n + 7) / 8), '\0');
  auto* bits = reinterpret_cast<uint8_t*>(bytes_.data());
  for (int64_t i = 0; i < n; ++i) SetBit(bits, num_bits_ + i, values[i] != 0);
  num_bits_ += n;
}

void PlainBoolEncoder::PutBitmap(const uint8_t* bitmap, int64_t bit_offset, int64_t n) {
  bytes_.resize(static_cast<size_t>((num_bits_ + n + 7) / 8), '\0');
  CopyBits(bitmap, bit_offset, reinterpret_cast<uint8_t*>(bytes_.data()), num_bits_, n);
  num_bits_ += n;
}

void PlainBoolEncoder::Flush(std::string* out) {
  // Bits past num_bits_ in the last byte were zeroed by resize and never set.
  out->append(bytes_);
  bytes_.clear();
  num_bits_ = 0;
}

}  // namespace sluice::io::parquet
