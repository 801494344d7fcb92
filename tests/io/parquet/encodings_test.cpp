// Tests of PLAIN and BYTE_STREAM_SPLIT: the spec's byte layouts, round trips of every physical
// type on random data, and corrupt input (bad lengths, truncation at every byte) that must throw
// sluice::Error or stop at a value boundary, never read outside the exactly sized buffer.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "core/error.h"
#include "io/parquet/format/byte_stream_split.h"
#include "io/parquet/format/plain.h"

namespace sluice::io::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ToBytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

template <typename T>
std::vector<T> RandomNumbers(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<T> out(n);
  for (auto& v : out) {
    const uint64_t bits = rng();
    std::memcpy(&v, &bits, sizeof(T));
  }
  return out;
}

TEST(PlainTest, RoundTripsFixedWidthNumbers) {
  const auto ints = RandomNumbers<int64_t>(1001, 1);
  std::string encoded;
  PlainEncode(ints.data(), 1001, &encoded);
  ASSERT_EQ(encoded.size(), 1001u * 8);
  const Bytes data = ToBytes(encoded);
  PlainFixedDecoder decoder(data.data(), data.size(), 8);
  std::vector<int64_t> out(1001);
  EXPECT_EQ(decoder.Decode(out.data(), 500), 500);
  EXPECT_EQ(decoder.Decode(out.data() + 500, 1000), 501);
  EXPECT_EQ(decoder.Decode(out.data(), 1), 0);
  EXPECT_EQ(out, ints);
  float* wrong = nullptr;
  EXPECT_THROW(decoder.Decode(wrong, 1), Error);
}

TEST(PlainTest, StoresInt32LittleEndianAndIgnoresAPartialTrailingValue) {
  const Bytes data = {0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x07};
  PlainFixedDecoder decoder(data.data(), data.size(), 4);
  EXPECT_EQ(decoder.ValuesLeft(), 2);
  int32_t out[3];
  ASSERT_EQ(decoder.Decode(out, 3), 2);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], -1);
  EXPECT_THROW(PlainFixedDecoder(data.data(), data.size(), 0), Error);
}

TEST(PlainTest, DecodesInt96AndFixedLenByteArraysAsViews) {
  const std::vector<std::string> values = {"abcdefghijkl", "ABCDEFGHIJKL", "012345678901"};
  const std::vector<std::string_view> views(values.begin(), values.end());
  std::string encoded;
  PlainEncodeFixedLenByteArray(views.data(), 3, 12, &encoded);
  EXPECT_EQ(encoded, values[0] + values[1] + values[2]);
  const Bytes data = ToBytes(encoded);
  PlainFixedDecoder decoder(data.data(), data.size(), 12);
  std::string_view out[4];
  ASSERT_EQ(decoder.DecodeViews(out, 4), 3);
  EXPECT_EQ(std::vector<std::string_view>(out, out + 3), views);
  const std::string_view short_value = "abc";
  EXPECT_THROW(PlainEncodeFixedLenByteArray(&short_value, 1, 12, &encoded), Error);
}

TEST(PlainTest, PacksBooleansLeastSignificantBitFirst) {
  const uint8_t values[10] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 0};
  PlainBoolEncoder encoder;
  encoder.Put(values, 3);
  encoder.Put(values + 3, 7);
  std::string encoded;
  encoder.Flush(&encoded);
  EXPECT_EQ(encoded, std::string("\x8D\x01", 2));
  const Bytes data = ToBytes(encoded);
  PlainBoolDecoder decoder(data.data(), data.size());
  uint8_t out[16];
  ASSERT_EQ(decoder.Decode(out, 10), 10);
  EXPECT_EQ(Bytes(out, out + 10), Bytes(values, values + 10));
  EXPECT_EQ(decoder.ValuesLeft(), 6);  // Padding bits; the page header says how many are values.
}

TEST(PlainTest, RoundTripsBooleansThroughBytesAndBitmapsAtAnyOffset) {
  std::mt19937 rng(7);
  Bytes values(1000);
  for (auto& v : values) v = static_cast<uint8_t>(rng() % 2);
  for (int64_t offset : {0, 1, 5, 8, 13}) {
    // Put as a bitmap starting at `offset`, decode into a bitmap at another offset and to bytes.
    Bytes bitmap((offset + 1000 + 7) / 8, 0);
    for (int64_t i = 0; i < 1000; ++i) {
      if (values[static_cast<size_t>(i)])
        bitmap[(offset + i) / 8] |= uint8_t(1u << ((offset + i) % 8));
    }
    PlainBoolEncoder encoder;
    encoder.PutBitmap(bitmap.data(), offset, 600);
    encoder.PutBitmap(bitmap.data(), offset + 600, 400);
    std::string encoded;
    encoder.Flush(&encoded);
    const Bytes data = ToBytes(encoded);

    PlainBoolDecoder as_bytes(data.data(), data.size());
    Bytes out(1000);
    ASSERT_EQ(as_bytes.Decode(out.data(), 3), 3);
    ASSERT_EQ(as_bytes.Decode(out.data() + 3, 997), 997);
    EXPECT_EQ(out, values);

    const int64_t dst_offset = (offset * 3) % 11;
    Bytes target((dst_offset + 1000 + 7) / 8 + 1, 0xAA);
    PlainBoolDecoder as_bits(data.data(), data.size());
    ASSERT_EQ(as_bits.DecodeToBitmap(target.data(), dst_offset, 77), 77);
    ASSERT_EQ(as_bits.DecodeToBitmap(target.data(), dst_offset + 77, 923), 923);
    for (int64_t i = 0; i < 1000; ++i) {
      ASSERT_EQ((target[(dst_offset + i) / 8] >> ((dst_offset + i) % 8)) & 1, values[i]) << i;
    }
    for (int64_t i = 0; i < dst_offset; ++i) EXPECT_EQ((target[0] >> i) & 1, (0xAA >> i) & 1);
    EXPECT_EQ(target.back(), 0xAA);  // Bytes past the last bit are untouched.
  }
}

TEST(PlainTest, RoundTripsByteArraysWithTheirLengthPrefixes) {
  const std::vector<std::string> values = {"", "a", "hello", std::string(70000, 'x'), ""};
  const std::vector<std::string_view> views(values.begin(), values.end());
  std::string encoded;
  PlainEncodeByteArray(views.data(), 5, &encoded);
  EXPECT_EQ(encoded.substr(0, 10), std::string("\0\0\0\0\x01\0\0\0a\x05", 10));
  const Bytes data = ToBytes(encoded);
  PlainByteArrayDecoder decoder(data.data(), data.size());
  std::string_view out[6];
  ASSERT_EQ(decoder.Decode(out, 2), 2);
  ASSERT_EQ(decoder.Decode(out + 2, 4), 3);
  EXPECT_EQ(std::vector<std::string_view>(out, out + 5), views);
  EXPECT_EQ(decoder.BytesConsumed(), data.size());
}

TEST(PlainTest, ByteArrayTruncationAtEveryByteThrowsOrStopsAtAValueBoundary) {
  const std::vector<std::string_view> views = {"abc", "", "defghij", "k"};
  std::string encoded;
  PlainEncodeByteArray(views.data(), 4, &encoded);
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    const Bytes data(encoded.begin(), encoded.begin() + static_cast<ptrdiff_t>(cut));
    PlainByteArrayDecoder decoder(data.data(), data.size());
    std::string_view out[4];
    try {
      const int64_t got = decoder.Decode(out, 4);
      EXPECT_LT(got, 4) << cut;
      EXPECT_EQ(std::vector<std::string_view>(out, out + got),
                std::vector<std::string_view>(views.begin(), views.begin() + got));
    } catch (const Error&) {
    }
  }
}

TEST(PlainTest, RejectsAByteArrayLengthBeyondTheData) {
  const Bytes data = {0xFF, 0xFF, 0xFF, 0x7F, 'a', 'b'};
  PlainByteArrayDecoder decoder(data.data(), data.size());
  std::string_view out[1];
  EXPECT_THROW(decoder.Decode(out, 1), Error);
}

// ---------------------------------------------------------------------------------------------

TEST(ByteStreamSplitTest, MatchesTheSpecExampleOfThreeFloats) {
  const Bytes values = {0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6};
  std::string encoded;
  ByteStreamSplitEncode(values.data(), 3, 4, &encoded);
  const Bytes expected = {0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6};
  EXPECT_EQ(ToBytes(encoded), expected);
  ByteStreamSplitDecoder decoder(expected.data(), expected.size(), 4);
  Bytes out(12);
  ASSERT_EQ(decoder.Decode(out.data(), 3), 3);
  EXPECT_EQ(out, values);
}

TEST(ByteStreamSplitTest, RoundTripsEveryWidthInAnyBatchSize) {
  for (int width : {1, 2, 3, 4, 5, 8, 12, 16}) {
    for (size_t n : {0, 1, 15, 16, 17, 33, 1000}) {
      const auto raw = RandomNumbers<uint8_t>(n * static_cast<size_t>(width), width * 1000 + n);
      std::string encoded;
      ByteStreamSplitEncode(raw.data(), static_cast<int64_t>(n), width, &encoded);
      const Bytes data = ToBytes(encoded);
      for (int64_t batch : {1, 17, 100000}) {
        ByteStreamSplitDecoder decoder(data.data(), data.size(), width);
        EXPECT_EQ(decoder.TotalValues(), static_cast<int64_t>(n));
        std::vector<uint8_t> out(raw.size());
        int64_t done = 0;
        while (int64_t got = decoder.Decode(out.data() + done * width, batch)) done += got;
        EXPECT_EQ(done, static_cast<int64_t>(n));
        EXPECT_EQ(out, raw) << width << " " << n << " " << batch;
      }
    }
  }
}

TEST(ByteStreamSplitTest, RoundTripsDoublesThroughTheTypedInterface) {
  const auto values = RandomNumbers<double>(777, 3);
  std::string encoded;
  ByteStreamSplitEncode(values.data(), 777, &encoded);
  const Bytes data = ToBytes(encoded);
  ByteStreamSplitDecoder decoder(data.data(), data.size(), 8);
  std::vector<double> out(777);
  ASSERT_EQ(decoder.Decode(out.data(), 777), 777);
  EXPECT_EQ(std::memcmp(out.data(), values.data(), 777 * 8), 0);
  int32_t* wrong = nullptr;
  EXPECT_THROW(decoder.Decode(wrong, 1), Error);
}

TEST(ByteStreamSplitTest, RejectsASizeThatIsNotAMultipleOfTheWidth) {
  const Bytes data(10);
  EXPECT_THROW(ByteStreamSplitDecoder(data.data(), data.size(), 4), Error);
  EXPECT_THROW(ByteStreamSplitDecoder(data.data(), data.size(), 0), Error);
  ByteStreamSplitDecoder ok(data.data(), data.size(), 5);
  EXPECT_EQ(ok.TotalValues(), 2);
}

}  // namespace
}  // namespace sluice::io::parquet
