// Split-block bloom filter insert and lookup, bit-for-bit as the Parquet spec defines them.
#include "io/parquet/format/bloom_filter.h"

#include <xxhash.h>

#include <cmath>
#include <cstring>

#include "core/error.h"

namespace sluice::io::parquet {

namespace {
constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

uint64_t BlockIndex(uint64_t hash, uint64_t blocks) {
  return ((hash >> 32) * blocks) >> 32;
}
}  // namespace

SplitBlockBloomFilter SplitBlockBloomFilter::ForValues(int64_t distinct_values, double fpp) {
  // Bits per value for a split-block filter at rate fpp (the spec's table is close to this).
  double bits = -8.0 * static_cast<double>(std::max<int64_t>(distinct_values, 1)) /
                std::log(1.0 - std::pow(fpp, 1.0 / 8.0));
  int64_t bytes = static_cast<int64_t>(bits / 8.0);
  int64_t size = kBytesPerBlock;
  while (size < bytes && size < (int64_t{128} << 20)) size *= 2;
  return SplitBlockBloomFilter(std::vector<uint8_t>(static_cast<size_t>(size), 0));
}

SplitBlockBloomFilter::SplitBlockBloomFilter(std::vector<uint8_t> bitset)
    : bitset_(std::move(bitset)) {
  if (bitset_.empty() || bitset_.size() % kBytesPerBlock != 0) {
    ThrowInvalid("bloom filter of {} bytes is not a whole number of 32-byte blocks",
                 bitset_.size());
  }
}

uint64_t SplitBlockBloomFilter::Hash(std::string_view plain_value) {
  return XXH64(plain_value.data(), plain_value.size(), 0);
}

void SplitBlockBloomFilter::Insert(uint64_t hash) {
  uint64_t block = BlockIndex(hash, bitset_.size() / kBytesPerBlock);
  uint32_t key = static_cast<uint32_t>(hash);
  uint8_t* words = bitset_.data() + block * kBytesPerBlock;
  for (int i = 0; i < 8; ++i) {
    uint32_t word;
    std::memcpy(&word, words + i * 4, 4);
    word |= 1u << ((key * kSalt[i]) >> 27);
    std::memcpy(words + i * 4, &word, 4);
  }
}

bool SplitBlockBloomFilter::MightContain(uint64_t hash) const {
  uint64_t block = BlockIndex(hash, bitset_.size() / kBytesPerBlock);
  uint32_t key = static_cast<uint32_t>(hash);
  const uint8_t* words = bitset_.data() + block * kBytesPerBlock;
  for (int i = 0; i < 8; ++i) {
    uint32_t word;
    std::memcpy(&word, words + i * 4, 4);
    if ((word & (1u << ((key * kSalt[i]) >> 27))) == 0) return false;
  }
  return true;
}

}  // namespace sluice::io::parquet
