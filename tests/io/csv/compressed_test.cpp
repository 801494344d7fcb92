// Tests of gzip and zstd input: the same rows as the plain file (also with blocks smaller than
// the compressed pieces), several gzip members and zstd frames in a row, and truncated or
// corrupt data reported as errors naming the file.
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "io/csv/byte_source.h"
#include "io/csv/csv_test_util.h"

namespace sluice::io::csv {
namespace {

using sluice::test::TempDir;
using test::Rows;
using test::Scan;

std::string Gzip(const std::string& text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  size_t size = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(size));
  out.resize(size);
  return out;
}

std::string SampleCsv(int rows) {
  std::string text = "id,name\n";
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(i) +
            (i % 10 == 0 ? ",\"multi\nline\"\n" : ",plain" + std::to_string(i) + "\n");
  }
  return text;
}

TEST(CsvCompressedTest, ReadsGzipAndZstdLikeThePlainFile) {
  TempDir dir;
  const std::string text = SampleCsv(20000);
  Rows expected = Scan({dir.WriteFile("plain.csv", text)}).rows;
  ASSERT_EQ(expected.size(), 20000u);
  std::string gz = dir.WriteFile("data.csv.gz", Gzip(text));
  std::string zst = dir.WriteFile("data.CSV.ZST", Zstd(text));
  EXPECT_EQ(Scan({gz}).rows, expected);
  EXPECT_EQ(Scan({zst}).rows, expected);
  CsvReadOptions small_sample;
  small_sample.sample_rows = 10;  // Or sniffing reads the whole file as its first block.
  EXPECT_EQ(Scan({gz}, small_sample, test::Tiny(1000, 100)).rows, expected);
  EXPECT_EQ(Scan({zst}, small_sample, test::Tiny(1000, 100)).rows, expected);
}

TEST(CsvCompressedTest, ReadsConcatenatedGzipMembersAndZstdFrames) {
  TempDir dir;
  std::string first = "a,b\n1,x\n2,";
  std::string second = "y\n3,z\n";
  Rows expected = {{"1", "x"}, {"2", "y"}, {"3", "z"}};
  EXPECT_EQ(Scan({dir.WriteFile("two.csv.gz", Gzip(first) + Gzip(second))}).rows, expected);
  EXPECT_EQ(Scan({dir.WriteFile("two.csv.zst", Zstd(first) + Zstd(second))}).rows, expected);
}

TEST(CsvCompressedTest, ReportsTruncatedInput) {
  TempDir dir;
  std::string gz = Gzip(SampleCsv(1000));
  std::string zst = Zstd(SampleCsv(1000));
  EXPECT_TRUE(
      test::Contains(test::ScanError(dir, gz.substr(0, gz.size() / 2), {}, {}, "cut.csv.gz"),
                     "cut.csv.gz': truncated gzip data"));
  EXPECT_TRUE(
      test::Contains(test::ScanError(dir, zst.substr(0, zst.size() - 3), {}, {}, "cut.csv.zst"),
                     "cut.csv.zst': truncated zstd data"));
}

TEST(CsvCompressedTest, ReportsCorruptInput) {
  TempDir dir;
  EXPECT_TRUE(test::Contains(test::ScanError(dir, "not gzip at all", {}, {}, "bad.csv.gz"),
                             "bad.csv.gz': corrupt gzip data"));
  EXPECT_TRUE(test::Contains(test::ScanError(dir, "not zstd at all", {}, {}, "bad.csv.zst"),
                             "bad.csv.zst': corrupt zstd data"));
  std::string gz = Gzip("a,b\n1,2\n");
  EXPECT_TRUE(test::Contains(test::ScanError(dir, gz + "trailing junk", {}, {}, "junk.csv.gz"),
                             "corrupt gzip data"));
}

TEST(CsvCompressedTest, ReadsAnEmptyCompressedFileAsEmpty) {
  TempDir dir;
  EXPECT_TRUE(test::Contains(test::ScanError(dir, "", {}, {}, "empty.csv.gz"), "is empty"));
  EXPECT_TRUE(test::Contains(test::ScanError(dir, Zstd(""), {}, {}, "empty.csv.zst"), "is empty"));
}

TEST(CsvCompressedTest, TellsCompressionFromTheName) {
  EXPECT_EQ(CompressionFromPath("a.csv.gz"), CsvCompression::kGzip);
  EXPECT_EQ(CompressionFromPath("a.CSV.GZ"), CsvCompression::kGzip);
  EXPECT_EQ(CompressionFromPath("a.tsv.zst"), CsvCompression::kZstd);
  EXPECT_EQ(CompressionFromPath("a.csv"), CsvCompression::kNone);
  EXPECT_EQ(CompressionFromPath("gz"), CsvCompression::kNone);
}

}  // namespace
}  // namespace sluice::io::csv
