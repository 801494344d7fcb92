// Counter-based random draws for the TPC-H generator: every value is a pure function of (seed,
// column stream, row key), so any chunk of any table can be generated on its own, in parallel, and
// the same seed gives the same bytes whatever the thread count. (dbgen instead advances one
// Park-Miller stream per column; its exact values are not reproduced, its distributions are.)
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::cli::tpch {

inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// One independent stream of draws per generated column (the numbers only need to differ).
enum Stream : uint64_t {
  kPartName = 1,
  kPartMfgr,
  kPartBrand,
  kPartType,
  kPartSize,
  kPartContainer,
  kPartComment,
  kPsAvailQty,
  kPsSupplyCost,
  kPsComment,
  kSuppAddress,
  kSuppNation,
  kSuppPhone,
  kSuppAcctbal,
  kSuppComment,
  kSuppBbb,
  kCustAddress,
  kCustNation,
  kCustPhone,
  kCustAcctbal,
  kCustSegment,
  kCustComment,
  kOrderLines,
  kOrderCustkey,
  kOrderDate,
  kOrderPriority,
  kOrderClerk,
  kOrderComment,
  kLinePartkey,
  kLineSuppNum,
  kLineQuantity,
  kLineDiscount,
  kLineTax,
  kLineShipDays,
  kLineCommitDays,
  kLineReceiptDays,
  kLineReturnFlag,
  kLineInstruct,
  kLineMode,
  kLineComment,
  kNationComment,
  kRegionComment,
  kTextPool,
};

/// The draws of one row: a per-row base hashed once, then one cheap mix per column stream.
class RowRandom {
 public:
  RowRandom(uint64_t seed, uint64_t key) : base_(Mix64(seed ^ Mix64(key))) {}
  uint64_t Bits(Stream stream) const { return Mix64(base_ + stream * 0xd1b54a32d192ed03ull); }
  /// Uniform integer in [lo, hi] (inclusive, as the spec's "random value [lo .. hi]").
  int64_t Uniform(Stream stream, int64_t lo, int64_t hi) const {
    return Scale(Bits(stream), lo, hi);
  }

  static int64_t Scale(uint64_t bits, int64_t lo, int64_t hi) {
    auto range = static_cast<unsigned __int128>(static_cast<uint64_t>(hi - lo) + 1);
    return lo + static_cast<int64_t>((bits * range) >> 64);
  }

 private:
  uint64_t base_;
};

/// The key of a row's draws: the row number with the table's number in the top byte, so that the
/// draws of customer 7 and supplier 7 are unrelated.
inline uint64_t RowKey(uint64_t table, int64_t row) {
  return (table << 56) ^ static_cast<uint64_t>(row);
}

/// A weighted word list of dbgen's dists.dss: a token is picked with probability weight / total.
struct WeightedWord {
  std::string_view word;
  uint32_t weight;
};

/// Picks a token of a weighted list with a draw.
template <size_t N>
std::string_view PickWeighted(const WeightedWord (&words)[N], uint64_t bits) {
  uint32_t total = 0;
  for (const WeightedWord& word : words) total += word.weight;
  auto point = static_cast<uint32_t>((static_cast<unsigned __int128>(bits) * total) >> 64);
  for (const WeightedWord& word : words) {
    if (point < word.weight) return word.word;
    point -= word.weight;
  }
  return words[N - 1].word;
}

}  // namespace sluice::cli::tpch
