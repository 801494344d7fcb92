// Tests of the bit helpers and of the RLE/bit-packed hybrid: the spec's byte examples, round
// trips of every bit width on random data, and corrupt input that must throw sluice::Error
// without reading outside the (exactly sized, so ASan-checked) buffer.
#include "io/parquet/format/rle.h"

#include <gtest/gtest.h>

#include <algorithm>
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

/// Values with both long runs and noise, so that the encoder emits both kinds of runs.
std::vector<uint64_t> RandomValues(int bit_width, size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> values;
  values.reserve(n);
  const uint64_t mask = LowBitsMask(bit_width);
  while (values.size() < n) {
    const uint64_t v = rng() & mask;
    const size_t run = rng() % 4 == 0 ? 1 + rng() % 40 : 1;
    for (size_t i = 0; i < run && values.size() < n; ++i) values.push_back(v);
  }
  return values;
}

std::string Encode(const std::vector<uint64_t>& values, int bit_width) {
  RleBitPackedEncoder encoder(bit_width);
  encoder.PutBatch(values.data(), static_cast<int64_t>(values.size()));
  std::string out;
  encoder.Flush(&out);
  return out;
}

/// Decodes n values in batches of `batch` into T and widens them for comparison.
template <typename T>
std::vector<uint64_t> Decode(const Bytes& data, int bit_width, size_t n, int64_t batch) {
  RleBitPackedDecoder decoder(data.data(), data.size(), bit_width);
  std::vector<T> out(n);
  size_t done = 0;
  while (done < n) {
    const int64_t want = std::min<int64_t>(batch, static_cast<int64_t>(n - done));
    const int64_t got = decoder.GetBatch(out.data() + done, want);
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  out.resize(done);
  std::vector<uint64_t> wide;
  for (T v : out) wide.push_back(static_cast<uint64_t>(static_cast<std::make_unsigned_t<T>>(v)));
  return wide;
}

TEST(BitUtilTest, Unpack32MatchesTheScalarUnpackerForEveryWidth) {
  std::mt19937_64 rng(1);
  for (int w = 0; w <= 64; ++w) {
    Bytes packed(4 * static_cast<size_t>(w) * 3);
    for (auto& b : packed) b = static_cast<uint8_t>(rng());
    std::vector<uint64_t> fast(96), slow(96);
    UnpackGroupsOf32<uint64_t>(packed.data(), fast.data(), w, 3);
    UnpackScalar(packed.data(), w, 0, slow.data(), 96);
    EXPECT_EQ(fast, slow) << "width " << w;
    if (w <= 32) {
      std::vector<uint32_t> fast32(96);
      UnpackGroupsOf32<uint32_t>(packed.data(), fast32.data(), w, 3);
      EXPECT_EQ(std::vector<uint64_t>(fast32.begin(), fast32.end()), slow) << "width " << w;
    }
  }
}

TEST(BitUtilTest, PackBitsAndUnpackScalarRoundTripEveryWidth) {
  for (int w = 0; w <= 64; ++w) {
    const auto values = RandomValues(w, 77, static_cast<uint32_t>(w));
    std::string packed;
    PackBits(values.data(), 77, w, &packed);
    EXPECT_EQ(packed.size(), static_cast<size_t>(77 * w + 7) / 8);
    std::vector<uint64_t> out(77);
    UnpackScalar(reinterpret_cast<const uint8_t*>(packed.data()), w, 0, out.data(), 77);
    EXPECT_EQ(out, values) << "width " << w;
  }
}

TEST(BitUtilTest, Uleb128RejectsTruncatedAndOverlongVarints) {
  const Bytes max = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  const uint8_t* p = max.data();
  uint64_t v = 0;
  ASSERT_TRUE(ReadUleb128(p, max.data() + max.size(), &v));
  EXPECT_EQ(v, ~uint64_t{0});
  const Bytes overlong = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
  p = overlong.data();
  EXPECT_FALSE(ReadUleb128(p, overlong.data() + overlong.size(), &v));
  const Bytes endless(20, 0x80);
  p = endless.data();
  EXPECT_FALSE(ReadUleb128(p, endless.data() + endless.size(), &v));
  const Bytes truncated = {0x80, 0x80};
  p = truncated.data();
  EXPECT_FALSE(ReadUleb128(p, truncated.data() + truncated.size(), &v));
}

TEST(BitUtilTest, ZigZagMapsSmallMagnitudesToSmallCodes) {
  EXPECT_EQ(ZigZagEncode64(0), 0u);
  EXPECT_EQ(ZigZagEncode64(static_cast<uint64_t>(int64_t{-1})), 1u);
  EXPECT_EQ(ZigZagEncode64(1), 2u);
  EXPECT_EQ(ZigZagDecode64(ZigZagEncode64(static_cast<uint64_t>(INT64_MIN))),
            static_cast<uint64_t>(INT64_MIN));
}

TEST(RleBitPackedTest, LevelBitWidthIsTheBitsOfTheMaximumLevel) {
  EXPECT_EQ(LevelBitWidth(0), 0);
  EXPECT_EQ(LevelBitWidth(1), 1);
  EXPECT_EQ(LevelBitWidth(2), 2);
  EXPECT_EQ(LevelBitWidth(3), 2);
  EXPECT_EQ(LevelBitWidth(4), 3);
  EXPECT_THROW(LevelBitWidth(-1), Error);
}

TEST(RleBitPackedTest, DecodesTheSpecBitPackingExample) {
  // Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010; header 1 group.
  const Bytes data = {0x03, 0x88, 0xC6, 0xFA};
  EXPECT_EQ(Decode<uint32_t>(data, 3, 8, 8), (std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(Encode({0, 1, 2, 3, 4, 5, 6, 7}, 3), std::string("\x03\x88\xC6\xFA", 4));
}

TEST(RleBitPackedTest, DecodesRleRunsWhoseValueTakesTheBitWidthRoundedUpToBytes) {
  // Header 5 << 1 then a 1-byte value; header 3 << 1 then a 2-byte little-endian value.
  EXPECT_EQ(Decode<uint32_t>({0x0A, 0x04}, 3, 5, 5), (std::vector<uint64_t>(5, 4)));
  EXPECT_EQ(Decode<uint32_t>({0x06, 0x34, 0x12}, 13, 3, 2), (std::vector<uint64_t>(3, 0x1234)));
  EXPECT_EQ(Decode<uint32_t>({0x0A, 0x04, 0x06, 0x02}, 3, 8, 3),
            (std::vector<uint64_t>{4, 4, 4, 4, 4, 2, 2, 2}));
}

TEST(RleBitPackedTest, RejectsAnRleValueWiderThanTheBitWidth) {
  const Bytes data = {0x0A, 0x08};
  RleBitPackedDecoder decoder(data.data(), data.size(), 3);
  uint32_t out[5];
  EXPECT_THROW(decoder.GetBatch(out, 5), Error);
}

TEST(RleBitPackedTest, RoundTripsEveryBitWidthAndBatchSize) {
  for (int w = 0; w <= 64; ++w) {
    for (size_t n : {0, 1, 7, 8, 9, 31, 32, 33, 100, 1000, 5000}) {
      const auto values = RandomValues(w, n, static_cast<uint32_t>(w * 7919 + n));
      const Bytes data = ToBytes(Encode(values, w));
      for (int64_t batch : {1, 5, 32, 100, 100000}) {
        ASSERT_EQ(Decode<uint64_t>(data, w, n, batch), values) << w << " " << n << " " << batch;
        if (w <= 32) {
          ASSERT_EQ(Decode<uint32_t>(data, w, n, batch), values);
        }
        if (w <= 16) {
          ASSERT_EQ(Decode<int16_t>(data, w, n, batch), values);
        }
        if (w <= 8) {
          ASSERT_EQ(Decode<uint8_t>(data, w, n, batch), values);
        }
      }
    }
  }
}

TEST(RleBitPackedTest, EncodesRunsLongerThan32768AsOneSmallRun) {
  std::vector<uint64_t> values(100000, 5);
  values.insert(values.end(), {1, 2, 3});
  values.insert(values.end(), 70000, 0);
  const std::string encoded = Encode(values, 3);
  EXPECT_LT(encoded.size(), 16u);
  EXPECT_EQ(Decode<uint32_t>(ToBytes(encoded), 3, values.size(), 4096), values);
}

TEST(RleBitPackedTest, FlushResetsTheEncoderAndAddsALengthPrefixOnRequest) {
  RleBitPackedEncoder encoder(1);
  for (int i = 0; i < 20; ++i) encoder.Put(static_cast<uint64_t>(i % 3 == 0));
  std::string out = "xy";
  encoder.FlushWithLengthPrefix(&out);
  encoder.Put(1);
  std::string second;
  encoder.Flush(&second);
  EXPECT_EQ(second, std::string("\x02\x01", 2));  // One RLE run of a single 1.

  const Bytes data(out.begin() + 2, out.end());
  size_t consumed = 0;
  auto decoder = RleBitPackedDecoder::WithLengthPrefix(data.data(), data.size(), 1, &consumed);
  EXPECT_EQ(consumed, data.size());
  uint8_t levels[20];
  ASSERT_EQ(decoder.GetBatch(levels, 20), 20);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(levels[i], i % 3 == 0) << i;
}

TEST(RleBitPackedTest, RejectsALengthPrefixBeyondTheData) {
  const Bytes data = {0x05, 0x00, 0x00, 0x00, 0x02, 0x01};
  size_t consumed = 0;
  EXPECT_THROW(RleBitPackedDecoder::WithLengthPrefix(data.data(), data.size(), 1, &consumed),
               Error);
  EXPECT_THROW(RleBitPackedDecoder::WithLengthPrefix(data.data(), 3, 1, &consumed), Error);
}

TEST(RleBitPackedTest, RejectsBitWidthsOutside0To64AndOutputsTooNarrow) {
  const Bytes data = {0x02, 0x01};
  EXPECT_THROW(RleBitPackedDecoder(data.data(), data.size(), 65), Error);
  EXPECT_THROW(RleBitPackedDecoder(data.data(), data.size(), -1), Error);
  EXPECT_THROW(RleBitPackedEncoder(65), Error);
  RleBitPackedDecoder wide(data.data(), data.size(), 33);
  uint32_t out32[1];
  EXPECT_THROW(wide.GetBatch(out32, 1), Error);
  uint8_t out8[1];
  RleBitPackedDecoder nine(data.data(), data.size(), 9);
  EXPECT_THROW(nine.GetBatch(out8, 1), Error);
}

TEST(RleBitPackedTest, RejectsEmptyRunsAndOverlongHeaders) {
  uint32_t out[8];
  for (const Bytes& data : {Bytes{0x00, 0x01}, Bytes{0x01}, Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x7F}}) {
    RleBitPackedDecoder decoder(data.data(), data.size(), 1);
    EXPECT_THROW(decoder.GetBatch(out, 8), Error);
  }
}

TEST(RleBitPackedTest, ServesAHugeRunWithoutAllocatingOrLooping) {
  // An RLE run of 2^31 - 1 copies: a batch gets exactly what it asks for.
  const Bytes data = {0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x07};
  RleBitPackedDecoder decoder(data.data(), data.size(), 3);
  std::vector<uint32_t> out(1000);
  EXPECT_EQ(decoder.GetBatch(out.data(), 1000), 1000);
  EXPECT_EQ(out[999], 7u);
  // A bit-packed header claiming 2^30 groups over 3 bytes yields only the 8 values present.
  const Bytes packed = {0x81, 0x80, 0x80, 0x80, 0x08, 0x88, 0xC6, 0xFA};
  RleBitPackedDecoder bounded(packed.data(), packed.size(), 3);
  EXPECT_EQ(bounded.GetBatch(out.data(), 1000), 8);
}

TEST(RleBitPackedTest, KeepsTheValuesPresentInABitPackedRunCutShort) {
  // One group of 8 values of width 3 needs 3 bytes; with 2 bytes, 5 whole values are present.
  const Bytes data = {0x03, 0x88, 0xC6};
  EXPECT_EQ(Decode<uint32_t>(data, 3, 8, 8), (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(Decode<uint8_t>(data, 3, 8, 1), (std::vector<uint64_t>{0, 1, 2, 3, 4}));
}

TEST(RleBitPackedTest, DecodesShortAlternatingRunsInUnalignedBatches) {
  // Levels with 10% nulls: many bit-packed runs of 8..24 values between short RLE runs.
  std::mt19937 rng(9);
  std::vector<uint64_t> levels(20000);
  for (auto& v : levels) v = rng() % 10 != 0;
  const Bytes data = ToBytes(Encode(levels, 1));
  for (int64_t batch : {3, 8, 13, 4096}) {
    EXPECT_EQ(Decode<int16_t>(data, 1, levels.size(), batch), levels) << batch;
    EXPECT_EQ(Decode<uint32_t>(data, 1, levels.size(), batch), levels) << batch;
  }
}

TEST(RleBitPackedTest, TruncationAtEveryByteThrowsOrDecodesFewerValues) {
  for (int w : {1, 3, 8, 13, 32, 64}) {
    const auto values = RandomValues(w, 300, static_cast<uint32_t>(w));
    const std::string encoded = Encode(values, w);
    for (size_t cut = 0; cut < encoded.size(); ++cut) {
      const Bytes data(encoded.begin(), encoded.begin() + static_cast<ptrdiff_t>(cut));
      try {
        const auto got = Decode<uint64_t>(data, w, values.size(), 64);
        // Cutting only bit-packed padding may leave every value intact.
        ASSERT_TRUE(got.size() < values.size() || got == values) << w << " " << cut;
        ASSERT_TRUE(std::equal(got.begin(), got.end(), values.begin())) << w << " " << cut;
      } catch (const Error&) {
      }
    }
  }
}

TEST(DictionaryIndexTest, DecodesIndicesAfterTheBitWidthByte) {
  std::vector<uint64_t> indices;
  for (int i = 0; i < 1000; ++i) indices.push_back(static_cast<uint64_t>((i * 37) % 600));
  std::string data(1, '\x0A');
  data += Encode(indices, 10);
  const Bytes bytes = ToBytes(data);
  DictionaryIndexDecoder decoder(bytes.data(), bytes.size(), 600);
  EXPECT_EQ(decoder.bit_width(), 10);
  std::vector<uint32_t> out(1000);
  ASSERT_EQ(decoder.GetBatch(out.data(), 1000), 1000);
  EXPECT_EQ(std::vector<uint64_t>(out.begin(), out.end()), indices);
}

TEST(DictionaryIndexTest, RejectsAnIndexOutsideTheDictionary) {
  std::string data(1, '\x0A');
  data += Encode({1, 2, 599, 3}, 10);
  const Bytes bytes = ToBytes(data);
  DictionaryIndexDecoder decoder(bytes.data(), bytes.size(), 599);
  uint32_t out[4];
  EXPECT_THROW(decoder.GetBatch(out, 4), Error);
}

TEST(DictionaryIndexTest, RejectsABitWidthAbove32AndAcceptsAnEmptyPage) {
  const Bytes wide = {33, 0x02, 0x00};
  EXPECT_THROW(DictionaryIndexDecoder(wide.data(), wide.size(), 10), Error);
  DictionaryIndexDecoder empty(nullptr, 0, 0);
  uint32_t out[1];
  EXPECT_EQ(empty.GetBatch(out, 1), 0);
}

}  // namespace
}  // namespace sluice::io::parquet
