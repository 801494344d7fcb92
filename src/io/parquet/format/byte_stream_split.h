// BYTE_STREAM_SPLIT (Encodings.md, = 9) for FLOAT, DOUBLE, INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY: the k-th byte of every value goes to the k-th of `width` streams, and the
// streams are stored back to back. There is no header, so the page size alone gives the value
// count; a size that is not a multiple of the width is corrupt. Widths 4 and 8 have SSE2 paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"

namespace sluice::io::parquet {

/// Decodes BYTE_STREAM_SPLIT values in batches, each value as `width` contiguous bytes.
class ByteStreamSplitDecoder {
 public:
  /// Throws if width is not positive or size is not a multiple of it.
  ByteStreamSplitDecoder(const uint8_t* data, size_t size, int width);

  /// Writes up to n values (n * width bytes) to out; returns how many (fewer only at the end).
  int64_t Decode(uint8_t* out, int64_t n);
  /// Typed form for FLOAT, DOUBLE, INT32 and INT64; sizeof(T) must equal the width.
  template <typename T>
  int64_t Decode(T* out, int64_t n) {
    if (sizeof(T) != static_cast<size_t>(width_)) {
      ThrowInternal("BYTE_STREAM_SPLIT of width {} decoded as {}-byte values", width_, sizeof(T));
    }
    return Decode(reinterpret_cast<uint8_t*>(out), n);
  }

  int64_t TotalValues() const { return num_values_; }
  int64_t ValuesLeft() const { return num_values_ - index_; }

 private:
  const uint8_t* data_;
  int64_t num_values_;
  int width_;
  int64_t index_ = 0;
};

/// Appends the BYTE_STREAM_SPLIT encoding of n values of `width` bytes each (n * width bytes).
void ByteStreamSplitEncode(const uint8_t* values, int64_t n, int width, std::string* out);

template <typename T>
void ByteStreamSplitEncode(const T* values, int64_t n, std::string* out) {
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(values), n, static_cast<int>(sizeof(T)),
                        out);
}

}  // namespace sluice::io::parquet
