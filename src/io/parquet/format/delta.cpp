// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY decoding and encoding.
// The binary-packed decoder unpacks 32 deltas at a time with the unrolled kernel of bit_util.h,
// straight into the caller's buffer when a whole group is wanted, then runs the prefix sum in
// place; all header checks happen once per block or miniblock.
#include "io/parquet/format/delta.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "io/parquet/format/bit_util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice::io::parquet {
namespace {

/// Values handled per step by the byte-array decoders (their scratch lives on the stack).
constexpr int64_t kChunk = 512;
/// Sizes of the storage chunks of DeltaByteArrayDecoder.
constexpr size_t kMinStorageChunk = 32 * 1024;
constexpr size_t kMaxStorageChunk = 4 * 1024 * 1024;

/// Reads a zigzag varint into the physical type's width. Writers that compute INT32 deltas in 64
/// bits (DuckDB does) write min deltas beyond 32 bits; since decoding wraps around modulo 2^32
/// anyway, keeping the low 32 bits gives the same values.
template <typename U>
bool ReadZigZag(const uint8_t*& p, const uint8_t* end, U* out) {
  uint64_t zz;
  if (!ReadUleb128(p, end, &zz)) return false;
  *out = static_cast<U>(ZigZagDecode64(zz));
  return true;
}

/// Unpacks `groups` groups of 32 deltas; for 32-bit lanes a width above 32 (64-bit deltas, see
/// ReadZigZag) is unpacked in 64 bits and truncated, which is exact modulo 2^32.
template <typename U>
void UnpackDeltas(const uint8_t* in, U* out, int bit_width, int64_t groups) {
  if constexpr (sizeof(U) == 4) {
    if (bit_width > 32) {
      uint64_t wide[32];
      for (int64_t g = 0; g < groups; ++g) {
        UnpackGroupsOf32<uint64_t>(in + g * 4 * bit_width, wide, bit_width, 1);
        for (int i = 0; i < 32; ++i) out[g * 32 + i] = static_cast<U>(wide[i]);
      }
      return;
    }
  }
  UnpackGroupsOf32<U>(in, out, bit_width, groups);
}

/// Turns a group of 32 deltas into values in place: d[j] = last + sum(min_delta + d[0..j]).
/// For 32-bit lanes SSE2 adds four at a time with a log-step scan, so the loop-carried chain is
/// one add and one shuffle per four values instead of one add per value.
template <typename U>
U PrefixSum32(U* d, U min_delta, U last) {
#if defined(__SSE2__)
  if constexpr (sizeof(U) == 4) {
    const __m128i delta = _mm_set1_epi32(static_cast<int32_t>(min_delta));
    __m128i carry = _mm_set1_epi32(static_cast<int32_t>(last));
    for (int j = 0; j < 32; j += 4) {
      auto* p = reinterpret_cast<__m128i*>(d + j);
      __m128i x = _mm_add_epi32(_mm_loadu_si128(p), delta);
      x = _mm_add_epi32(x, _mm_slli_si128(x, 4));
      x = _mm_add_epi32(x, _mm_slli_si128(x, 8));
      x = _mm_add_epi32(x, carry);
      _mm_storeu_si128(p, x);
      carry = _mm_shuffle_epi32(x, 0xFF);
    }
    return static_cast<U>(_mm_cvtsi128_si32(carry));
  }
#endif
  for (int j = 0; j < 32; ++j) {
    last += min_delta + d[j];
    d[j] = last;
  }
  return last;
}

using I32x4 = int32_t __attribute__((vector_size(16)));
using I64x2 = int64_t __attribute__((vector_size(16)));

/// OR of n values, four lanes at a time (GCC's -O2 vectorizer skips loops of unknown length).
uint32_t SignBitsOr(const int32_t* v, int64_t n) {
  I32x4 acc = {0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    I32x4 x;
    std::memcpy(&x, v + i, 16);
    acc |= x;
  }
  int32_t result = acc[0] | acc[1] | acc[2] | acc[3];
  for (; i < n; ++i) result |= v[i];
  return static_cast<uint32_t>(result);
}

/// Sum of n non-negative int32 lengths in 64 bits; the caller has checked the signs.
uint64_t SumLengths(const int32_t* v, int64_t n) {
  I64x2 acc = {0, 0};
  int64_t i = 0;
  for (; i + 2 <= n; i += 2) {
    const I64x2 x = {v[i], v[i + 1]};
    acc += x;
  }
  int64_t result = acc[0] + acc[1];
  for (; i < n; ++i) result += v[i];
  return static_cast<uint64_t>(result);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// DELTA_BINARY_PACKED decoder

template <typename T>
DeltaBinaryPackedDecoder<T>::DeltaBinaryPackedDecoder(const uint8_t* data, size_t size)
    : begin_(data), pos_(data), end_(data + size) {
  uint64_t block_size, miniblocks, total;
  if (!ReadUleb128(pos_, end_, &block_size) || !ReadUleb128(pos_, end_, &miniblocks) ||
      !ReadUleb128(pos_, end_, &total) || !ReadZigZag(pos_, end_, &last_value_)) {
    ThrowInvalid("truncated or malformed DELTA_BINARY_PACKED header");
  }
  if (block_size == 0 || block_size % 128 != 0 ||
      block_size > std::numeric_limits<uint32_t>::max()) {
    ThrowInvalid("DELTA_BINARY_PACKED block size {} is not a positive multiple of 128", block_size);
  }
  if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    ThrowInvalid(
        "DELTA_BINARY_PACKED block of {} values cannot hold {} miniblocks of a multiple of 32",
        block_size, miniblocks);
  }
  if (total > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
    ThrowInvalid("DELTA_BINARY_PACKED value count {} exceeds the limit of a page", total);
  }
  miniblocks_per_block_ = miniblocks;
  values_per_miniblock_ = block_size / miniblocks;
  total_values_ = static_cast<int64_t>(total);
  next_miniblock_ = miniblocks_per_block_;  // The first group reads a block header.
}

template <typename T>
void DeltaBinaryPackedDecoder<T>::ReadBlockHeader(const uint8_t*& p, U* min_delta,
                                                  const uint8_t** widths) const {
  if (!ReadZigZag(p, end_, min_delta)) {
    ThrowInvalid("truncated or oversized DELTA_BINARY_PACKED min delta");
  }
  if (miniblocks_per_block_ > static_cast<uint64_t>(end_ - p)) {
    ThrowInvalid("truncated DELTA_BINARY_PACKED miniblock bit widths");
  }
  *widths = p;
  p += miniblocks_per_block_;
}

template <typename T>
int DeltaBinaryPackedDecoder<T>::EnterMiniblock(const uint8_t*& p, const uint8_t* widths,
                                                uint64_t index) const {
  const int width = widths[index];
  if (width > 64) ThrowInvalid("DELTA_BINARY_PACKED miniblock bit width {} exceeds 64", width);
  const uint64_t bytes = values_per_miniblock_ / 8 * static_cast<uint64_t>(width);
  if (bytes > static_cast<uint64_t>(end_ - p)) {
    ThrowInvalid("truncated DELTA_BINARY_PACKED miniblock: {} bytes needed, {} left", bytes,
                 end_ - p);
  }
  p += bytes;
  return width;
}

template <typename T>
void DeltaBinaryPackedDecoder<T>::EnterNextMiniblock() {
  if (next_miniblock_ == miniblocks_per_block_) {
    ReadBlockHeader(pos_, &min_delta_, &widths_);
    next_miniblock_ = 0;
  }
  miniblock_data_ = pos_;
  miniblock_width_ = EnterMiniblock(pos_, widths_, next_miniblock_);
  ++next_miniblock_;
  deltas_entered_ += values_per_miniblock_;
  groups_left_ = values_per_miniblock_ / 32;
}

template <typename T>
void DeltaBinaryPackedDecoder<T>::NextGroup(U* dst) {
  if (groups_left_ == 0) EnterNextMiniblock();
  UnpackDeltas<U>(miniblock_data_, dst, miniblock_width_, 1);
  miniblock_data_ += 4 * miniblock_width_;
  --groups_left_;
}

template <typename T>
int64_t DeltaBinaryPackedDecoder<T>::DecodeGroups(U* dst, int64_t max_groups, U* last) {
  // Unpack up to 32 groups first, then run the prefix sums: summing each group right after
  // unpacking it would reload values still in the store buffer, which stalls vector loads.
  constexpr int64_t kMaxGroups = 32;
  max_groups = std::min(max_groups, kMaxGroups);
  U min_deltas[kMaxGroups];
  int64_t groups = 0;
  while (groups < max_groups) {
    if (groups_left_ == 0) EnterNextMiniblock();
    const auto take = static_cast<int64_t>(
        std::min<uint64_t>(groups_left_, static_cast<uint64_t>(max_groups - groups)));
    UnpackDeltas<U>(miniblock_data_, dst + groups * 32, miniblock_width_, take);
    miniblock_data_ += take * 4 * miniblock_width_;
    groups_left_ -= static_cast<uint64_t>(take);
    for (int64_t g = 0; g < take; ++g) min_deltas[groups + g] = min_delta_;
    groups += take;
  }
  U value = *last;
  for (int64_t g = 0; g < groups; ++g) value = PrefixSum32(dst + g * 32, min_deltas[g], value);
  *last = value;
  return groups * 32;
}

template <typename T>
int64_t DeltaBinaryPackedDecoder<T>::Decode(T* out, int64_t n) {
  n = std::min(n, total_values_ - values_read_);
  if (n <= 0) return 0;
  int64_t i = 0;
  if (values_read_ == 0) out[i++] = static_cast<T>(last_value_);  // The header's first value.
  U last = last_value_;
  while (i < n) {
    if (buffer_pos_ == 32) {
      if (n - i >= 32) {
        i += DecodeGroups(reinterpret_cast<U*>(out + i), (n - i) / 32, &last);
        continue;
      }
      NextGroup(buffer_);
      buffer_pos_ = 0;
    }
    const int k = static_cast<int>(std::min<int64_t>(n - i, 32 - buffer_pos_));
    const U min_delta = min_delta_;
    for (int j = 0; j < k; ++j) {
      last += min_delta + buffer_[buffer_pos_ + j];
      out[i + j] = static_cast<T>(last);
    }
    buffer_pos_ += k;
    i += k;
  }
  last_value_ = last;
  values_read_ += n;
  return n;
}

template <typename T>
size_t DeltaBinaryPackedDecoder<T>::EncodedSize() const {
  const uint64_t deltas = total_values_ > 0 ? static_cast<uint64_t>(total_values_ - 1) : 0;
  uint64_t remaining = deltas > deltas_entered_ ? deltas - deltas_entered_ : 0;
  const uint8_t* p = pos_;
  const uint8_t* widths = widths_;
  uint64_t next = next_miniblock_;
  U min_delta;
  // Each step consumes a miniblock; each block costs at least 1 + miniblocks bytes, so the walk
  // is bounded by the input size whatever the header claims.
  while (remaining > 0) {
    if (next == miniblocks_per_block_) {
      ReadBlockHeader(p, &min_delta, &widths);
      next = 0;
    }
    EnterMiniblock(p, widths, next++);
    remaining -= std::min(remaining, values_per_miniblock_);
  }
  return static_cast<size_t>(p - begin_);
}

// ---------------------------------------------------------------------------------------------
// DELTA_BINARY_PACKED encoder

template <typename T>
void DeltaBinaryPackedEncoder<T>::Put(const T* values, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const U v = static_cast<U>(values[i]);
    if (total_values_++ == 0) {
      first_value_ = last_value_ = v;
      continue;
    }
    deltas_[num_deltas_++] = v - last_value_;  // Wraps as the format requires.
    last_value_ = v;
    if (num_deltas_ == kBlockSize) FlushBlock();
  }
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::FlushBlock() {
  T min_delta = std::numeric_limits<T>::max();
  for (int i = 0; i < num_deltas_; ++i) min_delta = std::min(min_delta, static_cast<T>(deltas_[i]));
  AppendUleb128(ZigZagEncode64(static_cast<uint64_t>(int64_t{min_delta})), &blocks_);
  constexpr int kPerMiniblock = kBlockSize / kMiniblocks;
  U relative[kBlockSize] = {};  // Padding deltas stay 0.
  for (int i = 0; i < num_deltas_; ++i) relative[i] = deltas_[i] - static_cast<U>(min_delta);
  const int used = (num_deltas_ + kPerMiniblock - 1) / kPerMiniblock;
  int widths[kMiniblocks] = {};
  for (int m = 0; m < used; ++m) {
    U bits = 0;
    for (int i = 0; i < kPerMiniblock; ++i) bits |= relative[m * kPerMiniblock + i];
    widths[m] = BitsRequired(bits);
  }
  for (int m = 0; m < kMiniblocks; ++m) blocks_.push_back(static_cast<char>(widths[m]));
  for (int m = 0; m < used; ++m) {
    PackBits(relative + m * kPerMiniblock, kPerMiniblock, widths[m], &blocks_);
  }
  num_deltas_ = 0;
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::Flush(std::string* out) {
  if (num_deltas_ > 0) FlushBlock();
  AppendUleb128(kBlockSize, out);
  AppendUleb128(kMiniblocks, out);
  AppendUleb128(static_cast<uint64_t>(total_values_), out);
  AppendUleb128(ZigZagEncode64(static_cast<uint64_t>(int64_t{static_cast<T>(first_value_)})), out);
  out->append(blocks_);
  blocks_.clear();
  first_value_ = last_value_ = 0;
  total_values_ = 0;
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;
template class DeltaBinaryPackedEncoder<int32_t>;
template class DeltaBinaryPackedEncoder<int64_t>;

// ---------------------------------------------------------------------------------------------
// DELTA_LENGTH_BYTE_ARRAY

DeltaLengthByteArrayDecoder::DeltaLengthByteArrayDecoder(const uint8_t* data, size_t size)
    : lengths_(data, size),
      begin_(data),
      bytes_(data + lengths_.EncodedSize()),
      end_(data + size) {}

int64_t DeltaLengthByteArrayDecoder::Decode(std::string_view* out, int64_t n) {
  int32_t lengths[kChunk];
  int64_t done = 0;
  while (done < n) {
    const int64_t m = lengths_.Decode(lengths, std::min(n - done, kChunk));
    if (m == 0) break;
    // One check per chunk: the OR of the sign bits and the sum (lengths are below 2^31, so
    // 512 of them cannot overflow 64 bits).
    const uint32_t sign = SignBitsOr(lengths, m);
    const uint64_t total = SumLengths(lengths, m);
    if (sign >> 31) ThrowInvalid("negative length in DELTA_LENGTH_BYTE_ARRAY data");
    if (total > static_cast<uint64_t>(end_ - bytes_)) {
      ThrowInvalid("DELTA_LENGTH_BYTE_ARRAY lengths need {} bytes but only {} remain", total,
                   end_ - bytes_);
    }
    for (int64_t j = 0; j < m; ++j) {
      out[done + j] =
          std::string_view(reinterpret_cast<const char*>(bytes_), static_cast<size_t>(lengths[j]));
      bytes_ += lengths[j];
    }
    done += m;
  }
  return done;
}

void DeltaLengthByteArrayEncoder::Put(const std::string_view* values, int64_t n) {
  int32_t lengths[kChunk];
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t m = std::min(n - start, kChunk);
    for (int64_t j = 0; j < m; ++j) {
      const std::string_view v = values[start + j];
      if (v.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
        ThrowInvalid("a byte array of {} bytes is too long for Parquet", v.size());
      }
      lengths[j] = static_cast<int32_t>(v.size());
      bytes_.append(v);
    }
    lengths_.Put(lengths, m);
  }
}

void DeltaLengthByteArrayEncoder::Flush(std::string* out) {
  lengths_.Flush(out);
  out->append(bytes_);
  bytes_.clear();
}

// ---------------------------------------------------------------------------------------------
// DELTA_BYTE_ARRAY

DeltaByteArrayDecoder::DeltaByteArrayDecoder(const uint8_t* data, size_t size,
                                             size_t max_rebuilt_bytes)
    : prefixes_(data, size),
      suffixes_(data + prefixes_.EncodedSize(), size - prefixes_.EncodedSize()),
      max_rebuilt_bytes_(max_rebuilt_bytes) {
  if (prefixes_.TotalValues() != suffixes_.TotalValues()) {
    ThrowInvalid("DELTA_BYTE_ARRAY has {} prefix lengths but {} suffixes", prefixes_.TotalValues(),
                 suffixes_.TotalValues());
  }
}

char* DeltaByteArrayDecoder::Allocate(size_t bytes) {
  if (bytes > chunk_left_) {
    // Chunks double up to kMaxStorageChunk, so a page of many rebuilt values makes few
    // allocations and a page of few makes small ones.
    next_chunk_size_ = std::min(std::max(next_chunk_size_ * 2, kMinStorageChunk), kMaxStorageChunk);
    const size_t size = std::max(bytes, next_chunk_size_);
    chunks_.emplace_back(new char[size]);
    chunk_pos_ = chunks_.back().get();
    chunk_left_ = size;
  }
  char* p = chunk_pos_;
  chunk_pos_ += bytes;
  chunk_left_ -= bytes;
  return p;
}

int64_t DeltaByteArrayDecoder::Decode(std::string_view* out, int64_t n) {
  int32_t prefix[kChunk];
  std::string_view suffix[kChunk];
  int64_t done = 0;
  while (done < n) {
    const int64_t m = prefixes_.Decode(prefix, std::min(n - done, kChunk));
    if (m == 0) break;
    if (suffixes_.Decode(suffix, m) != m) ThrowInvalid("DELTA_BYTE_ARRAY suffixes ended early");
    // First pass: check each prefix against its predecessor and size the rebuilt bytes.
    size_t previous_size = previous_.size();
    size_t needed = 0;
    for (int64_t j = 0; j < m; ++j) {
      if (prefix[j] < 0 || static_cast<size_t>(prefix[j]) > previous_size) {
        ThrowInvalid("DELTA_BYTE_ARRAY prefix length {} exceeds the previous value's {} bytes",
                     prefix[j], previous_size);
      }
      const size_t size = static_cast<size_t>(prefix[j]) + suffix[j].size();
      if (prefix[j] > 0 && !suffix[j].empty()) needed += size;
      previous_size = size;
    }
    if (needed > max_rebuilt_bytes_ - rebuilt_bytes_) {
      ThrowInvalid("DELTA_BYTE_ARRAY values would exceed the limit of {} rebuilt bytes",
                   max_rebuilt_bytes_);
    }
    rebuilt_bytes_ += needed;
    char* dst = needed > 0 ? Allocate(needed) : nullptr;
    // Second pass: a bare suffix or a prefix of the previous value needs no copy.
    std::string_view previous = previous_;
    for (int64_t j = 0; j < m; ++j) {
      const size_t p = static_cast<size_t>(prefix[j]);
      std::string_view value;
      if (suffix[j].empty()) {
        value = previous.substr(0, p);
      } else if (p == 0) {
        value = suffix[j];
      } else {
        std::memcpy(dst, previous.data(), p);
        std::memcpy(dst + p, suffix[j].data(), suffix[j].size());
        value = std::string_view(dst, p + suffix[j].size());
        dst += value.size();
      }
      out[done + j] = value;
      previous = value;
    }
    previous_ = previous;
    done += m;
  }
  return done;
}

void DeltaByteArrayEncoder::Put(const std::string_view* values, int64_t n) {
  int32_t prefix[kChunk];
  std::string_view suffix[kChunk];
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t m = std::min(n - start, kChunk);
    for (int64_t j = 0; j < m; ++j) {
      const std::string_view v = values[start + j];
      const size_t limit = std::min(v.size(), previous_.size());
      size_t p = 0;
      while (p < limit && v[p] == previous_[p]) ++p;
      // Keep the prefix in int32 range; DeltaLengthByteArrayEncoder rejects longer suffixes.
      p = std::min(p, static_cast<size_t>(std::numeric_limits<int32_t>::max()));
      prefix[j] = static_cast<int32_t>(p);
      suffix[j] = v.substr(p);
      previous_.assign(v);
    }
    prefixes_.Put(prefix, m);
    suffixes_.Put(suffix, m);
  }
}

void DeltaByteArrayEncoder::Flush(std::string* out) {
  prefixes_.Flush(out);
  suffixes_.Flush(out);
  previous_.clear();
}

}  // namespace sluice::io::parquet
