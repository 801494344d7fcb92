// The RLE/bit-packed hybrid encoding of Parquet (Encodings.md, RLE = 3): repetition and
// definition levels, dictionary indices and RLE booleans. The decoder validates every run
// header against the bytes it was given, so a corrupt page throws sluice::Error instead of
// reading past the buffer; the encoder writes the same runs parquet-mr and Arrow write.
// Neither side deals with the optional 4-byte length prefix except through the two helpers
// named WithLengthPrefix, because whether it is present depends on the page kind:
//   data page v1: levels and RLE booleans have it, dictionary indices do not;
//   data page v2: only RLE booleans have it (levels sizes are in the page header).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::io::parquet {

/// Bit width of the levels of a column whose maximum level is max_level (0 for a required,
/// non-repeated column, which then stores no levels at all).
int LevelBitWidth(int max_level);

/// Decodes a run of RLE/bit-packed hybrid data with a known bit width (0..64).
///
/// Values are produced in batches of any size; a batch is shorter than asked only when the data
/// ends, so callers that know how many values a page holds must check the count they got back.
/// The decoder checks that run headers, repeated values and bit-packed bodies lie inside the
/// buffer and that a repeated value fits in bit_width bits. It does not know what the values
/// mean: levels must still be checked against the maximum level and dictionary indices against
/// the dictionary size (DictionaryIndexDecoder does the latter). After it throws, a decoder is
/// left in an unspecified state and must not be used again (this holds for every decoder here).
class RleBitPackedDecoder {
 public:
  /// A decoder over no data: every GetBatch returns 0.
  RleBitPackedDecoder() = default;
  /// Decodes `size` bytes without a length prefix. Throws if bit_width is outside 0..64.
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width);

  /// Reads the 4-byte little-endian length prefix (v1 levels, RLE booleans), checks it against
  /// `size`, and returns a decoder over exactly that many bytes. *bytes_consumed is set to
  /// 4 + length, the offset of whatever follows in the page.
  static RleBitPackedDecoder WithLengthPrefix(const uint8_t* data, size_t size, int bit_width,
                                              size_t* bytes_consumed);

  /// Each overload decodes up to n values and returns how many it decoded (fewer than n only at
  /// the end of the data). The output type must be wide enough for bit_width (uint8_t: 8 bits,
  /// int16_t: 16 bits, values above 32767 wrap; uint32_t: 32; uint64_t: 64), else it throws.
  int64_t GetBatch(uint8_t* out, int64_t n);
  int64_t GetBatch(int16_t* out, int64_t n);
  int64_t GetBatch(uint32_t* out, int64_t n);
  int64_t GetBatch(uint64_t* out, int64_t n);

  int bit_width() const { return bit_width_; }

 private:
  template <typename T>
  int64_t GetBatchImpl(T* out, int64_t n);
  template <typename T>
  void UnpackLiteral(T* out, int64_t n);
  void UnpackGroup(int64_t group);
  /// Reads the next run header; returns false at the end of the data.
  bool NextRun();

  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  int bit_width_ = 0;
  // The current RLE run: repeat_left_ copies of repeat_value_.
  uint64_t repeat_value_ = 0;
  int64_t repeat_left_ = 0;
  // The current bit-packed run: values [literal_index_, literal_count_) of literal_data_, which
  // holds literal_bytes_ bytes; the first literal_full_ values lie in complete groups of 32.
  const uint8_t* literal_data_ = nullptr;
  int64_t literal_index_ = 0;
  int64_t literal_count_ = 0;
  size_t literal_bytes_ = 0;
  int64_t literal_full_ = 0;
  // The group of 32 values that a request began or ended inside, unpacked once so that small
  // or unaligned batches cost a copy per value rather than an unpack.
  int64_t cached_group_ = -1;
  uint64_t group_[32] = {};
};

/// Decodes the data of an RLE_DICTIONARY / PLAIN_DICTIONARY data page: one byte of bit width
/// (at most 32) followed by RLE/bit-packed indices, and checks every index against the size of
/// the dictionary so that callers can index their dictionary without a check of their own.
class DictionaryIndexDecoder {
 public:
  /// An empty `data` is accepted as a page without values (some writers omit the width byte).
  DictionaryIndexDecoder(const uint8_t* data, size_t size, int64_t dictionary_size);

  /// Decodes up to n indices; returns how many (fewer only at the end of the data). Throws if an
  /// index is not below the dictionary size.
  int64_t GetBatch(uint32_t* out, int64_t n);

  int bit_width() const { return decoder_.bit_width(); }

 private:
  RleBitPackedDecoder decoder_;
  int64_t dictionary_size_;
};

/// Encodes values of a fixed bit width (0..64) as RLE/bit-packed hybrid runs: runs of 8 or more
/// equal values become RLE runs, everything else bit-packed runs of up to 504 values (so that a
/// bit-packed header always fits in one byte and can be patched in place).
class RleBitPackedEncoder {
 public:
  /// Throws if bit_width is outside 0..64.
  explicit RleBitPackedEncoder(int bit_width);

  /// Adds one value; it must fit in bit_width bits (checked: a wider value is a bug upstream).
  void Put(uint64_t value);
  /// Adds n values (levels, indices, booleans as 0/1).
  template <typename T>
  void PutBatch(const T* values, int64_t n) {
    for (int64_t i = 0; i < n; ++i) Put(static_cast<uint64_t>(values[i]));
  }

  /// Appends the encoded runs to *out (no length prefix) and resets the encoder for reuse. A
  /// trailing bit-packed run is padded with zeros to a multiple of 8 values, so a reader must
  /// know the value count from elsewhere (the page header), as the format intends.
  void Flush(std::string* out);
  /// As Flush, preceded by the 4-byte little-endian length of the encoded runs.
  void FlushWithLengthPrefix(std::string* out);

  int bit_width() const { return bit_width_; }

 private:
  void FlushBufferedValues();
  void FlushRepeatedRun();
  void CloseLiteralRun();

  int bit_width_;
  std::string runs_;           // Runs written so far.
  uint64_t buffered_[8] = {};  // Values not yet assigned to a run.
  int num_buffered_ = 0;
  uint64_t current_value_ = 0;
  int64_t repeat_count_ = 0;  // Trailing copies of current_value_ seen (buffered or not).
  size_t literal_header_pos_ = std::string::npos;  // Header byte of the open bit-packed run.
  int64_t literal_groups_ = 0;                     // Groups of 8 values in the open run.
};

}  // namespace sluice::io::parquet
