// Tests of the CSV writer: RFC 4180 quoting, null and empty strings, the text of every type,
// delimiters, atomicity, and bytes that do not depend on how rows are split into batches.
#include "io/csv/writer.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>

#include "core/column_builder.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/temporal.h"
#include "io/csv/reader.h"
#include "testing/temp_dir.h"

namespace sluice::io::csv {
namespace {

struct NamedColumn {
  std::string name;
  Column column;
};

Batch MakeBatch(std::vector<NamedColumn> columns) {
  Batch batch;
  std::vector<Field> fields;
  for (auto& named : columns) {
    fields.push_back({named.name, named.column.type, true});
    batch.num_rows = named.column.length;
    batch.columns.push_back(std::move(named.column));
  }
  batch.schema = std::make_shared<Schema>(std::move(fields));
  return batch;
}

Column Strings(const std::vector<std::optional<std::string>>& values) {
  ColumnBuilder builder(Utf8());
  for (const auto& value : values) value ? builder.AppendString(*value) : builder.AppendNull();
  return builder.Finish();
}

template <typename T>
Column Fixed(const DataType& type, const std::vector<std::optional<T>>& values) {
  ColumnBuilder builder(type);
  for (const auto& value : values) value ? builder.Append<T>(*value) : builder.AppendNull();
  return builder.Finish();
}

Column Bools(const std::vector<std::optional<bool>>& values) {
  ColumnBuilder builder(Bool());
  for (const auto& value : values) value ? builder.AppendBool(*value) : builder.AppendNull();
  return builder.Finish();
}

Column BinaryValues(const DataType& type, const std::vector<std::optional<std::string>>& values) {
  ColumnBuilder builder(type);
  for (const auto& value : values) {
    if (!value) {
      builder.AppendNull();
    } else if (type.id == TypeId::kBinary) {
      builder.AppendString(*value);
    } else {
      builder.AppendFixed(value->data(), static_cast<int>(value->size()));
    }
  }
  return builder.Finish();
}

/// Writes the batches to a fresh file and returns its bytes.
std::string WriteCsv(const test::TempDir& dir, const std::vector<Batch>& batches,
                     CsvWriteOptions options = {}) {
  const std::string path = dir.Join("out.csv");
  CsvWriter writer(path, *batches.front().schema, options);
  for (const Batch& batch : batches) writer.Write(batch);
  writer.Close();
  const std::string bytes = test::ReadFile(path);
  EXPECT_EQ(writer.bytes_written(), bytes.size());
  return bytes;
}

TEST(CsvWriterTest, WritesAHeaderAndOneLinePerRow) {
  test::TempDir dir;
  Batch batch = MakeBatch({{"id", Fixed<int64_t>(Int64(), {1, -2, 3})},
                           {"name", Strings({"a", "b", "c"})},
                           {"ok", Bools({true, false, true})}});
  EXPECT_EQ(WriteCsv(dir, {batch}), "id,name,ok\n1,a,true\n-2,b,false\n3,c,true\n");
}

TEST(CsvWriterTest, QuotesFieldsHoldingDelimiterQuoteOrLineBreaks) {
  test::TempDir dir;
  Batch batch =
      MakeBatch({{"s", Strings({"a,b", "say \"hi\"", "two\nlines", "cr\rhere", "plain"})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "s\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n\"cr\rhere\"\nplain\n");
}

TEST(CsvWriterTest, QuotesFieldsWithLeadingOrTrailingSpaces) {
  test::TempDir dir;
  Batch batch = MakeBatch({{"s", Strings({" lead", "trail ", "\ttab", "in side"})}});
  EXPECT_EQ(WriteCsv(dir, {batch}), "s\n\" lead\"\n\"trail \"\n\"\ttab\"\nin side\n");
}

TEST(CsvWriterTest, WritesNullAsEmptyAndTheEmptyStringQuoted) {
  test::TempDir dir;
  Batch batch = MakeBatch({{"s", Strings({"", std::nullopt, "x"})},
                           {"n", Fixed<int32_t>(Int32(), {std::nullopt, 5, std::nullopt})}});
  EXPECT_EQ(WriteCsv(dir, {batch}), "s,n\n\"\",\n,5\nx,\n");
}

TEST(CsvWriterTest, QuotesValuesThatWouldReadBackAsTheNullString) {
  test::TempDir dir;
  CsvWriteOptions options;
  options.null_string = "0";
  Batch batch = MakeBatch({{"s", Strings({"0", std::nullopt, "", "00"})},
                           {"n", Fixed<int64_t>(Int64(), {0, std::nullopt, 10, 7})}});
  EXPECT_EQ(WriteCsv(dir, {batch}, options), "s,n\n\"0\",\"0\"\n0,0\n\"\",10\n00,7\n");
}

TEST(CsvWriterTest, QuotesTheHeaderLikeValues) {
  test::TempDir dir;
  Batch batch = MakeBatch({{"a,b", Fixed<int8_t>(Int8(), {1})}, {"", Fixed<int8_t>(Int8(), {2})}});
  EXPECT_EQ(WriteCsv(dir, {batch}), "\"a,b\",\"\"\n1,2\n");
}

TEST(CsvWriterTest, OmitsTheHeaderWhenAsked) {
  test::TempDir dir;
  CsvWriteOptions options;
  options.header = false;
  Batch batch = MakeBatch({{"x", Fixed<int16_t>(Int16(), {7, -8})}});
  EXPECT_EQ(WriteCsv(dir, {batch}, options), "7\n-8\n");
}

TEST(CsvWriterTest, UsesATabDelimiterAndQuotesOnlyTabs) {
  test::TempDir dir;
  CsvWriteOptions options;
  options.delimiter = '\t';
  Batch batch =
      MakeBatch({{"s", Strings({"a,b", "c\td"})}, {"f", Fixed<double>(Float64(), {1.5, 2})}});
  EXPECT_EQ(WriteCsv(dir, {batch}, options), "s\tf\na,b\t1.5\n\"c\td\"\t2.0\n");
}

TEST(CsvWriterTest, QuotesNumbersThatContainTheDelimiter) {
  test::TempDir dir;
  CsvWriteOptions options;
  options.delimiter = '.';
  Batch batch = MakeBatch({{"f", Fixed<double>(Float64(), {1.5, 2})},
                           {"d", Fixed<int128_t>(Decimal(5, 2), {-5, 120})}});
  EXPECT_EQ(WriteCsv(dir, {batch}, options), "f.d\n\"1.5\".\"-0.05\"\n\"2.0\".\"1.20\"\n");
}

TEST(CsvWriterTest, PrintsFloatsShortestRoundTripWithNanAndInfinities) {
  test::TempDir dir;
  const double inf = std::numeric_limits<double>::infinity();
  Batch batch =
      MakeBatch({{"d", Fixed<double>(Float64(), {0.1, 1e300, -0.0, std::nan(""), inf, -inf, 1.0 / 3,
                                                 5e-324, 123456789012345678.0})},
                 {"f", Fixed<float>(Float32(), {0.1f, 3.4028235e38f, -0.0f, std::nanf(""),
                                                std::numeric_limits<float>::infinity(), -1.5f,
                                                1.0f / 3, 1e-45f, 16777216.0f})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "d,f\n0.1,0.1\n1e+300,3.4028235e+38\n-0.0,-0.0\nnan,nan\ninf,inf\n-inf,-1.5\n"
            "0.3333333333333333,0.33333334\n5e-324,1e-45\n123456789012345680.0,16777216.0\n");
}

// The writer prints short decimals (prices) without std::to_chars; its text must still be
// exactly to_chars's shortest round-trip text, for values of every shape.
TEST(CsvWriterTest, PrintsEveryDoubleAsToCharsDoes) {
  test::TempDir dir;
  std::mt19937_64 rng(20240301);
  std::vector<std::optional<double>> values;
  for (int i = 0; i < 200000; ++i) {
    double value = 0;
    switch (i % 5) {
      case 0:
        value = static_cast<double>(rng() % (uint64_t{1} << (rng() % 54))) /
                std::pow(10.0, static_cast<int>(rng() % 8));
        break;
      case 1: value = static_cast<double>(rng() % 1000000) / 100; break;
      case 2: {  // Neighbours of powers of ten.
        value = std::pow(10.0, static_cast<int>(rng() % 40) - 20);
        const int steps = static_cast<int>(rng() % 7) - 3;
        for (int s = 0; s < std::abs(steps); ++s)
          value = std::nextafter(value, steps < 0 ? 0 : 1e300);
        break;
      }
      case 3: {
        const uint64_t bits = rng();
        std::memcpy(&value, &bits, sizeof(value));
        if (!std::isfinite(value)) value = 1.5;
        break;
      }
      default:
        value = static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000) *
                std::pow(10.0, static_cast<int>(rng() % 20) - 10);
    }
    values.push_back(rng() % 2 ? -value : value);
  }
  std::string expected = "d\n";
  for (const auto& value : values) {
    char text[64];
    char* end = std::to_chars(text, text + sizeof(text), *value).ptr;
    expected.append(text, end);
    if (std::string_view(text, static_cast<size_t>(end - text)).find_first_of(".e") ==
        std::string_view::npos) {
      expected += ".0";
    }
    expected += '\n';
  }
  EXPECT_EQ(WriteCsv(dir, {MakeBatch({{"d", Fixed<double>(Float64(), values)}})}), expected);
}

TEST(CsvWriterTest, PrintsDecimalsWithTheirScale) {
  test::TempDir dir;
  const int128_t big = PowerOfTen(38) - 1;
  Batch batch = MakeBatch({{"d2", Fixed<int128_t>(Decimal(10, 2), {1230, -5, 0, 100})},
                           {"d38", Fixed<int128_t>(Decimal(38, 10), {big, -big, 1, -1})},
                           {"d0", Fixed<int128_t>(Decimal(38, 0), {big, 0, -7, 12})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "d2,d38,d0\n"
            "12.30,9999999999999999999999999999.9999999999,99999999999999999999999999999999999999\n"
            "-0.05,-9999999999999999999999999999.9999999999,0\n"
            "0.00,0.0000000001,-7\n"
            "1.00,-0.0000000001,12\n");
}

TEST(CsvWriterTest, PrintsDatesAsIsoWithFarYearsSigned) {
  test::TempDir dir;
  const int32_t year0 = static_cast<int32_t>(DaysFromCivil(0, 1, 1));
  const int32_t year10000 = static_cast<int32_t>(DaysFromCivil(10000, 1, 1));
  const int32_t minus1 = static_cast<int32_t>(DaysFromCivil(-1, 12, 31));
  Batch batch =
      MakeBatch({{"d", Fixed<int32_t>(Date32(), {19783, 0, -1, year0, year10000, minus1})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "d\n2024-03-01\n1970-01-01\n1969-12-31\n0000-01-01\n10000-01-01\n-1-12-31\n");
}

TEST(CsvWriterTest, PrintsTimestampsInEveryUnitAndZonedOnesWithZ) {
  test::TempDir dir;
  const int64_t noon_us = 1709294400000000;  // 2024-03-01 12:00:00 UTC
  Batch batch = MakeBatch(
      {{"us", Fixed<int64_t>(Timestamp(TimeUnit::kMicro), {noon_us + 123456, noon_us, -1})},
       {"utc", Fixed<int64_t>(Timestamp(TimeUnit::kMicro, "UTC"), {noon_us + 500000, 0, 1})},
       {"ms", Fixed<int64_t>(Timestamp(TimeUnit::kMilli), {noon_us / 1000 + 5, 1, -1})},
       {"ns", Fixed<int64_t>(Timestamp(TimeUnit::kNano, "America/New_York"),
                             {noon_us * 1000 + 123456789, 1000, -1})},
       {"s", Fixed<int64_t>(Timestamp(TimeUnit::kSecond), {noon_us / 1000000, 59, -86400})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "us,utc,ms,ns,s\n"
            "2024-03-01 12:00:00.123456,2024-03-01 12:00:00.500Z,2024-03-01 12:00:00.005,"
            "2024-03-01 12:00:00.123456789Z,2024-03-01 12:00:00\n"
            "2024-03-01 12:00:00,1970-01-01 00:00:00Z,1970-01-01 00:00:00.001,"
            "1970-01-01 00:00:00.000001Z,1970-01-01 00:00:59\n"
            "1969-12-31 23:59:59.999999,1970-01-01 00:00:00.000001Z,1969-12-31 23:59:59.999,"
            "1969-12-31 23:59:59.999999999Z,1969-12-31 00:00:00\n");
}

TEST(CsvWriterTest, PrintsTheExtremesOfEveryTimestampUnit) {
  test::TempDir dir;
  const int64_t min = std::numeric_limits<int64_t>::min();
  const int64_t max = std::numeric_limits<int64_t>::max();
  Batch batch = MakeBatch({{"s", Fixed<int64_t>(Timestamp(TimeUnit::kSecond), {min, max})},
                           {"ms", Fixed<int64_t>(Timestamp(TimeUnit::kMilli), {min, max})},
                           {"us", Fixed<int64_t>(Timestamp(TimeUnit::kMicro, "UTC"), {min, max})},
                           {"ns", Fixed<int64_t>(Timestamp(TimeUnit::kNano), {min, max})},
                           {"t", Fixed<int64_t>(Time64(TimeUnit::kNano), {min, max})},
                           {"d", Fixed<int64_t>(Duration(TimeUnit::kSecond), {min, max})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "s,ms,us,ns,t,d\n"
            "-292277022657-01-27 08:29:52,-292275055-05-16 16:47:04.192,"
            "-290308-12-21 19:59:05.224192Z,1677-09-21 00:12:43.145224192,"
            "-2562047:47:16.854775808,-106751991167300 days 15:30:08\n"
            "292277026596-12-04 15:30:07,292278994-08-17 07:12:55.807,"
            "294247-01-10 04:00:54.775807Z,2262-04-11 23:47:16.854775807,"
            "2562047:47:16.854775807,106751991167300 days 15:30:07\n");
}

TEST(CsvWriterTest, PrintsTimesAndDurations) {
  test::TempDir dir;
  Batch batch =
      MakeBatch({{"t", Fixed<int64_t>(Time64(TimeUnit::kMicro), {45296500000, 0})},
                 {"tz", Fixed<int64_t>(Time64(TimeUnit::kMilli, "UTC"), {45296001, 86399999})},
                 {"dur", Fixed<int64_t>(Duration(TimeUnit::kMilli), {93784500, -1500})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "t,tz,dur\n12:34:56.500,12:34:56.001+00,1 days 02:03:04.500\n"
            "00:00:00,23:59:59.999+00,-00:00:01.500\n");
}

TEST(CsvWriterTest, EscapesBinaryAsDuckDbDoesAndPrintsUuids) {
  test::TempDir dir;
  std::string uuid = "\x12\x34\x56\x78\x9a\xbc\xde\xf0\x01\x23\x45\x67\x89\xab\xcd\xef";
  Batch batch =
      MakeBatch({{"b", BinaryValues(Binary(), {std::string("a\0\xff\\,\"", 6), "", std::nullopt})},
                 {"f", BinaryValues(FixedSizeBinary(2), {"ab", std::string("\x01 ", 2), "  "})},
                 {"u", BinaryValues(Uuid(), {uuid, uuid, std::nullopt})}});
  EXPECT_EQ(WriteCsv(dir, {batch}),
            "b,f,u\n"
            "\"a\\x00\\xFF\\x5C,\"\"\",ab,12345678-9abc-def0-0123-456789abcdef\n"
            "\"\",\"\\x01 \",12345678-9abc-def0-0123-456789abcdef\n"
            ",\"  \",\n");
}

TEST(CsvWriterTest, WritesTheSameBytesHoweverRowsAreSplitIntoBatches) {
  test::TempDir dir;
  ColumnBuilder ids(Int64()), names(Utf8()), values(Float64());
  const int64_t rows = 300000;  // Several flushes of the 1 MiB buffer.
  for (int64_t i = 0; i < rows; ++i) {
    ids.Append<int64_t>(i * 7919);
    if (i % 11 == 0) {
      names.AppendNull();
    } else {
      names.AppendString(i % 5 == 0 ? "with, comma" : "row" + std::to_string(i));
    }
    values.Append<double>(static_cast<double>(i) / 7);
  }
  Batch whole = MakeBatch({{"id", ids.Finish()}, {"name", names.Finish()}, {"v", values.Finish()}});
  const std::string one = WriteCsv(dir, {whole});
  std::vector<Batch> pieces;
  for (int64_t offset = 0; offset < rows; offset += 4099) {
    pieces.push_back(whole.Slice(offset, std::min<int64_t>(4099, rows - offset)));
  }
  EXPECT_EQ(WriteCsv(dir, pieces), one);
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), rows + 1);
}

TEST(CsvWriterTest, WritesFieldsLargerThanTheBuffer) {
  test::TempDir dir;
  std::string huge(3 << 20, 'x');
  huge[12345] = '"';
  Batch batch = MakeBatch({{"s", Strings({huge, "y"})}, {"n", Fixed<int8_t>(Int8(), {1, 2})}});
  std::string quoted = huge;
  quoted.insert(12345, "\"");
  EXPECT_EQ(WriteCsv(dir, {batch}), "s,n\n\"" + quoted + "\",1\ny,2\n");
}

// What the writer writes, the reader reads back as the same values: with the types inferred for
// the types inference knows, and given for the others.
TEST(CsvWriterTest, WritesWhatTheReaderReadsBack) {
  test::TempDir dir;
  const double inf = std::numeric_limits<double>::infinity();
  const int64_t noon_us = 1709294400000000;
  Batch batch = MakeBatch(
      {{"id",
        Fixed<int64_t>(Int64(), {1, std::numeric_limits<int64_t>::min(), std::nullopt, 4, 5})},
       {"f", Fixed<double>(Float64(), {0.1, std::nan(""), -inf, -0.0, std::nullopt})},
       {"s", Strings({"a,b", "", std::nullopt, "two\r\nlines \"q\"", " pad "})},
       {"ok", Bools({true, std::nullopt, false, true, false})},
       {"day", Fixed<int32_t>(Date32(), {19783, 0, -1, std::nullopt, 2932896})},
       {"at", Fixed<int64_t>(Timestamp(TimeUnit::kMicro), {noon_us + 1, -1, 0, std::nullopt, 5})},
       {"utc",
        Fixed<int64_t>(Timestamp(TimeUnit::kMicro, "UTC"), {noon_us, 1, std::nullopt, -1, 7})},
       {"d", Fixed<int128_t>(Decimal(20, 3), {1230, -5, std::nullopt, PowerOfTen(19), 0})},
       {"u8", Fixed<uint64_t>(UInt64(), {0, std::numeric_limits<uint64_t>::max(), 1, 2, 3})},
       {"f32", Fixed<float>(Float32(), {0.1f, 3.4028235e38f, std::nullopt, 1e-45f, -2.5f})}});
  const std::string path = dir.Join("round.csv");
  CsvWriter writer(path, *batch.schema);
  writer.Write(batch);
  writer.Close();

  CsvReadOptions options;
  options.column_types = {{"d", Decimal(20, 3)}, {"u8", UInt64()}, {"f32", Float32()}};
  CsvScanner scanner({path}, options);
  EXPECT_EQ(*scanner.schema(), *batch.schema);
  Batch read;
  ASSERT_TRUE(scanner.Next(&read));
  for (size_t c = 0; c < batch.columns.size(); ++c) {
    EXPECT_TRUE(read.columns[c].Equals(batch.columns[c])) << batch.schema->field(c).name;
  }
  EXPECT_FALSE(scanner.Next(&read));
}

TEST(CsvWriterTest, LeavesNoFileWhenNotClosed) {
  test::TempDir dir;
  const std::string path = dir.WriteFile("out.csv", "earlier\n");
  {
    Batch batch = MakeBatch({{"x", Fixed<int64_t>(Int64(), {1})}});
    CsvWriter writer(path, *batch.schema);
    writer.Write(batch);
  }
  EXPECT_EQ(test::ReadFile(path), "earlier\n");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.csv"});
}

TEST(CsvWriterTest, CountsRowsAndBytes) {
  test::TempDir dir;
  Batch batch = MakeBatch({{"x", Fixed<int64_t>(Int64(), {1, 22})}});
  CsvWriter writer(dir.Join("out.csv"), *batch.schema);
  writer.Write(batch);
  writer.Write(batch);
  EXPECT_EQ(writer.rows_written(), 4);
  EXPECT_EQ(writer.bytes_written(), 2u + 5u + 5u);
  writer.Close();
  writer.Close();  // A second Close does nothing.
  EXPECT_EQ(test::ReadFile(dir.Join("out.csv")), "x\n1\n22\n1\n22\n");
}

TEST(CsvWriterTest, RejectsOptionsThatCannotReadBack) {
  test::TempDir dir;
  const Schema schema({{"x", Int64(), true}});
  CsvWriteOptions same;
  same.delimiter = '"';
  EXPECT_THROW(CsvWriter(dir.Join("a.csv"), schema, same), Error);
  CsvWriteOptions newline;
  newline.delimiter = '\n';
  EXPECT_THROW(CsvWriter(dir.Join("b.csv"), schema, newline), Error);
  CsvWriteOptions null_with_comma;
  null_with_comma.null_string = "n,a";
  EXPECT_THROW(CsvWriter(dir.Join("c.csv"), schema, null_with_comma), Error);
  EXPECT_TRUE(dir.List().empty());
}

TEST(CsvWriterTest, RejectsABatchOfOtherTypes) {
  test::TempDir dir;
  const Schema schema({{"x", Int64(), true}});
  CsvWriter writer(dir.Join("out.csv"), schema);
  Batch batch = MakeBatch({{"x", Strings({"a"})}});
  EXPECT_THROW(writer.Write(batch), Error);
}

}  // namespace
}  // namespace sluice::io::csv
