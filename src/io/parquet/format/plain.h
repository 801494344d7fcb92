// The PLAIN encoding of Parquet (Encodings.md, = 0): fixed-width values back to back (INT32,
// INT64, INT96 as 12 bytes, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY), booleans bit-packed LSB
// first, and BYTE_ARRAY as a 4-byte little-endian length before each value. Dictionary pages use
// it too. Decoders check every length against the bytes left, so a corrupt page throws
// sluice::Error; string outputs are views of the page buffer, valid as long as it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sluice::io::parquet {

/// Decodes fixed-width PLAIN values (numbers, INT96, FIXED_LEN_BYTE_ARRAY) in batches.
class PlainFixedDecoder {
 public:
  /// Throws if width is not positive. Trailing bytes short of a whole value are never read.
  PlainFixedDecoder(const uint8_t* data, size_t size, int width);

  /// Copies up to n values (n * width bytes) to out; returns how many (fewer only at the end).
  int64_t Decode(uint8_t* out, int64_t n);
  /// Typed form for INT32, INT64, FLOAT and DOUBLE; sizeof(T) must equal the width.
  template <typename T>
  int64_t Decode(T* out, int64_t n) {
    if (sizeof(T) != static_cast<size_t>(width_)) {
      ThrowInternal("PLAIN values of width {} decoded as {}-byte values", width_, sizeof(T));
    }
    return Decode(reinterpret_cast<uint8_t*>(out), n);
  }
  /// Returns views of up to n values without copying (FIXED_LEN_BYTE_ARRAY, INT96).
  int64_t DecodeViews(std::string_view* out, int64_t n);

  int64_t ValuesLeft() const { return values_left_; }

 private:
  const uint8_t* pos_;
  int64_t values_left_;
  int width_;
};

/// Decodes PLAIN booleans (bit-packed, LSB first). The data holds a multiple of 8 bits; the
/// caller knows how many of them are values.
class PlainBoolDecoder {
 public:
  PlainBoolDecoder(const uint8_t* data, size_t size);

  /// Writes up to n values as bytes 0/1; returns how many (fewer only at the end).
  int64_t Decode(uint8_t* out, int64_t n);
  /// Writes up to n values as bits of an LSB-first bitmap (the Arrow layout) starting at bit
  /// `bit_offset`; other bits of the bitmap are left unchanged.
  int64_t DecodeToBitmap(uint8_t* bitmap, int64_t bit_offset, int64_t n);

  int64_t ValuesLeft() const { return num_bits_ - bit_pos_; }

 private:
  const uint8_t* data_;
  int64_t num_bits_;
  int64_t bit_pos_ = 0;
};

/// Decodes PLAIN BYTE_ARRAY values into views of the input.
class PlainByteArrayDecoder {
 public:
  PlainByteArrayDecoder(const uint8_t* data, size_t size);

  /// Decodes up to n values; returns how many: fewer than n only when the data ends exactly at a
  /// value boundary. A length prefix cut short, or a length beyond the data, throws.
  int64_t Decode(std::string_view* out, int64_t n);

  size_t BytesConsumed() const { return static_cast<size_t>(pos_ - begin_); }

 private:
  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
};

/// Appends n values of `width` bytes each.
void PlainEncodeFixed(const void* values, int64_t n, int width, std::string* out);
template <typename T>
void PlainEncode(const T* values, int64_t n, std::string* out) {
  PlainEncodeFixed(values, n, static_cast<int>(sizeof(T)), out);
}
/// Appends each value with its 4-byte length; values longer than INT32_MAX bytes throw.
void PlainEncodeByteArray(const std::string_view* values, int64_t n, std::string* out);
/// Appends the bytes of each value; every value must be exactly `width` bytes (else throws).
void PlainEncodeFixedLenByteArray(const std::string_view* values, int64_t n, int width,
                                  std::string* out);

/// Encodes PLAIN booleans; bits accumulate across Put calls until Flush.
class PlainBoolEncoder {
 public:
  /// Adds n values given as bytes (any non-zero byte is true).
  void Put(const uint8_t* values, int64_t n);
  /// Adds n values read from an LSB-first bitmap starting at bit `bit_offset`.
  void PutBitmap(const uint8_t* bitmap, int64_t bit_offset, int64_t n);
  /// Appends the packed bits (the last byte padded with zeros) and resets.
  void Flush(std::string* out);

 private:
  std::string bytes_;
  int64_t num_bits_ = 0;
};

}  // namespace sluice::io::parquet
