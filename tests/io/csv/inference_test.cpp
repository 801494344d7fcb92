// Tests of type inference from the sample (one type per test, then the mixes) and of the value
// parsers it rests on: exact numbers, calendar-checked dates, timestamps with zones, UTF-8.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "io/csv/csv_test_util.h"
#include "io/csv/value_parse.h"

namespace sluice::io::csv {
namespace {

using sluice::test::TempDir;
using test::Rows;
using test::ScanText;

/// Infers the type of one column holding `values` (after a header `x`).
std::string InferredType(const std::vector<std::string>& values) {
  TempDir dir;
  std::string text = "x\n";
  for (const auto& value : values) text += value + "\n";
  return ScanText(dir, text).schema->field(0).type.ToString();
}

TEST(CsvInferenceTest, InfersBool) {
  EXPECT_EQ(InferredType({"true", "False", "TRUE"}), "bool");
}

TEST(CsvInferenceTest, InfersInt64) {
  EXPECT_EQ(InferredType({"1", "-20", "+3", "9223372036854775807"}), "int64");
}

TEST(CsvInferenceTest, InfersFloat64IncludingExponentsInfinityAndNan) {
  EXPECT_EQ(InferredType({"1.5", "-2e10", ".5", "inf", "-Infinity", "NaN", "7"}), "float64");
}

TEST(CsvInferenceTest, InfersDate) {
  EXPECT_EQ(InferredType({"2024-02-29", "1970-01-01"}), "date32");
}

TEST(CsvInferenceTest, InfersTimestampWithoutZone) {
  EXPECT_EQ(InferredType({"2024-03-01 10:00:00", "2024-03-01T10:00:00.123456", "2024-03-02"}),
            "timestamp[us]");
}

TEST(CsvInferenceTest, InfersTimestampInUtcFromAZoneOrOffset) {
  EXPECT_EQ(InferredType({"2024-03-01T10:00:00Z", "2024-03-01 12:00:00+02:00"}),
            "timestamp[us, UTC]");
}

TEST(CsvInferenceTest, FallsBackToUtf8) {
  EXPECT_EQ(InferredType({"1", "x"}), "utf8");
  EXPECT_EQ(InferredType({"true", "1"}), "utf8");
  EXPECT_EQ(InferredType({"2024-03-01", "1.5"}), "utf8");
  EXPECT_EQ(InferredType({"2024-03-01 10:00:00", "2024-03-01 10:00:00Z"}), "utf8");
  EXPECT_EQ(InferredType({"2024-02-30"}), "utf8");
  EXPECT_EQ(InferredType({"nan(1)"}), "utf8");
}

TEST(CsvInferenceTest, WidensIntegersToFloats) {
  EXPECT_EQ(InferredType({"1", "2.5", "3"}), "float64");
  EXPECT_EQ(InferredType({"1", "99999999999999999999"}), "float64");
}

TEST(CsvInferenceTest, LetsNullAndEmptyFieldsNotVote) {
  TempDir dir;
  auto result = ScanText(dir, "a,b,c\n,1,\n2,,\n , , \n");
  EXPECT_EQ(result.Columns(), (std::vector<std::string>{"a:int64", "b:int64", "c:utf8"}));
  EXPECT_EQ(result.rows,
            (Rows{{"NULL", "1", "NULL"}, {"2", "NULL", "NULL"}, {"NULL", "NULL", " "}}));
}

TEST(CsvInferenceTest, InfersFromTheSampleRowsOnly) {
  TempDir dir;
  CsvReadOptions options;
  options.sample_rows = 2;
  EXPECT_TRUE(test::Contains(test::ScanError(dir, "a\n1\n2\n3.5\n", options),
                             "line 4, column a: '3.5' is not an int64"));
}

TEST(CsvInferenceTest, ReadsValuesOfEachInferredType) {
  TempDir dir;
  auto result = ScanText(dir,
                         "b,i,f,d,t,z\n"
                         "true,1,1.5,2024-03-01,2024-03-01 10:00:00.5,2024-03-01T10:00:00+02:00\n"
                         "FALSE, 2 ,-inf,1969-12-31,2024-03-01T00:00:00,2024-03-01 10:00:00Z\n");
  EXPECT_EQ(result.Columns(),
            (std::vector<std::string>{"b:bool", "i:int64", "f:float64", "d:date32",
                                      "t:timestamp[us]", "z:timestamp[us, UTC]"}));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0][0], "true");
  EXPECT_EQ(result.rows[1][0], "false");
  EXPECT_EQ(result.rows[1][1], "2");
  EXPECT_EQ(result.rows[1][2], "-inf");
  EXPECT_EQ(result.rows[1][3], "1969-12-31");
  EXPECT_EQ(result.rows[0][4], "2024-03-01 10:00:00.500");
  // The offset is applied: 10:00 at +02:00 is 08:00 UTC.
  const Column& zoned = result.batches[0].columns[5];
  EXPECT_EQ(zoned.Values<int64_t>()[0], int64_t{1709280000} * 1000000);
  EXPECT_EQ(zoned.Values<int64_t>()[1], int64_t{1709287200} * 1000000);
}

TEST(CsvValueParseTest, ParsesIntegersExactly) {
  int64_t value;
  EXPECT_TRUE(ParseInt64("-9223372036854775808", &value));
  EXPECT_EQ(value, std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(ParseInt64(" +42\t", &value));
  EXPECT_EQ(value, 42);
  EXPECT_FALSE(ParseInt64("9223372036854775808", &value));
  EXPECT_FALSE(ParseInt64("+-1", &value));
  EXPECT_FALSE(ParseInt64("1 2", &value));
  EXPECT_FALSE(ParseInt64("", &value));
  EXPECT_FALSE(ParseInt64("+", &value));
}

TEST(CsvValueParseTest, ParsesFloatsExactly) {
  double value;
  EXPECT_TRUE(ParseFloat64("0.1", &value));
  EXPECT_EQ(value, 0.1);
  EXPECT_TRUE(ParseFloat64("1.7976931348623157e308", &value));
  EXPECT_EQ(value, std::numeric_limits<double>::max());
  EXPECT_TRUE(ParseFloat64("-nan", &value));
  EXPECT_TRUE(std::isnan(value));
  EXPECT_FALSE(ParseFloat64("1e999", &value));
  EXPECT_FALSE(ParseFloat64("0x10", &value));
  EXPECT_FALSE(ParseFloat64("1,5", &value));
}

TEST(CsvValueParseTest, ChecksDatesAgainstTheCalendar) {
  int32_t days;
  EXPECT_TRUE(ParseDate("2000-02-29", &days));
  EXPECT_EQ(days, 11016);
  EXPECT_FALSE(ParseDate("1900-02-29", &days));
  EXPECT_FALSE(ParseDate("2024-13-01", &days));
  EXPECT_FALSE(ParseDate("2024-04-31", &days));
  EXPECT_FALSE(ParseDate("2024-4-1", &days));
  EXPECT_FALSE(ParseDate("2024-04-01x", &days));
}

TEST(CsvValueParseTest, ParsesTimestampsWithFractionsAndZones) {
  int64_t value;
  bool zone;
  ASSERT_TRUE(ParseTimestamp("1970-01-01 00:00:01.000001", TimeUnit::kMicro, &value, &zone));
  EXPECT_EQ(value, 1000001);
  EXPECT_FALSE(zone);
  ASSERT_TRUE(ParseTimestamp("1970-01-01T00:00:00.123456789", TimeUnit::kNano, &value, &zone));
  EXPECT_EQ(value, 123456789);
  ASSERT_TRUE(ParseTimestamp("1970-01-01T00:00:00.123456789", TimeUnit::kMilli, &value, &zone));
  EXPECT_EQ(value, 123);
  ASSERT_TRUE(ParseTimestamp("1970-01-01 01:30-0130", TimeUnit::kSecond, &value, &zone));
  EXPECT_EQ(value, 3 * 3600);
  EXPECT_TRUE(zone);
  ASSERT_TRUE(ParseTimestamp("1969-12-31 23:59:59.5", TimeUnit::kMicro, &value, &zone));
  EXPECT_EQ(value, -500000);
  EXPECT_FALSE(ParseTimestamp("2024-03-01 24:00:00", TimeUnit::kMicro, &value, &zone));
  EXPECT_FALSE(ParseTimestamp("2024-03-01 10:00:00.", TimeUnit::kMicro, &value, &zone));
  EXPECT_FALSE(ParseTimestamp("2024-03-01 10:00:00 UTC", TimeUnit::kMicro, &value, &zone));
  EXPECT_FALSE(ParseTimestamp("9999-12-31 00:00:00", TimeUnit::kNano, &value, &zone));
}

TEST(CsvValueParseTest, ParsesDecimalsWithRounding) {
  int128_t value;
  ASSERT_TRUE(ParseDecimal("12.345", 10, 2, &value));
  EXPECT_TRUE(value == 1235);
  ASSERT_TRUE(ParseDecimal("-0.5", 3, 2, &value));
  EXPECT_TRUE(value == -50);
  ASSERT_TRUE(ParseDecimal("7", 3, 2, &value));
  EXPECT_TRUE(value == 700);
  EXPECT_FALSE(ParseDecimal("10.00", 3, 2, &value));
  EXPECT_FALSE(ParseDecimal("1e3", 10, 2, &value));
  EXPECT_FALSE(ParseDecimal(".", 10, 2, &value));
}

TEST(CsvValueParseTest, FindsInvalidUtf8) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, long enough for words"), 39u);
  EXPECT_EQ(FindInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), 14u);
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);          // Overlong.
  EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u);     // Surrogate.
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // Above U+10FFFF.
  EXPECT_EQ(FindInvalidUtf8("12345678\xe2\x82"), 8u);  // Truncated.
}

}  // namespace
}  // namespace sluice::io::csv
