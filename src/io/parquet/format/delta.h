// The delta encodings of Parquet (Encodings.md): DELTA_BINARY_PACKED for INT32/INT64,
// DELTA_LENGTH_BYTE_ARRAY (delta-packed lengths, then the bytes back to back) and
// DELTA_BYTE_ARRAY (delta-packed prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY).
// Decoders validate headers, bit widths, lengths and prefix lengths against the buffer and
// decode lazily in batches, so their memory never depends on a count read from the file.
// Arithmetic on deltas is done in the unsigned type: the format relies on two's complement
// wraparound (deltas of int32 extremes overflow), which is undefined for signed integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sluice::io::parquet {

/// Decodes DELTA_BINARY_PACKED values; T is int32_t or int64_t.
///
/// The header is parsed and checked by the constructor; blocks are read as values are asked
/// for. Miniblocks that hold values must have a bit width of at most the bits of T and their
/// full (padded) bytes present; the widths of unused trailing miniblocks are ignored as the spec
/// requires. TotalValues() comes from the file: callers compare it with the count they expect.
template <typename T>
class DeltaBinaryPackedDecoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>);

 public:
  using U = std::make_unsigned_t<T>;

  DeltaBinaryPackedDecoder(const uint8_t* data, size_t size);

  /// Decodes up to n values; returns how many (fewer than n once all values are read).
  int64_t Decode(T* out, int64_t n);

  int64_t TotalValues() const { return total_values_; }
  int64_t ValuesLeft() const { return total_values_ - values_read_; }
  /// Bytes of the encoding read so far. Once every value is read it is the size of the whole
  /// encoding, i.e. the offset of what follows it (the bytes of DELTA_LENGTH_BYTE_ARRAY).
  size_t BytesConsumed() const { return static_cast<size_t>(pos_ - begin_); }
  /// The size of the whole encoding, found by walking the remaining block headers without
  /// decoding values (cost: one step per miniblock). Validates those headers on the way.
  size_t EncodedSize() const;

 private:
  /// Reads a block header at p: zigzag min delta, then one bit width byte per miniblock.
  void ReadBlockHeader(const uint8_t*& p, U* min_delta, const uint8_t** widths) const;
  /// Enters miniblock `index` of the block whose widths are given: checks its width and that
  /// its bytes are present, advances p past them, returns the width.
  int EnterMiniblock(const uint8_t*& p, const uint8_t* widths, uint64_t index) const;
  /// Moves to the next miniblock (reading a block header first when the block is done).
  void EnterNextMiniblock();
  /// Unpacks the next 32 deltas into dst, entering a new miniblock when needed.
  void NextGroup(U* dst);
  /// Decodes whole groups of 32 values into dst (at most max_groups, at least one); returns
  /// the number of values written and advances *last.
  int64_t DecodeGroups(U* dst, int64_t max_groups, U* last);

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  uint64_t miniblocks_per_block_ = 0;
  uint64_t values_per_miniblock_ = 0;
  int64_t total_values_ = 0;
  int64_t values_read_ = 0;
  U last_value_ = 0;
  U min_delta_ = 0;
  const uint8_t* widths_ = nullptr;  // Bit widths of the current block.
  uint64_t next_miniblock_ = 0;      // Index of the next miniblock to enter in the block.
  uint64_t deltas_entered_ = 0;      // Delta slots covered by miniblocks entered so far.
  const uint8_t* miniblock_data_ = nullptr;
  int miniblock_width_ = 0;
  uint64_t groups_left_ = 0;  // Groups of 32 deltas not yet unpacked in the current miniblock.
  U buffer_[32] = {};         // Unpacked deltas of the current group ...
  int buffer_pos_ = 32;       // ... of which those before buffer_pos_ are consumed.
};

/// Encodes DELTA_BINARY_PACKED with blocks of 128 values in 4 miniblocks of 32 (what parquet-mr
/// and Arrow write). Values are buffered until Flush because the header holds the total count.
template <typename T>
class DeltaBinaryPackedEncoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>);

 public:
  using U = std::make_unsigned_t<T>;
  static constexpr int kBlockSize = 128;
  static constexpr int kMiniblocks = 4;

  void Put(const T* values, int64_t n);
  /// Appends the complete encoding of every value put since the last Flush, then resets.
  void Flush(std::string* out);
  int64_t num_values() const { return total_values_; }

 private:
  void FlushBlock();

  std::string blocks_;  // Finished blocks.
  U deltas_[kBlockSize] = {};
  int num_deltas_ = 0;
  U first_value_ = 0;
  U last_value_ = 0;
  int64_t total_values_ = 0;
};

/// Decodes DELTA_LENGTH_BYTE_ARRAY into string views of the input buffer (valid as long as the
/// buffer is). Every length is checked to be non-negative and to fit in the remaining bytes.
class DeltaLengthByteArrayDecoder {
 public:
  DeltaLengthByteArrayDecoder(const uint8_t* data, size_t size);

  /// Decodes up to n values; returns how many (fewer than n once all values are read).
  int64_t Decode(std::string_view* out, int64_t n);

  int64_t TotalValues() const { return lengths_.TotalValues(); }
  int64_t ValuesLeft() const { return lengths_.ValuesLeft(); }
  /// Bytes read so far: lengths plus the bytes of the values returned.
  size_t BytesConsumed() const { return static_cast<size_t>(bytes_ - begin_); }

 private:
  DeltaBinaryPackedDecoder<int32_t> lengths_;
  const uint8_t* begin_;
  const uint8_t* bytes_;  // Bytes of the next value.
  const uint8_t* end_;
};

/// Decodes DELTA_BYTE_ARRAY (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY; for the latter the caller
/// checks each length). A value that is a bare suffix or a prefix of its predecessor is a view
/// of the input or of that predecessor; only values made of both are rebuilt, into storage the
/// decoder owns. Every view stays valid until the decoder is destroyed (and the input buffer
/// lives). Because a few bytes of prefix lengths can describe a huge output, the total of rebuilt
/// bytes is capped by max_rebuilt_bytes; beyond it decoding throws.
class DeltaByteArrayDecoder {
 public:
  static constexpr size_t kDefaultMaxRebuiltBytes = size_t{1} << 30;

  DeltaByteArrayDecoder(const uint8_t* data, size_t size,
                        size_t max_rebuilt_bytes = kDefaultMaxRebuiltBytes);

  /// Decodes up to n values; returns how many (fewer than n once all values are read).
  int64_t Decode(std::string_view* out, int64_t n);

  int64_t TotalValues() const { return prefixes_.TotalValues(); }
  int64_t ValuesLeft() const { return prefixes_.ValuesLeft(); }

 private:
  char* Allocate(size_t bytes);

  DeltaBinaryPackedDecoder<int32_t> prefixes_;
  DeltaLengthByteArrayDecoder suffixes_;
  std::string_view previous_;
  std::vector<std::unique_ptr<char[]>> chunks_;  // Stable storage of rebuilt values.
  char* chunk_pos_ = nullptr;
  size_t chunk_left_ = 0;
  size_t next_chunk_size_ = 0;
  size_t rebuilt_bytes_ = 0;
  size_t max_rebuilt_bytes_;
};

/// Encodes DELTA_LENGTH_BYTE_ARRAY. Values longer than INT32_MAX bytes are rejected.
class DeltaLengthByteArrayEncoder {
 public:
  void Put(const std::string_view* values, int64_t n);
  void Flush(std::string* out);

 private:
  DeltaBinaryPackedEncoder<int32_t> lengths_;
  std::string bytes_;
};

/// Encodes DELTA_BYTE_ARRAY: each value's shared prefix with the previous value, then the rest.
class DeltaByteArrayEncoder {
 public:
  void Put(const std::string_view* values, int64_t n);
  void Flush(std::string* out);

 private:
  DeltaBinaryPackedEncoder<int32_t> prefixes_;
  DeltaLengthByteArrayEncoder suffixes_;
  std::string previous_;
};

extern template class DeltaBinaryPackedDecoder<int32_t>;
extern template class DeltaBinaryPackedDecoder<int64_t>;
extern template class DeltaBinaryPackedEncoder<int32_t>;
extern template class DeltaBinaryPackedEncoder<int64_t>;

}  // namespace sluice::io::parquet
