// The split-block bloom filter of the Parquet spec (BloomFilter.md): 32-byte blocks of eight
// 32-bit words, XXH64 hashes of PLAIN-encoded values, eight salted bits set per value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::io::parquet {

class SplitBlockBloomFilter {
 public:
  static constexpr int kBytesPerBlock = 32;

  /// An empty filter sized for `distinct_values` at false-positive rate `fpp`.
  static SplitBlockBloomFilter ForValues(int64_t distinct_values, double fpp = 0.01);
  /// A filter over an existing bitset (its size must be a positive multiple of 32 bytes).
  explicit SplitBlockBloomFilter(std::vector<uint8_t> bitset);

  static uint64_t Hash(std::string_view plain_value);
  void Insert(uint64_t hash);
  bool MightContain(uint64_t hash) const;

  const std::vector<uint8_t>& bitset() const { return bitset_; }

 private:
  std::vector<uint8_t> bitset_;
};

}  // namespace sluice::io::parquet
