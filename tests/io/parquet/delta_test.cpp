// Tests of DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY: the spec's
// examples byte for byte, round trips (including deltas that overflow int32/int64 and other
// block geometries written by a reference encoder below), and corrupt input that must throw.
#include "io/parquet/format/delta.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "core/error.h"
#include "io/parquet/format/bit_util.h"

namespace sluice::io::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ToBytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

/// A straightforward DELTA_BINARY_PACKED writer for any block geometry; unused miniblocks of
/// the last block get `unused_width`, which readers must ignore.
template <typename T>
std::string ReferenceEncode(const std::vector<T>& values, uint64_t block_size, uint64_t miniblocks,
                            uint8_t unused_width = 0) {
  using U = std::make_unsigned_t<T>;
  std::string out;
  AppendUleb128(block_size, &out);
  AppendUleb128(miniblocks, &out);
  AppendUleb128(values.size(), &out);
  AppendUleb128(ZigZagEncode64(static_cast<uint64_t>(int64_t{values.empty() ? 0 : values[0]})),
                &out);
  const uint64_t per = block_size / miniblocks;
  for (size_t start = 1; start < values.size(); start += block_size) {
    const size_t end = std::min<size_t>(values.size(), start + block_size);
    std::vector<U> rel;
    T min_delta = std::numeric_limits<T>::max();
    for (size_t i = start; i < end; ++i) {
      min_delta = std::min(
          min_delta, static_cast<T>(static_cast<U>(values[i]) - static_cast<U>(values[i - 1])));
    }
    for (size_t i = start; i < end; ++i) {
      rel.push_back(static_cast<U>(values[i]) - static_cast<U>(values[i - 1]) -
                    static_cast<U>(min_delta));
    }
    rel.resize((rel.size() + per - 1) / per * per, 0);
    const size_t used = rel.size() / per;
    AppendUleb128(ZigZagEncode64(static_cast<uint64_t>(int64_t{min_delta})), &out);
    std::vector<int> widths(miniblocks, unused_width);
    for (size_t m = 0; m < used; ++m) {
      U bits = 0;
      for (size_t i = 0; i < per; ++i) bits |= rel[m * per + i];
      widths[m] = BitsRequired(bits);
    }
    for (int w : widths) out.push_back(static_cast<char>(w));
    for (size_t m = 0; m < used; ++m)
      PackBits(rel.data() + m * per, static_cast<int64_t>(per), widths[m], &out);
  }
  return out;
}

template <typename T>
std::string Encode(const std::vector<T>& values) {
  DeltaBinaryPackedEncoder<T> encoder;
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  std::string out;
  encoder.Flush(&out);
  return out;
}

template <typename T>
std::vector<T> DecodeAll(const Bytes& data, int64_t batch) {
  DeltaBinaryPackedDecoder<T> decoder(data.data(), data.size());
  std::vector<T> out(static_cast<size_t>(decoder.TotalValues()));
  int64_t done = 0;
  while (done < decoder.TotalValues()) {
    const int64_t got = decoder.Decode(out.data() + done, batch);
    if (got == 0) break;
    done += got;
  }
  EXPECT_EQ(decoder.Decode(out.data(), 1), 0);
  return out;
}

template <typename T>
std::vector<std::vector<T>> Datasets() {
  constexpr T kMin = std::numeric_limits<T>::min();
  constexpr T kMax = std::numeric_limits<T>::max();
  std::mt19937_64 rng(42);
  std::vector<std::vector<T>> sets = {{}, {7}, {kMin}, {kMax, kMin}, {kMin, kMax, kMin, 0, kMax}};
  for (size_t n : {127, 128, 129, 1000, 100000}) {
    std::vector<T> random(n), sorted(n), constant(n, -3), small(n);
    for (auto& v : random) v = static_cast<T>(rng());
    T acc = 0;
    for (auto& v : small) v = acc = static_cast<T>(acc + static_cast<T>(rng() % 200) - 100);
    sorted = random;
    std::sort(sorted.begin(), sorted.end());
    sets.insert(sets.end(), {random, sorted, constant, small});
  }
  std::vector<T> extremes(300);
  for (size_t i = 0; i < extremes.size(); ++i) extremes[i] = i % 2 ? kMin : kMax;
  sets.push_back(extremes);
  return sets;
}

template <typename T>
void ExpectRoundTrips() {
  for (const auto& values : Datasets<T>()) {
    const std::string encoded = Encode(values);
    EXPECT_EQ(encoded, ReferenceEncode(values, 128, 4));
    Bytes data = ToBytes(encoded);
    for (int64_t batch : {1, 7, 32, 33, 1000, 1 << 20}) {
      ASSERT_EQ(DecodeAll<T>(data, batch), values) << values.size() << " " << batch;
    }
    data.insert(data.end(), {0xAB, 0xCD});  // Trailing bytes are not part of the encoding.
    DeltaBinaryPackedDecoder<T> decoder(data.data(), data.size());
    EXPECT_EQ(decoder.EncodedSize(), encoded.size());
    std::vector<T> out(values.size() + 1);
    EXPECT_EQ(decoder.Decode(out.data(), static_cast<int64_t>(out.size())),
              static_cast<int64_t>(values.size()));
    EXPECT_EQ(decoder.BytesConsumed(), encoded.size());
  }
}

TEST(DeltaBinaryPackedTest, RoundTripsInt32IncludingDeltasThatOverflow) {
  ExpectRoundTrips<int32_t>();
}
TEST(DeltaBinaryPackedTest, RoundTripsInt64IncludingDeltasThatOverflow) {
  ExpectRoundTrips<int64_t>();
}

TEST(DeltaBinaryPackedTest, EncodesTheSpecExamplesWithBlocksOf128) {
  // Example 1: 1..5 -> min delta 1, all widths 0, no miniblock data.
  EXPECT_EQ(Encode<int32_t>({1, 2, 3, 4, 5}), std::string("\x80\x01\x04\x05\x02"
                                                          "\x02\x00\x00\x00\x00",
                                                          10));
  // Example 2: 7,5,3,1,2,3,4,5 -> min delta -2, 7 relative deltas 0,0,0,3,3,3,3 on 2 bits, padded.
  const std::string example2(
      "\x80\x01\x04\x08\x0E"
      "\x03\x02\x00\x00\x00"
      "\xC0\x3F\0\0\0\0\0\0",
      18);
  EXPECT_EQ(Encode<int32_t>({7, 5, 3, 1, 2, 3, 4, 5}), example2);
  EXPECT_EQ(DecodeAll<int64_t>(ToBytes(example2), 3),
            (std::vector<int64_t>{7, 5, 3, 1, 2, 3, 4, 5}));
}

TEST(DeltaBinaryPackedTest, DecodesOtherBlockGeometriesAndIgnoresUnusedMiniblockWidths) {
  std::mt19937_64 rng(3);
  std::vector<int64_t> values(3000);
  for (auto& v : values) v = static_cast<int64_t>(rng() % 100000);
  for (auto [block, miniblocks] :
       {std::pair<uint64_t, uint64_t>{128, 1}, {256, 2}, {384, 3}, {1024, 8}, {1024, 32}}) {
    const Bytes data = ToBytes(ReferenceEncode(values, block, miniblocks, /*unused_width=*/0xFF));
    EXPECT_EQ(DecodeAll<int64_t>(data, 100), values) << block << "/" << miniblocks;
    DeltaBinaryPackedDecoder<int64_t> decoder(data.data(), data.size());
    EXPECT_EQ(decoder.EncodedSize(), data.size());
  }
}

/// Header 128/4, 2 values, first 0, one block with min delta 0 and the given first width.
Bytes OneBlock(uint8_t width) {
  Bytes data = {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, width, 0, 0, 0};
  data.resize(data.size() + 4 * width, 0);
  return data;
}

// DuckDB computes INT32 deltas in 64 bits, so widths up to 64 occur; decoding wraps modulo 2^32.
TEST(DeltaBinaryPackedTest, AcceptsWidthsUpTo64AndRejectsWiderOnes) {
  EXPECT_EQ(DecodeAll<int32_t>(OneBlock(33), 2), (std::vector<int32_t>{0, 0}));
  EXPECT_THROW(DecodeAll<int32_t>(OneBlock(65), 2), Error);
  EXPECT_EQ(DecodeAll<int64_t>(OneBlock(33), 2), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(DecodeAll<int64_t>(OneBlock(64), 2), (std::vector<int64_t>{0, 0}));
  EXPECT_THROW(DecodeAll<int64_t>(OneBlock(65), 2), Error);
}

TEST(DeltaBinaryPackedTest, RejectsBlockSizesAndMiniblockCountsOutsideTheSpec) {
  const std::vector<Bytes> headers = {
      {0x64, 0x04, 0x01, 0x00},        // Block of 100 values.
      {0x00, 0x04, 0x01, 0x00},        // Block of 0 values.
      {0x80, 0x01, 0x03, 0x01, 0x00},  // 3 miniblocks do not divide 128.
      {0x80, 0x01, 0x08, 0x01, 0x00},  // 8 miniblocks of 16 values.
      {0x80, 0x01, 0x00, 0x01, 0x00},  // No miniblocks.
      {0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00},  // 2^35 values.
      {0x80, 0x01, 0x04},                                            // Truncated header.
  };
  for (const Bytes& h : headers) {
    EXPECT_THROW(DeltaBinaryPackedDecoder<int32_t>(h.data(), h.size()), Error);
  }
}

TEST(DeltaBinaryPackedTest, WrapsAMinDeltaWiderThanInt32ModuloTwoToThe32) {
  const Bytes data = {0x80, 0x01, 0x04, 0x02, 0x00, 0x80, 0x80, 0x80, 0x80, 0x20, 0, 0, 0, 0};
  EXPECT_EQ(DecodeAll<int32_t>(data, 2)[1], 0);  // 2^32 wraps to 0
  EXPECT_EQ(DecodeAll<int64_t>(data, 2)[1], int64_t{1} << 32);
}

TEST(DeltaBinaryPackedTest, AHugeValueCountOverFewBytesThrowsInsteadOfLooping) {
  // 2^31 - 1 values but one block of 128 zero-width deltas: the 129th delta has no block.
  const Bytes data = {0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x02, 0, 0, 0, 0};
  DeltaBinaryPackedDecoder<int32_t> decoder(data.data(), data.size());
  EXPECT_THROW(decoder.EncodedSize(), Error);
  std::vector<int32_t> out(1000);
  EXPECT_THROW(decoder.Decode(out.data(), 1000), Error);
}

TEST(DeltaBinaryPackedTest, TruncationAtEveryByteThrows) {
  std::mt19937_64 rng(5);
  std::vector<int32_t> values(300);
  for (auto& v : values) v = static_cast<int32_t>(rng() % 5000);
  const std::string encoded = Encode(values);
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    const Bytes data(encoded.begin(), encoded.begin() + static_cast<ptrdiff_t>(cut));
    EXPECT_THROW(DecodeAll<int32_t>(data, 64), Error) << cut;
    EXPECT_THROW(DeltaBinaryPackedDecoder<int32_t>(data.data(), data.size()).EncodedSize(), Error);
  }
}

// ---------------------------------------------------------------------------------------------

std::vector<std::string> RandomStrings(size_t n, uint32_t seed, bool sorted) {
  std::mt19937 rng(seed);
  std::vector<std::string> out(n);
  for (auto& s : out) {
    const size_t len = rng() % 10 == 0 ? 0 : rng() % 30;
    for (size_t i = 0; i < len; ++i) s.push_back(static_cast<char>('a' + rng() % 4));
  }
  if (!out.empty()) out[n / 2] = std::string(100000, 'z');  // One long value.
  if (sorted) std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string_view> Views(const std::vector<std::string>& strings) {
  return std::vector<std::string_view>(strings.begin(), strings.end());
}

template <typename Decoder, typename... Args>
std::vector<std::string> DecodeStrings(const Bytes& data, int64_t batch, Args... args) {
  Decoder decoder(data.data(), data.size(), args...);
  std::vector<std::string_view> views(static_cast<size_t>(decoder.TotalValues()));
  int64_t done = 0;
  while (done < decoder.TotalValues()) {
    const int64_t got = decoder.Decode(views.data() + done, batch);
    if (got == 0) break;
    done += got;
  }
  // Views of earlier batches are still valid here, after later batches were decoded.
  return std::vector<std::string>(views.begin(), views.end());
}

template <typename Encoder>
std::string EncodeStrings(const std::vector<std::string>& strings) {
  const auto views = Views(strings);
  Encoder encoder;
  encoder.Put(views.data(), static_cast<int64_t>(views.size()));
  std::string out;
  encoder.Flush(&out);
  return out;
}

TEST(DeltaLengthByteArrayTest, EncodesTheSpecExampleAsLengthsThenBytes) {
  const std::vector<std::string> values = {"Hello", "World", "Foobar", "ABCDEF"};
  const std::string encoded = EncodeStrings<DeltaLengthByteArrayEncoder>(values);
  EXPECT_EQ(encoded, Encode<int32_t>({5, 5, 6, 6}) + "HelloWorldFoobarABCDEF");
  EXPECT_EQ(DecodeStrings<DeltaLengthByteArrayDecoder>(ToBytes(encoded), 3), values);
}

TEST(DeltaLengthByteArrayTest, RoundTripsRandomStringsInAnyBatchSize) {
  for (size_t n : {0, 1, 129, 3000}) {
    const auto values = RandomStrings(n, static_cast<uint32_t>(n), false);
    const Bytes data = ToBytes(EncodeStrings<DeltaLengthByteArrayEncoder>(values));
    for (int64_t batch : {1, 100, 1 << 20}) {
      EXPECT_EQ(DecodeStrings<DeltaLengthByteArrayDecoder>(data, batch), values);
    }
    DeltaLengthByteArrayDecoder decoder(data.data(), data.size());
    std::vector<std::string_view> out(n);
    decoder.Decode(out.data(), static_cast<int64_t>(n));
    EXPECT_EQ(decoder.BytesConsumed(), data.size());
  }
}

TEST(DeltaLengthByteArrayTest, RejectsNegativeLengthsAndLengthsBeyondTheData) {
  const Bytes negative = ToBytes(Encode<int32_t>({3, -1}) + "abc");
  EXPECT_THROW(DecodeStrings<DeltaLengthByteArrayDecoder>(negative, 10), Error);
  const Bytes beyond = ToBytes(Encode<int32_t>({3, 5}) + "abcde");
  EXPECT_THROW(DecodeStrings<DeltaLengthByteArrayDecoder>(beyond, 10), Error);
}

TEST(DeltaLengthByteArrayTest, TruncationAtEveryByteThrows) {
  const std::string encoded = EncodeStrings<DeltaLengthByteArrayEncoder>(
      {"a", "bc", "", "defgh", "ijklmnopqrstu", "v", "wx", "yz"});
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    const Bytes data(encoded.begin(), encoded.begin() + static_cast<ptrdiff_t>(cut));
    EXPECT_THROW(DecodeStrings<DeltaLengthByteArrayDecoder>(data, 3), Error) << cut;
  }
}

TEST(DeltaByteArrayTest, EncodesTheSpecExampleAsPrefixesThenSuffixes) {
  const std::vector<std::string> values = {"axis", "axle", "babble", "babyhood"};
  const std::string encoded = EncodeStrings<DeltaByteArrayEncoder>(values);
  EXPECT_EQ(encoded,
            Encode<int32_t>({0, 2, 0, 3}) + Encode<int32_t>({4, 2, 6, 5}) + "axislebabbleyhood");
  EXPECT_EQ(DecodeStrings<DeltaByteArrayDecoder>(ToBytes(encoded), 1), values);
}

TEST(DeltaByteArrayTest, RoundTripsSortedAndUnsortedStringsInAnyBatchSize) {
  for (bool sorted : {false, true}) {
    for (size_t n : {0, 1, 129, 3000}) {
      auto values = RandomStrings(n, static_cast<uint32_t>(n + 9), sorted);
      values.insert(values.end(), {"repeat", "repeat", "rep", "", "repeat!", "repeat"});
      const Bytes data = ToBytes(EncodeStrings<DeltaByteArrayEncoder>(values));
      for (int64_t batch : {1, 7, 1 << 20}) {
        EXPECT_EQ(DecodeStrings<DeltaByteArrayDecoder>(data, batch), values);
      }
    }
  }
}

std::string DeltaByteArrayOf(const std::vector<int32_t>& prefixes,
                             const std::vector<std::string>& suffixes) {
  return Encode(prefixes) + EncodeStrings<DeltaLengthByteArrayEncoder>(suffixes);
}

TEST(DeltaByteArrayTest, RejectsPrefixesLongerThanThePreviousValueOrNegative) {
  const Bytes too_long = ToBytes(DeltaByteArrayOf({0, 3}, {"ab", "c"}));
  EXPECT_THROW(DecodeStrings<DeltaByteArrayDecoder>(too_long, 10), Error);
  const Bytes first = ToBytes(DeltaByteArrayOf({1}, {"ab"}));
  EXPECT_THROW(DecodeStrings<DeltaByteArrayDecoder>(first, 10), Error);
  const Bytes negative = ToBytes(DeltaByteArrayOf({0, -1}, {"ab", "c"}));
  EXPECT_THROW(DecodeStrings<DeltaByteArrayDecoder>(negative, 10), Error);
}

TEST(DeltaByteArrayTest, RejectsDifferentCountsOfPrefixesAndSuffixes) {
  const Bytes data = ToBytes(DeltaByteArrayOf({0, 1, 1}, {"ab", "c"}));
  EXPECT_THROW(DecodeStrings<DeltaByteArrayDecoder>(data, 10), Error);
}

TEST(DeltaByteArrayTest, StopsRebuildingValuesBeyondTheByteLimit) {
  // Each value repeats the previous 100 bytes and adds one: a few input bytes, large output.
  std::vector<int32_t> prefixes = {0};
  std::vector<std::string> suffixes = {std::string(100, 'a')};
  for (int i = 0; i < 50; ++i) {
    prefixes.push_back(100);
    suffixes.push_back("b");
  }
  const Bytes data = ToBytes(DeltaByteArrayOf(prefixes, suffixes));
  EXPECT_EQ(DecodeStrings<DeltaByteArrayDecoder>(data, 10, size_t{50 * 101}).size(), 51u);
  EXPECT_THROW(DecodeStrings<DeltaByteArrayDecoder>(data, 10, size_t{1000}), Error);
}

TEST(DeltaByteArrayTest, TruncationAtEveryByteThrows) {
  const std::string encoded = EncodeStrings<DeltaByteArrayEncoder>(
      {"axis", "axle", "babble", "babyhood", "baby", "c", "cc", "ccc"});
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    const Bytes data(encoded.begin(), encoded.begin() + static_cast<ptrdiff_t>(cut));
    EXPECT_THROW(DecodeStrings<DeltaByteArrayDecoder>(data, 3), Error) << cut;
  }
}

}  // namespace
}  // namespace sluice::io::parquet
