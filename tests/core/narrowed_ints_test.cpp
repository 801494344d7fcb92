// Narrowed integer arrays: every span of every type comes back exactly, in the few bytes the
// span needs, and damaged forms are refused rather than read past.
#include "core/narrowed_ints.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

namespace sluice {
namespace {

template <typename T>
std::vector<T> RoundTrip(const std::vector<T>& values, size_t* stored) {
  std::vector<uint8_t> bytes = {0xAB};  // Something before, as in a spill block.
  narrowed::Append(values.data(), static_cast<int64_t>(values.size()), &bytes);
  bytes.push_back(0xCD);  // And after: Read must stop at its own end.
  *stored = bytes.size() - 2;
  std::vector<T> back(values.size());
  const int64_t read = narrowed::Read<T>(std::span<const uint8_t>(bytes).subspan(1),
                                         static_cast<int64_t>(values.size()), back.data());
  EXPECT_EQ(read, static_cast<int64_t>(*stored));
  return back;
}

/// Values lo + [0, span] of T, random, with both ends present.
template <typename T, typename U>
std::vector<T> Spread(T lo, U span, int count, std::mt19937_64& random) {
  std::vector<T> values;
  for (int i = 0; i < count; ++i) {
    U offset = i == 0 ? 0 : i == 1 ? span : static_cast<U>(random());
    if constexpr (sizeof(U) > 8) offset = static_cast<U>(offset << 64 | random());
    if (span != std::numeric_limits<U>::max()) offset %= span + 1;
    values.push_back(static_cast<T>(static_cast<U>(lo) + offset));
  }
  return values;
}

TEST(NarrowedIntsTest, EverySpanComesBackExactlyInTheBytesItNeeds) {
  std::mt19937_64 random(11);
  for (int bytes = 1; bytes <= 8; ++bytes) {
    const uint64_t span = bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1;
    for (int64_t lo :
         {int64_t{0}, int64_t{-5}, std::numeric_limits<int64_t>::min(), int64_t{1} << 40}) {
      std::vector<int64_t> values = Spread<int64_t, uint64_t>(lo, span, 300, random);
      size_t stored;
      ASSERT_EQ(RoundTrip(values, &stored), values) << bytes << " bytes from " << lo;
      EXPECT_EQ(stored, 1 + 8 + 300 * static_cast<size_t>(bytes)) << bytes;
      std::vector<uint64_t> unsigned_values(values.begin(), values.end());
      ASSERT_EQ(RoundTrip(unsigned_values, &stored), unsigned_values);
    }
  }
  for (uint32_t span : {0u, 200u, 70000u, 0xFFFFFFFFu}) {
    std::vector<int32_t> values = Spread<int32_t, uint32_t>(-100, span, 100, random);
    size_t stored;
    ASSERT_EQ(RoundTrip(values, &stored), values) << span;
  }
  const auto u128 = [](uint64_t value) { return static_cast<unsigned __int128>(value); };
  for (auto [span, width] : {std::pair{u128(9), 1},
                             {u128(1) << 20, 3},
                             {u128(1) << 50, 7},
                             {u128(1) << 100, 16},
                             {~u128(0), 16}}) {
    std::vector<int128_t> values = Spread<int128_t, unsigned __int128>(-7, span, 100, random);
    size_t stored;
    ASSERT_TRUE(RoundTrip(values, &stored) == values) << width;
    EXPECT_EQ(stored, 1 + 16 + 100 * static_cast<size_t>(width));
  }
  std::vector<double> doubles = {1.5, -0.0, 1e300};
  size_t stored;
  EXPECT_EQ(RoundTrip(doubles, &stored), doubles);
  EXPECT_EQ(stored, 24u);
  std::vector<int64_t> none;
  EXPECT_EQ(RoundTrip(none, &stored), none);
}

TEST(NarrowedIntsTest, PositionsAreStoredAsNarrowedHalves) {
  // seq << 32 | row: the whole values span past 32 bits, the halves a byte and two.
  std::vector<uint64_t> positions;
  for (uint64_t seq = 1000; seq < 1010; ++seq) {
    for (uint64_t row = 0; row < 60000; row += 97) positions.push_back(seq << 32 | row);
  }
  size_t stored;
  ASSERT_EQ(RoundTrip(positions, &stored), positions);
  EXPECT_EQ(stored, 9 + positions.size() * 3);
  // Rows of three bytes.
  std::vector<uint64_t> wide_rows;
  for (uint64_t seq = 7; seq < 9; ++seq) {
    for (uint64_t row = 3; row < 1'000'000; row += 997) wide_rows.push_back(seq << 32 | row);
  }
  ASSERT_EQ(RoundTrip(wide_rows, &stored), wide_rows);
  EXPECT_EQ(stored, 9 + wide_rows.size() * 4);
  // Halves that would need more than the whole: stored whole.
  std::vector<uint64_t> crossing = {0xFFFFFFFFull, 0xFF00000000ull};
  ASSERT_EQ(RoundTrip(crossing, &stored), crossing);
  EXPECT_EQ(stored, 1 + 8 + 2 * 5u);
}

TEST(NarrowedIntsTest, DamagedFormsAreRefused) {
  std::vector<uint64_t> positions = {5ull << 32 | 3, 6ull << 32 | 70000, 9ull << 32};
  std::vector<uint64_t> small = {1, 2, 300};
  for (const std::vector<uint64_t>* values : {&positions, &small}) {
    std::vector<uint8_t> bytes;
    narrowed::Append(values->data(), 3, &bytes);
    std::vector<uint64_t> back(4);
    // Too few bytes for the values, at every cut.
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      EXPECT_EQ(narrowed::Read<uint64_t>(std::span(bytes.data(), cut), 3, back.data()), -1) << cut;
    }
    // More values than the bytes hold, and a negative count.
    EXPECT_EQ(narrowed::Read<uint64_t>(bytes, 4, back.data()), -1);
    EXPECT_EQ(narrowed::Read<uint64_t>(bytes, -1, back.data()), -1);
  }
  // Widths that cannot be: 0, 9 to 15 and 17 for whole values, 0 or 5 for halves.
  for (uint8_t code : {0, 9, 15, 16, 17, 0x80 | 0 << 3 | 2, 0x80 | 5 << 3 | 1, 0x80 | 1 << 3 | 0}) {
    std::vector<uint8_t> bytes(64, 0);
    bytes[0] = code;
    uint64_t back[2];
    EXPECT_EQ(narrowed::Read<uint64_t>(bytes, 2, back), -1) << int{code};
  }
  std::vector<uint8_t> bytes(64, 0);
  bytes[0] = 8;
  int32_t narrow[2];
  EXPECT_EQ(narrowed::Read<int32_t>(bytes, 2, narrow), -1);  // Wider than the type.
}

}  // namespace
}  // namespace sluice
