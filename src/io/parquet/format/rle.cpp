// RLE/bit-packed hybrid decoding and encoding. The decoder's inner loops are a fill for RLE
// runs and the unrolled Unpack32 kernel for bit-packed runs; all header validation happens once
// per run, outside those loops.
#include "io/parquet/format/rle.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "io/parquet/format/bit_util.h"

namespace sluice::io::parquet {
namespace {

/// Longest run the spec allows (runs must fit in a signed 32-bit integer).
constexpr int64_t kMaxRunLength = std::numeric_limits<int32_t>::max();
/// A bit-packed run is at most 63 groups, so its header (63 << 1 | 1) is a single byte.
constexpr int64_t kMaxLiteralGroups = 63;

// GCC at -O2 vectorizes only loops of a known trip count, so the fill works in fixed blocks.

template <typename T>
void FillValues(T* out, int64_t n, T value) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    for (int j = 0; j < 16; ++j) out[i + j] = value;
  }
  for (; i < n; ++i) out[i] = value;
}

using U32x4 = uint32_t __attribute__((vector_size(16)));

/// Maximum of n values with two vector accumulators (GCC/Clang vector extensions: an array of
/// lanes is kept in memory by GCC and stalls on store forwarding).
uint32_t MaxValue(const uint32_t* values, int64_t n) {
  U32x4 a = {0, 0, 0, 0};
  U32x4 b = a;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    U32x4 x, y;
    std::memcpy(&x, values + i, 16);
    std::memcpy(&y, values + i + 4, 16);
    a = a > x ? a : x;
    b = b > y ? b : y;
  }
  a = a > b ? a : b;
  uint32_t result = std::max(std::max(a[0], a[1]), std::max(a[2], a[3]));
  for (; i < n; ++i) result = std::max(result, values[i]);
  return result;
}

void CheckBitWidth(int bit_width) {
  if (bit_width < 0 || bit_width > 64) {
    ThrowInvalid("RLE/bit-packed bit width {} is outside 0..64", bit_width);
  }
}

}  // namespace

int LevelBitWidth(int max_level) {
  if (max_level < 0) ThrowInvalid("negative maximum level {}", max_level);
  return BitsRequired(static_cast<uint64_t>(max_level));
}

// ---------------------------------------------------------------------------------------------
// Decoder

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
    : pos_(data), end_(data + size), bit_width_(bit_width) {
  CheckBitWidth(bit_width);
}

RleBitPackedDecoder RleBitPackedDecoder::WithLengthPrefix(const uint8_t* data, size_t size,
                                                          int bit_width, size_t* bytes_consumed) {
  if (size < 4) ThrowInvalid("RLE data of {} bytes is too short for its 4-byte length", size);
  const uint32_t length = LoadLE<uint32_t>(data);
  if (length > size - 4) {
    ThrowInvalid("RLE length prefix {} exceeds the {} bytes that follow it", length, size - 4);
  }
  *bytes_consumed = 4 + size_t{length};
  return RleBitPackedDecoder(data + 4, length, bit_width);
}

bool RleBitPackedDecoder::NextRun() {
  if (pos_ == end_) return false;
  uint64_t header;
  if (!ReadUleb128(pos_, end_, &header) || header > std::numeric_limits<uint32_t>::max()) {
    ThrowInvalid("truncated or oversized RLE run header");
  }
  const size_t available = static_cast<size_t>(end_ - pos_);
  if (header & 1) {
    const uint64_t groups = header >> 1;
    if (groups == 0) ThrowInvalid("empty bit-packed run in RLE data");
    // Each group of 8 values takes exactly bit_width bytes.
    const uint64_t bytes = groups * static_cast<uint64_t>(bit_width_);
    uint64_t count = groups * 8;
    if (bytes > available) {
      // Some writers cut the padding of the last run; keep the values that are all there.
      count = available * 8 / static_cast<uint64_t>(bit_width_);
      if (count == 0) ThrowInvalid("truncated bit-packed run in RLE data");
    }
    literal_data_ = pos_;
    literal_index_ = 0;
    literal_count_ = static_cast<int64_t>(count);
    literal_bytes_ = static_cast<size_t>(std::min<uint64_t>(bytes, available));
    if (bytes <= available || bit_width_ == 0) {
      literal_full_ = static_cast<int64_t>(groups / 4 * 32);  // No division on the hot path.
    } else {
      literal_full_ =
          static_cast<int64_t>(literal_bytes_ / (4 * static_cast<size_t>(bit_width_)) * 32);
    }
    cached_group_ = -1;
    pos_ += literal_bytes_;
  } else {
    const uint64_t count = header >> 1;
    if (count == 0) ThrowInvalid("empty RLE run");
    const size_t value_bytes = static_cast<size_t>(bit_width_ + 7) / 8;
    if (value_bytes > available) ThrowInvalid("truncated RLE run value");
    uint64_t value = 0;
    if (value_bytes == 1) {
      value = *pos_;  // Levels, booleans, small dictionaries: skip the variable-size copy.
    } else {
      std::memcpy(&value, pos_, value_bytes);
    }
    if (value > LowBitsMask(bit_width_)) {
      ThrowInvalid("RLE run value {} does not fit in bit width {}", value, bit_width_);
    }
    pos_ += value_bytes;
    repeat_value_ = value;
    repeat_left_ = static_cast<int64_t>(count);
  }
  return true;
}

void RleBitPackedDecoder::UnpackGroup(int64_t group) {
  const size_t group_bytes = 4 * static_cast<size_t>(bit_width_);
  const size_t offset = static_cast<size_t>(group) * group_bytes;
  const uint8_t* in = literal_data_ + offset;
  uint8_t padded[4 * 64];
  if (offset + group_bytes > literal_bytes_) {
    // The last group of a run is usually short (runs are multiples of 8 values, not 32):
    // unpack from a zero-padded copy rather than read past the run.
    std::memset(padded, 0, group_bytes);
    std::memcpy(padded, in, literal_bytes_ - offset);
    in = padded;
  }
  UnpackGroupsOf32<uint64_t>(in, group_, bit_width_, 1);
  cached_group_ = group;
}

template <typename T>
void RleBitPackedDecoder::UnpackLiteral(T* out, int64_t n) {
  using U = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
  const int w = bit_width_;
  int64_t index = literal_index_;
  while (n > 0) {
    const int64_t offset = index % 32;
    if (offset == 0 && n >= 32 && index + 32 <= literal_full_) {
      // Whole groups straight from the run: the hot path of long bit-packed runs.
      const int64_t groups = std::min(n, literal_full_ - index) / 32;
      const uint8_t* in = literal_data_ + index / 8 * w;
      if constexpr (std::is_same_v<T, U>) {
        UnpackGroupsOf32<U>(in, out, w, groups);
      } else {
        U buffer[32];
        for (int64_t g = 0; g < groups; ++g) {
          UnpackGroupsOf32<U>(in + g * 4 * w, buffer, w, 1);
          for (int i = 0; i < 32; ++i) out[g * 32 + i] = static_cast<T>(buffer[i]);
        }
      }
      index += groups * 32;
      out += groups * 32;
      n -= groups * 32;
      continue;
    }
    if (w <= 8 && index % 8 == 0 && n >= 8 &&
        static_cast<size_t>(index / 8 + 1) * static_cast<size_t>(w) <= literal_bytes_) {
      // Short runs of narrow values (levels, booleans): 8 values are w bytes, one 64-bit word.
      const size_t byte = static_cast<size_t>(index / 8) * static_cast<size_t>(w);
      uint64_t word = 0;
      if (byte + 8 <= literal_bytes_) {
        word = LoadLE<uint64_t>(literal_data_ + byte);
      } else {
        std::memcpy(&word, literal_data_ + byte, static_cast<size_t>(w));
      }
      const uint64_t mask = LowBitsMask(w);
      for (int j = 0; j < 8; ++j) out[j] = static_cast<T>((word >> (j * w)) & mask);
      index += 8;
      out += 8;
      n -= 8;
      continue;
    }
    if (index / 32 != cached_group_) UnpackGroup(index / 32);
    const int64_t k = std::min(n, 32 - offset);
    for (int64_t j = 0; j < k; ++j) out[j] = static_cast<T>(group_[offset + j]);
    index += k;
    out += k;
    n -= k;
  }
}

template <typename T>
int64_t RleBitPackedDecoder::GetBatchImpl(T* out, int64_t n) {
  if (bit_width_ > static_cast<int>(sizeof(T) * 8)) {
    ThrowInvalid("RLE bit width {} is too wide for {}-bit values", bit_width_, sizeof(T) * 8);
  }
  int64_t done = 0;
  while (done < n) {
    if (repeat_left_ > 0) {
      const int64_t m = std::min(n - done, repeat_left_);
      FillValues(out + done, m, static_cast<T>(repeat_value_));
      done += m;
      repeat_left_ -= m;
    } else if (literal_index_ < literal_count_) {
      const int64_t m = std::min(n - done, literal_count_ - literal_index_);
      UnpackLiteral(out + done, m);
      done += m;
      literal_index_ += m;
    } else if (!NextRun()) {
      break;
    }
  }
  return done;
}

int64_t RleBitPackedDecoder::GetBatch(uint8_t* out, int64_t n) {
  return GetBatchImpl(out, n);
}
int64_t RleBitPackedDecoder::GetBatch(int16_t* out, int64_t n) {
  return GetBatchImpl(out, n);
}
int64_t RleBitPackedDecoder::GetBatch(uint32_t* out, int64_t n) {
  return GetBatchImpl(out, n);
}
int64_t RleBitPackedDecoder::GetBatch(uint64_t* out, int64_t n) {
  return GetBatchImpl(out, n);
}

DictionaryIndexDecoder::DictionaryIndexDecoder(const uint8_t* data, size_t size,
                                               int64_t dictionary_size)
    : dictionary_size_(dictionary_size) {
  if (size == 0) return;
  const int bit_width = data[0];
  if (bit_width > 32) ThrowInvalid("dictionary index bit width {} exceeds 32", bit_width);
  decoder_ = RleBitPackedDecoder(data + 1, size - 1, bit_width);
}

int64_t DictionaryIndexDecoder::GetBatch(uint32_t* out, int64_t n) {
  const int64_t got = decoder_.GetBatch(out, n);
  // A vectorized maximum makes the check one compare per batch.
  const uint32_t max_index = MaxValue(out, got);
  if (got > 0 && int64_t{max_index} >= dictionary_size_) {
    ThrowInvalid("dictionary index {} is out of range for a dictionary of {} values", max_index,
                 dictionary_size_);
  }
  return got;
}

// ---------------------------------------------------------------------------------------------
// Encoder

RleBitPackedEncoder::RleBitPackedEncoder(int bit_width) : bit_width_(bit_width) {
  CheckBitWidth(bit_width);
}

void RleBitPackedEncoder::Put(uint64_t value) {
  if (value > LowBitsMask(bit_width_)) {
    ThrowInternal("value {} does not fit in RLE bit width {}", value, bit_width_);
  }
  if (value == current_value_ && repeat_count_ > 0 && repeat_count_ < kMaxRunLength) {
    ++repeat_count_;
    // Past 8 copies the run is committed to RLE and its values need no buffering.
    if (repeat_count_ > 8) return;
  } else {
    if (repeat_count_ >= 8) FlushRepeatedRun();
    repeat_count_ = 1;
    current_value_ = value;
  }
  buffered_[num_buffered_++] = value;
  if (num_buffered_ == 8) FlushBufferedValues();
}

void RleBitPackedEncoder::FlushBufferedValues() {
  // repeat_count_ restarts at every group boundary, so 8 repeats means the 8 buffered values
  // are all equal: they open an RLE run and end the bit-packed run before them.
  if (repeat_count_ >= 8) {
    num_buffered_ = 0;
    CloseLiteralRun();
    return;
  }
  if (literal_header_pos_ == std::string::npos) {
    literal_header_pos_ = runs_.size();
    runs_.push_back('\0');  // Patched by CloseLiteralRun.
  }
  PackBits(buffered_, 8, bit_width_, &runs_);
  num_buffered_ = 0;
  repeat_count_ = 0;
  if (++literal_groups_ == kMaxLiteralGroups) CloseLiteralRun();
}

void RleBitPackedEncoder::CloseLiteralRun() {
  if (literal_header_pos_ == std::string::npos) return;
  runs_[literal_header_pos_] = static_cast<char>(literal_groups_ << 1 | 1);
  literal_header_pos_ = std::string::npos;
  literal_groups_ = 0;
}

void RleBitPackedEncoder::FlushRepeatedRun() {
  CloseLiteralRun();
  AppendUleb128(static_cast<uint64_t>(repeat_count_) << 1, &runs_);
  const uint64_t value = current_value_;
  runs_.append(reinterpret_cast<const char*>(&value), static_cast<size_t>(bit_width_ + 7) / 8);
  repeat_count_ = 0;
  num_buffered_ = 0;
}

void RleBitPackedEncoder::Flush(std::string* out) {
  if (repeat_count_ >= 8) {
    FlushRepeatedRun();
  } else if (num_buffered_ > 0) {
    if (repeat_count_ == num_buffered_) {
      // All pending values are equal: a short RLE run is smaller than a padded group.
      repeat_count_ = num_buffered_;
      FlushRepeatedRun();
    } else {
      std::fill(buffered_ + num_buffered_, buffered_ + 8, 0);
      num_buffered_ = 8;
      repeat_count_ = 0;
      FlushBufferedValues();
    }
  }
  CloseLiteralRun();
  out->append(runs_);
  runs_.clear();
  num_buffered_ = 0;
  repeat_count_ = 0;
  current_value_ = 0;
}

void RleBitPackedEncoder::FlushWithLengthPrefix(std::string* out) {
  const size_t length_pos = out->size();
  AppendLE<uint32_t>(0, out);
  Flush(out);
  const size_t length = out->size() - length_pos - 4;
  if (length > std::numeric_limits<uint32_t>::max()) {
    ThrowInvalid("RLE data of {} bytes does not fit its 4-byte length prefix", length);
  }
  const auto length32 = static_cast<uint32_t>(length);
  std::memcpy(out->data() + length_pos, &length32, 4);
}

}  // namespace sluice::io::parquet
