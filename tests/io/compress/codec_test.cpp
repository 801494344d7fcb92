// Tests the Codec interface: every codec round-trips, and corrupt, truncated or mis-sized input
// gives a sluice::Error instead of a crash (run these under ASan/UBSan to make that meaningful).
#include "io/compress/codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include "core/error.h"

namespace sluice::io {
namespace {

using Bytes = std::vector<uint8_t>;

const Codec kWritableCodecs[] = {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip,
                                 Codec::kBrotli,       Codec::kLz4,    Codec::kZstd,
                                 Codec::kLz4Raw};

/// Makes text-like data that compresses well, larger than one Hadoop LZ4 block (256 KiB).
Bytes CompressibleData(size_t size) {
  Bytes data(size);
  std::mt19937 rng(42);
  const std::string words[] = {"alpha ", "beta ", "gamma ", "delta ", "12345 ", "\n"};
  size_t i = 0;
  while (i < size) {
    for (char c : words[rng() % 6]) {
      if (i == size) break;
      data[i++] = static_cast<uint8_t>(c);
    }
  }
  return data;
}

Bytes RandomData(size_t size, uint32_t seed) {
  Bytes data(size);
  std::mt19937 rng(seed);
  for (auto& byte : data) byte = static_cast<uint8_t>(rng());
  return data;
}

std::string CompressToString(Codec codec, const Bytes& data, int level = 0) {
  std::string out;
  Compress(codec, data.data(), data.size(), &out, level);
  return out;
}

Bytes DecompressToBytes(Codec codec, const std::string& compressed, size_t size) {
  Bytes out(size);
  Decompress(codec, reinterpret_cast<const uint8_t*>(compressed.data()), compressed.size(),
             out.data(), out.size());
  return out;
}

/// Runs a decompression that must fail and returns the error, checking it is invalid input.
template <typename Fn>
Error ExpectInvalid(Fn&& fn) {
  try {
    fn();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    return error;
  }
  ADD_FAILURE() << "expected a sluice::Error";
  return Error(ErrorKind::kInternal, "no error");
}

class CodecRoundTripTest : public ::testing::TestWithParam<Codec> {};

TEST_P(CodecRoundTripTest, RestoresCompressibleData) {
  const Bytes data = CompressibleData(700 * 1024);
  const std::string compressed = CompressToString(GetParam(), data);
  if (GetParam() != Codec::kUncompressed) {
    EXPECT_LT(compressed.size(), data.size() / 2);
  }
  EXPECT_EQ(DecompressToBytes(GetParam(), compressed, data.size()), data);
}

TEST_P(CodecRoundTripTest, RestoresIncompressibleData) {
  const Bytes data = RandomData(300 * 1024 + 7, 1);
  EXPECT_EQ(DecompressToBytes(GetParam(), CompressToString(GetParam(), data), data.size()), data);
}

TEST_P(CodecRoundTripTest, RestoresEmptyInput) {
  const Bytes empty;
  const std::string compressed = CompressToString(GetParam(), empty);
  EXPECT_EQ(DecompressToBytes(GetParam(), compressed, 0), empty);
}

TEST_P(CodecRoundTripTest, RestoresSingleByte) {
  const Bytes data = {0x5a};
  EXPECT_EQ(DecompressToBytes(GetParam(), CompressToString(GetParam(), data), 1), data);
}

TEST_P(CodecRoundTripTest, ProducesIdenticalBytesOnEveryRun) {
  const Bytes data = CompressibleData(100 * 1024);
  EXPECT_EQ(CompressToString(GetParam(), data), CompressToString(GetParam(), data));
}

TEST_P(CodecRoundTripTest, ReplacesContentsOfReusedOutputString) {
  const Bytes large = RandomData(50000, 2);
  const Bytes small = CompressibleData(1000);
  std::string out;
  Compress(GetParam(), large.data(), large.size(), &out);
  Compress(GetParam(), small.data(), small.size(), &out);
  EXPECT_EQ(DecompressToBytes(GetParam(), out, small.size()), small);
}

TEST_P(CodecRoundTripTest, RejectsDeclaredSizeOneByteTooSmall) {
  const Bytes data = CompressibleData(10000);
  const std::string compressed = CompressToString(GetParam(), data);
  const Error error = ExpectInvalid([&] { DecompressToBytes(GetParam(), compressed, 9999); });
  EXPECT_NE(std::string(error.what()).find(CodecName(GetParam())), std::string::npos)
      << error.what();
}

TEST_P(CodecRoundTripTest, RejectsDeclaredSizeOneByteTooLarge) {
  const Bytes data = CompressibleData(10000);
  const std::string compressed = CompressToString(GetParam(), data);
  ExpectInvalid([&] { DecompressToBytes(GetParam(), compressed, 10001); });
}

TEST_P(CodecRoundTripTest, RejectsEmptyInputForNonEmptyPage) {
  ExpectInvalid([&] { DecompressToBytes(GetParam(), std::string(), 100); });
}

TEST_P(CodecRoundTripTest, RejectsStreamTruncatedAtAnyPosition) {
  const Bytes data = CompressibleData(5000);
  const std::string compressed = CompressToString(GetParam(), data);
  for (size_t length = 0; length < compressed.size(); ++length) {
    SCOPED_TRACE(length);
    ExpectInvalid(
        [&] { DecompressToBytes(GetParam(), compressed.substr(0, length), data.size()); });
  }
}

TEST_P(CodecRoundTripTest, SurvivesCorruptedBytesWithoutCrashing) {
  // Codecs without checksums may decode a flipped literal into different bytes of the right
  // length; what matters is that every outcome is either such a result or a sluice::Error.
  const Bytes data = CompressibleData(20000);
  const std::string compressed = CompressToString(GetParam(), data);
  std::mt19937 rng(7);
  int errors = 0;
  for (int trial = 0; trial < 500; ++trial) {
    std::string corrupt = compressed;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f)
      corrupt[rng() % corrupt.size()] ^= static_cast<char>(1 + rng() % 255);
    try {
      DecompressToBytes(GetParam(), corrupt, data.size());
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
      ++errors;
    }
  }
  if (GetParam() != Codec::kUncompressed) {
    EXPECT_GT(errors, 0);
  }
}

TEST_P(CodecRoundTripTest, SurvivesRandomGarbageWithoutCrashing) {
  for (uint32_t seed = 0; seed < 200; ++seed) {
    const Bytes garbage = RandomData(1 + seed * 7, seed);
    const std::string compressed(garbage.begin(), garbage.end());
    try {
      DecompressToBytes(GetParam(), compressed, 1000);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecRoundTripTest, ::testing::ValuesIn(kWritableCodecs),
                         [](const ::testing::TestParamInfo<Codec>& info) {
                           return std::string(CodecName(info.param));
                         });

TEST(CodecTest, RoundTripsAtExplicitLevels) {
  const Bytes data = CompressibleData(50000);
  for (auto [codec, level] : {std::pair{Codec::kZstd, 1},
                              {Codec::kZstd, 19},
                              {Codec::kZstd, -5},
                              {Codec::kGzip, 1},
                              {Codec::kGzip, 9},
                              {Codec::kBrotli, 1},
                              {Codec::kBrotli, 11},
                              {Codec::kLz4Raw, 1},
                              {Codec::kLz4Raw, 9},
                              {Codec::kLz4, 12}}) {
    SCOPED_TRACE(fmt::format("{} {}", CodecName(codec), level));
    EXPECT_EQ(DecompressToBytes(codec, CompressToString(codec, data, level), data.size()), data);
  }
}

TEST(CodecTest, RejectsLevelsOutsideTheCodecRange) {
  const Bytes data = CompressibleData(100);
  std::string out;
  EXPECT_THROW(Compress(Codec::kGzip, data.data(), data.size(), &out, 10), Error);
  EXPECT_THROW(Compress(Codec::kBrotli, data.data(), data.size(), &out, 12), Error);
  EXPECT_THROW(Compress(Codec::kZstd, data.data(), data.size(), &out, 1000), Error);
  EXPECT_THROW(Compress(Codec::kLz4Raw, data.data(), data.size(), &out, 13), Error);
}

TEST(CodecTest, WritesGzipFramingThatOtherReadersExpect) {
  const std::string compressed = CompressToString(Codec::kGzip, CompressibleData(1000));
  ASSERT_GE(compressed.size(), 18u);
  EXPECT_EQ(static_cast<uint8_t>(compressed[0]), 0x1f);
  EXPECT_EQ(static_cast<uint8_t>(compressed[1]), 0x8b);
}

TEST(CodecTest, ReadsZlibFramingAsGzip) {
  const Bytes data = CompressibleData(30000);
  uLongf size = compressBound(data.size());
  std::string compressed(size, '\0');
  ASSERT_EQ(
      compress2(reinterpret_cast<Bytef*>(compressed.data()), &size, data.data(), data.size(), 6),
      Z_OK);
  compressed.resize(size);
  EXPECT_EQ(DecompressToBytes(Codec::kGzip, compressed, data.size()), data);
}

TEST(CodecTest, ReadsConcatenatedGzipMembers) {
  const Bytes first = CompressibleData(3000);
  const Bytes second = RandomData(2000, 3);
  Bytes both = first;
  both.insert(both.end(), second.begin(), second.end());
  const std::string compressed =
      CompressToString(Codec::kGzip, first) + CompressToString(Codec::kGzip, second);
  EXPECT_EQ(DecompressToBytes(Codec::kGzip, compressed, both.size()), both);
}

TEST(CodecTest, WritesHadoopFramingForLz4) {
  const Bytes data = CompressibleData(1000);
  const std::string compressed = CompressToString(Codec::kLz4, data);
  ASSERT_GE(compressed.size(), 8u);
  // A single block: big-endian uncompressed size, then big-endian compressed size.
  EXPECT_EQ(compressed.substr(0, 4), std::string("\x00\x00\x03\xe8", 4));
  const std::string raw = compressed.substr(8);
  const uint32_t raw_size = static_cast<uint32_t>(raw.size());
  EXPECT_EQ(compressed.substr(4, 4),
            std::string({static_cast<char>(raw_size >> 24), static_cast<char>(raw_size >> 16),
                         static_cast<char>(raw_size >> 8), static_cast<char>(raw_size)}));
  EXPECT_EQ(DecompressToBytes(Codec::kLz4Raw, raw, data.size()), data);
}

TEST(CodecTest, ReadsRawLz4BlockUnderHadoopCodecAsOldParquetCppWrote) {
  const Bytes data = CompressibleData(40000);
  const std::string raw = CompressToString(Codec::kLz4Raw, data);
  EXPECT_EQ(DecompressToBytes(Codec::kLz4, raw, data.size()), data);
}

TEST(CodecTest, ReadsHadoopBlockSplitIntoSeveralChunks) {
  // Hadoop's BlockCompressorStream writes one uncompressed size, then several chunks.
  const Bytes first = CompressibleData(3000);
  const Bytes second = RandomData(500, 4);
  const std::string chunk1 = CompressToString(Codec::kLz4Raw, first);
  const std::string chunk2 = CompressToString(Codec::kLz4Raw, second);
  auto be32 = [](size_t v) {
    return std::string({static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                        static_cast<char>(v >> 8), static_cast<char>(v)});
  };
  const std::string framed =
      be32(3500) + be32(chunk1.size()) + chunk1 + be32(chunk2.size()) + chunk2;
  Bytes both = first;
  both.insert(both.end(), second.begin(), second.end());
  EXPECT_EQ(DecompressToBytes(Codec::kLz4, framed, both.size()), both);
}

TEST(CodecTest, AcceptsZeroBytesForAnEmptyPage) {
  for (Codec codec : kWritableCodecs) {
    EXPECT_NO_THROW(Decompress(codec, nullptr, 0, nullptr, 0)) << CodecName(codec);
  }
}

TEST(CodecTest, ReportsLzoAsUnsupported) {
  const uint8_t src[4] = {1, 2, 3, 4};
  uint8_t dst[4];
  try {
    Decompress(Codec::kLzo, src, 4, dst, 4);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
  }
}

TEST(CodecTest, ParsesCommandLineNamesCaseInsensitively) {
  EXPECT_EQ(ParseCodec("zstd"), Codec::kZstd);
  EXPECT_EQ(ParseCodec("ZSTD"), Codec::kZstd);
  EXPECT_EQ(ParseCodec("snappy"), Codec::kSnappy);
  EXPECT_EQ(ParseCodec("gzip"), Codec::kGzip);
  EXPECT_EQ(ParseCodec("lz4"), Codec::kLz4Raw);
  EXPECT_EQ(ParseCodec("lz4_raw"), Codec::kLz4Raw);
  EXPECT_EQ(ParseCodec("brotli"), Codec::kBrotli);
  EXPECT_EQ(ParseCodec("none"), Codec::kUncompressed);
  EXPECT_EQ(ParseCodec("uncompressed"), Codec::kUncompressed);
}

TEST(CodecTest, ListsValidNamesForUnknownName) {
  try {
    ParseCodec("zip");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("'zip'"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("zstd, snappy"), std::string::npos);
  }
}

TEST(CodecTest, NamesEveryCodecAndConvertsParquetIds) {
  EXPECT_STREQ(CodecName(Codec::kLz4Raw), "lz4_raw");
  EXPECT_STREQ(CodecName(static_cast<Codec>(42)), "unknown");
  EXPECT_EQ(CodecFromParquetId(6), Codec::kZstd);
  EXPECT_THROW(CodecFromParquetId(8), Error);
  EXPECT_THROW(CodecFromParquetId(-1), Error);
}

}  // namespace
}  // namespace sluice::io
