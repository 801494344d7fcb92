// Tests of the CSV scanner end to end: RFC 4180 quoting, line ends, the byte-order mark, header,
// null, comment and skip options, ragged rows, projection, overrides, batches, several files, and
// every structural error with its line number.
#include "io/csv/reader.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "io/csv/csv_test_util.h"

namespace sluice::io::csv {
namespace {

using sluice::test::TempDir;
using test::Contains;
using test::Rows;
using test::ScanError;
using test::ScanText;

using Names = std::vector<std::string>;

TEST(CsvReaderTest, ReadsASimpleFileWithAHeader) {
  TempDir dir;
  auto result = ScanText(dir, "a,b\n1,x\n2,y\n");
  EXPECT_EQ(result.Columns(), (Names{"a:int64", "b:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "x"}, {"2", "y"}}));
}

TEST(CsvReaderTest, QuotedFieldsHoldDelimitersDoubledQuotesAndNewlines) {
  TempDir dir;
  auto result = ScanText(dir,
                         "a,b\n"
                         "\"x,y\",\"he said \"\"hi\"\"\"\n"
                         "\"line1\nline2\",\"\"\"\"\n"
                         "plain,\"\"\"start\"\n");
  EXPECT_EQ(result.rows,
            (Rows{{"x,y", "he said \"hi\""}, {"line1\nline2", "\""}, {"plain", "\"start"}}));
}

TEST(CsvReaderTest, QuotedEmptyIsAnEmptyStringAndUnquotedEmptyIsNull) {
  TempDir dir;
  auto result = ScanText(dir, "a,b\n\"\",x\n,y\n");
  EXPECT_EQ(result.rows, (Rows{{"", "x"}, {"NULL", "y"}}));
}

TEST(CsvReaderTest, QuotedEmptyIsNullInATypedColumn) {
  TempDir dir;
  auto result = ScanText(dir, "a\n1\n\"\"\n\"3\"\n");
  EXPECT_EQ(result.Columns(), (Names{"a:int64"}));
  EXPECT_EQ(result.rows, (Rows{{"1"}, {"NULL"}, {"3"}}));
}

TEST(CsvReaderTest, StripsCrlfLineEnds) {
  TempDir dir;
  auto result = ScanText(dir, "a,b\r\n1,\"x\"\r\n2,y\r\n3,\r\n");
  EXPECT_EQ(result.Columns(), (Names{"a:int64", "b:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "x"}, {"2", "y"}, {"3", "NULL"}}));
}

TEST(CsvReaderTest, KeepsACarriageReturnInsideQuotes) {
  TempDir dir;
  auto result = ScanText(dir, "a\r\n\"x\r\ny\"\r\n");
  EXPECT_EQ(result.rows, (Rows{{"x\r\ny"}}));
}

TEST(CsvReaderTest, ReadsALastRowWithoutANewline) {
  TempDir dir;
  EXPECT_EQ(ScanText(dir, "a,b\n1,2\n3,4").rows, (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(ScanText(dir, "a,b\n1,2\n3,\"4\"", {}, {}, "quoted.csv").rows,
            (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(ScanText(dir, "a,b\r\n1,2\r", {}, {}, "cr.csv").rows, (Rows{{"1", "2"}}));
}

TEST(CsvReaderTest, SkipsAUtf8ByteOrderMark) {
  TempDir dir;
  auto result = ScanText(dir,
                         "\xEF\xBB\xBF"
                         "a,b\n1,2\n");
  EXPECT_EQ(result.Columns(), (Names{"a:int64", "b:int64"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "2"}}));
}

TEST(CsvReaderTest, ResolvesAnEscapeCharacterInsideQuotes) {
  TempDir dir;
  CsvReadOptions options;
  options.escape = '\\';
  auto result =
      ScanText(dir, "a,b\n\"x\\\"y\",\"back\\\\slash\"\nun\\quoted,\"a\"\"b\"\n", options);
  EXPECT_EQ(result.rows, (Rows{{"x\"y", "back\\slash"}, {"un\\quoted", "a\"b"}}));
}

TEST(CsvReaderTest, SkipsCommentLinesAndBlankLines) {
  TempDir dir;
  CsvReadOptions options;
  options.comment = '#';
  auto result =
      ScanText(dir, "# a comment with a \" quote\na,b\n\n1,2\n# another\n\r\n3,\"#4\"\n", options);
  EXPECT_EQ(result.rows, (Rows{{"1", "2"}, {"3", "#4"}}));
}

TEST(CsvReaderTest, SkipsLinesBeforeTheHeader) {
  TempDir dir;
  CsvReadOptions options;
  options.skip_rows = 2;
  auto result = ScanText(dir, "title: \"report\nmade by hand\nx,y\n1,2\n", options);
  EXPECT_EQ(result.Columns(), (Names{"x:int64", "y:int64"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "2"}}));
}

TEST(CsvReaderTest, ATrailingDelimiterMakesAnEmptyLastColumn) {
  TempDir dir;
  auto result = ScanText(dir, "a,b,\n1,2,\n");
  EXPECT_EQ(result.Columns(), (Names{"a:int64", "b:int64", "column2:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "2", "NULL"}}));
}

TEST(CsvReaderTest, ANulQuoteTurnsQuotingOff) {
  TempDir dir;
  CsvReadOptions options;
  options.quote = '\0';
  options.header = true;
  auto result = ScanText(dir, "a,b\n\"x,y\"\n", options);
  EXPECT_EQ(result.rows, (Rows{{"\"x", "y\""}}));
}

TEST(CsvReaderTest, SniffsTheDelimiter) {
  TempDir dir;
  EXPECT_EQ(ScanText(dir, "a;b;c\n1,5;2;x\n3,5;4;y\n", {}, {}, "semi.csv").rows,
            (Rows{{"1,5", "2", "x"}, {"3,5", "4", "y"}}));
  EXPECT_EQ(ScanText(dir, "a\tb\n1\tx, y\n", {}, {}, "tab.tsv").rows, (Rows{{"1", "x, y"}}));
  EXPECT_EQ(ScanText(dir, "a|b\n1|x\n", {}, {}, "pipe.csv").rows, (Rows{{"1", "x"}}));
  // A quoted comma does not count: ',' splits every row the same way.
  EXPECT_EQ(ScanText(dir, "a,b\n\"x;y\",1\n\"z;w\",2\n", {}, {}, "quoted.csv").rows,
            (Rows{{"x;y", "1"}, {"z;w", "2"}}));
  EXPECT_EQ(ScanText(dir, "single\nvalue\n", {}, {}, "one.csv").rows, (Rows{{"value"}}));
}

TEST(CsvReaderTest, TakesAGivenDelimiter) {
  TempDir dir;
  CsvReadOptions options;
  options.delimiter = ';';
  auto result = ScanText(dir, "a,b;c\n1,2;3\n", options);
  EXPECT_EQ(result.Columns(), (Names{"a,b:utf8", "c:int64"}));
}

TEST(CsvReaderTest, SniffsAHeaderWhenTheFirstRowDoesNotFitTheTypes) {
  TempDir dir;
  auto result = ScanText(dir, "id,price\n1,2.5\n2,3.5\n");
  EXPECT_EQ(result.Columns(), (Names{"id:int64", "price:float64"}));
  EXPECT_EQ(result.rows.size(), 2u);
}

TEST(CsvReaderTest, SniffsNoHeaderWhenTheFirstRowFitsTheTypes) {
  TempDir dir;
  auto result = ScanText(dir, "1,x\n2,y\n");
  EXPECT_EQ(result.Columns(), (Names{"column0:int64", "column1:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "x"}, {"2", "y"}}));
}

TEST(CsvReaderTest, SniffsAHeaderWhenEveryColumnIsText) {
  TempDir dir;
  auto result = ScanText(dir, "name,city\nAda,London\n");
  EXPECT_EQ(result.Columns(), (Names{"name:utf8", "city:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"Ada", "London"}}));
}

TEST(CsvReaderTest, TakesTheHeaderOptionAsGiven) {
  TempDir dir;
  CsvReadOptions without;
  without.header = false;
  auto result = ScanText(dir, "a,b\n1,2\n", without);
  EXPECT_EQ(result.Columns(), (Names{"column0:utf8", "column1:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"a", "b"}, {"1", "2"}}));

  CsvReadOptions with;
  with.header = true;
  result = ScanText(dir, "1,2\n3,4\n", with, {}, "numbers.csv");
  EXPECT_EQ(result.Columns(), (Names{"1:int64", "2:int64"}));
  EXPECT_EQ(result.rows, (Rows{{"3", "4"}}));
}

TEST(CsvReaderTest, MakesHeaderNamesUniqueAndFillsEmptyOnes) {
  TempDir dir;
  auto result = ScanText(dir, "a, a ,,\"b\"\"\"\n1,2,3,4\n");
  EXPECT_EQ(result.Columns(), (Names{"a:int64", "a_1:int64", "column2:int64", "b\":int64"}));
}

TEST(CsvReaderTest, PadsGeneratedNamesToOneWidth) {
  TempDir dir;
  auto result = ScanText(dir, "1,2,3,4,5,6,7,8,9,10,11\n1,2,3,4,5,6,7,8,9,10,11\n");
  EXPECT_EQ(result.schema->field(0).name, "column00");
  EXPECT_EQ(result.schema->field(10).name, "column10");
}

TEST(CsvReaderTest, ReadsNullStringsOnlyWhenUnquoted) {
  TempDir dir;
  CsvReadOptions options;
  options.null_strings = {"NA", ""};
  auto result = ScanText(dir, "n,s\n1,x\nNA,NA\n3,\"NA\"\n,\n", options);
  EXPECT_EQ(result.Columns(), (Names{"n:int64", "s:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "x"}, {"NULL", "NULL"}, {"3", "NA"}, {"NULL", "NULL"}}));
}

TEST(CsvReaderTest, ReadsAnEmptyUnquotedFieldAsTextWhenItIsNotANullString) {
  TempDir dir;
  CsvReadOptions options;
  options.null_strings = {"NULL"};
  auto result = ScanText(dir, "n,s\n,\nNULL,NULL\n", options);
  EXPECT_EQ(result.Columns(), (Names{"n:utf8", "s:utf8"}));
  EXPECT_EQ(result.rows, (Rows{{"", ""}, {"NULL", "NULL"}}));
}

TEST(CsvReaderTest, RejectsARaggedRowNamingItsLine) {
  TempDir dir;
  std::string message = ScanError(dir, "a,b\n1,2\n3\n4,5\n");
  EXPECT_TRUE(Contains(message,
                       "data.csv', line 3: expected 2 fields but found 1; pass "
                       "--ragged pad"));
  message = ScanError(dir, "a,b\n1,2\n3,4,5\n");
  EXPECT_TRUE(Contains(message, "line 3: expected 2 fields but found 3"));
}

TEST(CsvReaderTest, PadsShortRowsWithNulls) {
  TempDir dir;
  CsvReadOptions options;
  options.ragged = CsvReadOptions::Ragged::kPad;
  auto result = ScanText(dir, "a,b,c\n1,x,2\n3\n4,y\n", options);
  EXPECT_EQ(result.rows, (Rows{{"1", "x", "2"}, {"3", "NULL", "NULL"}, {"4", "y", "NULL"}}));
  EXPECT_TRUE(
      Contains(ScanError(dir, "a,b\n1,2\n3,4,5\n", options),
               "line 3: expected 2 fields but found 3; --ragged pad only fills short rows"));
}

TEST(CsvReaderTest, SkipsRaggedRowsAndCountsThem) {
  TempDir dir;
  CsvReadOptions options;
  options.ragged = CsvReadOptions::Ragged::kSkip;
  auto result = ScanText(dir, "a,b\n1,2\n3\n4,5,6\n7,8\n", options);
  EXPECT_EQ(result.rows, (Rows{{"1", "2"}, {"7", "8"}}));
  EXPECT_EQ(result.skipped, 2);
}

TEST(CsvReaderTest, CountsSkippedRowsAcrossBlocks) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 300; ++i) text += i % 3 == 0 ? "1\n" : "1,2\n";
  CsvReadOptions options;
  options.ragged = CsvReadOptions::Ragged::kSkip;
  options.sample_rows = 1;
  auto result = ScanText(dir, text, options, test::Tiny(32, 8));
  EXPECT_EQ(result.rows.size(), 200u);
  EXPECT_EQ(result.skipped, 100);
}

TEST(CsvReaderTest, PadsToTheWidestSampleRowWithoutAHeader) {
  TempDir dir;
  CsvReadOptions options;
  options.header = false;
  options.ragged = CsvReadOptions::Ragged::kPad;
  auto result = ScanText(dir, "1\n2,3,4\n5,6\n", options);
  EXPECT_EQ(result.Columns(), (Names{"column0:int64", "column1:int64", "column2:int64"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "NULL", "NULL"}, {"2", "3", "4"}, {"5", "6", "NULL"}}));
}

TEST(CsvReaderTest, NumbersLinesAfterSkippedLinesCommentsAndAByteOrderMark) {
  TempDir dir;
  CsvReadOptions options;
  options.skip_rows = 1;
  options.comment = '#';
  EXPECT_TRUE(Contains(ScanError(dir, "\xEF\xBB\xBFjunk\n# c\na,b\n\n1,2\n3\n", options),
                       "line 6: expected 2 fields but found 1"));
}

TEST(CsvReaderTest, NamesTheFileOfARaggedRowInALaterFile) {
  TempDir dir;
  CsvReadOptions options;
  options.header = false;
  std::vector<std::string> paths = {dir.WriteFile("a.csv", "1,2\n3,4\n"),
                                    dir.WriteFile("b.csv", "5,6\n7\n")};
  try {
    test::Scan(paths, options);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_TRUE(Contains(error.what(), "b.csv', line 2: expected 2 fields but found 1"));
  }
}

TEST(CsvReaderTest, RejectsAnEscapeThatSwallowsTheClosingQuote) {
  TempDir dir;
  CsvReadOptions options;
  options.escape = '\\';
  EXPECT_TRUE(
      Contains(ScanError(dir, "a,b\n1,\"x\\\"\n", options), "line 2: unterminated quoted field"));
}

TEST(CsvReaderTest, RejectsANulByteNamingItsLine) {
  TempDir dir;
  EXPECT_TRUE(Contains(ScanError(dir, std::string("a,b\n1,2\n3,x\0y\n", 14)),
                       "data.csv', line 3: a NUL byte"));
  EXPECT_TRUE(
      Contains(ScanError(dir, std::string("a,b\n1,\"2\n\0\"\n", 12)), "line 3: a NUL byte"));
}

TEST(CsvReaderTest, RejectsInvalidUtf8NamingLineAndColumn) {
  TempDir dir;
  std::string message = ScanError(dir, "id,name\n1,ok\n2,\"multi\nline\"\n3,bad\xff\n");
  EXPECT_TRUE(Contains(message, "data.csv', line 5, column name: invalid UTF-8 (byte 0xff)"));
}

TEST(CsvReaderTest, DoesNotValidateColumnsThatAreNotRead) {
  TempDir dir;
  CsvReadOptions options;
  options.columns = {"id"};
  auto result = ScanText(dir, "id,name\n1,bad\xff\n", options);
  EXPECT_EQ(result.rows, (Rows{{"1"}}));
}

TEST(CsvReaderTest, RejectsAnUnterminatedQuoteNamingTheLineWhereItOpened) {
  TempDir dir;
  EXPECT_TRUE(Contains(ScanError(dir, "a,b\n1,2\n3,\"open\nstill open\n"),
                       "data.csv', line 3: unterminated quoted field"));
  // The rows before it are returned first.
  CsvScanner scanner({dir.WriteFile("more.csv", "a,b\n1,2\n3,\"open\n")}, {});
  Batch batch;
  ASSERT_TRUE(scanner.Next(&batch));
  EXPECT_EQ(batch.num_rows, 1);
  EXPECT_THROW(scanner.Next(&batch), Error);
}

TEST(CsvReaderTest, RejectsAQuoteInsideAnUnquotedField) {
  TempDir dir;
  EXPECT_TRUE(
      Contains(ScanError(dir, "a,b\n1,2\n3,ab\"c\n"), "line 3: a quote inside an unquoted field"));
  // Also in a large file with no other quote, where every later row looks quoted.
  std::string text = "a,b\n1,ab\"c\n";
  for (int i = 0; i < 1000; ++i) text += "2,3\n";
  CsvReadOptions small_sample;
  small_sample.sample_rows = 1;  // Or sniffing reads the whole small file as its first block.
  EXPECT_TRUE(Contains(ScanError(dir, text, small_sample, test::Tiny(64, 16), "large.csv"),
                       "line 2: a quote inside an unquoted field"));
  // And later in a file, when a quote further on closes the false quoted field.
  text = "a,b\n1,2\n";
  for (int i = 0; i < 100; ++i) text += "2,3\n";
  text += "3,ab\"c\n4,5\n5,\"6\"\n";
  EXPECT_TRUE(Contains(ScanError(dir, text, small_sample, test::Tiny(64, 16), "later.csv"),
                       "line 103: a quote inside an unquoted field"));
}

TEST(CsvReaderTest, RejectsTextAfterAClosingQuote) {
  TempDir dir;
  EXPECT_TRUE(
      Contains(ScanError(dir, "a,b\n1,2\n3,\"ab\"c\n"), "line 3: 'c' after a closing quote"));
}

TEST(CsvReaderTest, RejectsAnEmptyFile) {
  TempDir dir;
  EXPECT_TRUE(Contains(ScanError(dir, ""), "is empty"));
  EXPECT_TRUE(Contains(ScanError(dir, "\n\r\n\n", {}, {}, "blank.csv"), "is empty"));
  EXPECT_TRUE(Contains(ScanError(dir, "\xEF\xBB\xBF", {}, {}, "bom.csv"), "is empty"));
}

TEST(CsvReaderTest, ReadsAHeaderOnlyFileAsTextColumnsWithoutRows) {
  TempDir dir;
  auto result = ScanText(dir, "a,b\n");
  EXPECT_EQ(result.Columns(), (Names{"a:utf8", "b:utf8"}));
  EXPECT_TRUE(result.rows.empty());
  EXPECT_TRUE(result.batches.empty());
}

TEST(CsvReaderTest, ReportsAValueThatBreaksTheInferredType) {
  TempDir dir;
  CsvReadOptions options;
  options.sample_rows = 2;
  std::string path = dir.WriteFile("data.csv", "id,name,price\n1,a,1.5\n2,\"b\nc\",2.5\n3,d,n/a\n");
  try {
    test::Scan({path}, options);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "'" + path +
                  "', line 5, column price: 'n/a' is not a float64; pass --null-string or a "
                  "schema override");
  }
}

TEST(CsvReaderTest, ReturnsTheBatchesBeforeABadValue) {
  TempDir dir;
  CsvReadOptions options;
  options.sample_rows = 1;
  options.batch_size = 2;
  CsvScanner scanner({dir.WriteFile("data.csv", "n\n1\n2\n3\n4\nx\n")}, options);
  Batch batch;
  ASSERT_TRUE(scanner.Next(&batch));
  ASSERT_TRUE(scanner.Next(&batch));
  EXPECT_THROW(scanner.Next(&batch), Error);
  EXPECT_FALSE(scanner.Next(&batch));
}

TEST(CsvReaderTest, ReadsOnlyTheProjectedColumnsInTheirOrder) {
  TempDir dir;
  CsvReadOptions options;
  options.columns = {"c", "a"};
  auto result = ScanText(dir, "a,b,c\n1,x,2.5\n3,y,4.5\n", options);
  EXPECT_EQ(result.Columns(), (Names{"c:float64", "a:int64"}));
  EXPECT_EQ(result.rows, (Rows{{"2.5", "1"}, {"4.5", "3"}}));
}

TEST(CsvReaderTest, SuggestsAColumnForAnUnknownName) {
  TempDir dir;
  CsvReadOptions options;
  options.columns = {"pricee"};
  EXPECT_TRUE(Contains(ScanError(dir, "id,price\n1,2\n", options), "did you mean \"price\""));
  CsvReadOptions overrides;
  overrides.column_types = {{"idd", Int32()}};
  EXPECT_TRUE(Contains(ScanError(dir, "id,price\n1,2\n", overrides), "did you mean \"id\""));
}

TEST(CsvReaderTest, AppliesTypeOverrides) {
  TempDir dir;
  CsvReadOptions options;
  options.column_types = {{"code", Utf8()},           {"small", Int16()},
                          {"amount", Decimal(10, 2)}, {"at", Timestamp(TimeUnit::kNano)},
                          {"flag", Bool()},           {"ratio", Float32()}};
  auto result = ScanText(dir,
                         "code,small,amount,at,flag,ratio\n"
                         "007,-5,12.345,2024-03-01 10:00:00.123456789,yes,0.5\n"
                         "010,7,-0.5,2024-03-01,0,\n",
                         options);
  EXPECT_EQ(result.Columns(), (Names{"code:utf8", "small:int16", "amount:decimal(10,2)",
                                     "at:timestamp[ns]", "flag:bool", "ratio:float32"}));
  EXPECT_EQ(result.rows,
            (Rows{{"007", "-5", "12.35", "2024-03-01 10:00:00.123456789", "true", "0.5"},
                  {"010", "7", "-0.50", "2024-03-01 00:00:00", "false", "NULL"}}));
}

TEST(CsvReaderTest, ReportsAValueOutOfTheOverriddenRange) {
  TempDir dir;
  CsvReadOptions options;
  options.column_types = {{"n", Int8()}};
  EXPECT_TRUE(
      Contains(ScanError(dir, "n\n1\n300\n", options), "line 3, column n: '300' is not an int8"));
}

TEST(CsvReaderTest, RefusesTypesItCannotReadFromText) {
  TempDir dir;
  CsvReadOptions options;
  options.column_types = {{"n", Uuid()}};
  try {
    ScanText(dir, "n\n1\n", options);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
  }
}

TEST(CsvReaderTest, MakesBatchesOfExactlyTheBatchSize) {
  TempDir dir;
  std::string text = "n\n";
  for (int i = 0; i < 10; ++i) text += std::to_string(i) + "\n";
  CsvReadOptions options;
  options.batch_size = 3;
  options.sample_rows = 1;
  auto result = ScanText(dir, text, options, test::Tiny(8, 4));
  ASSERT_EQ(result.batches.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(result.batches[i].num_rows, 3);
  EXPECT_EQ(result.batches[3].num_rows, 1);
  EXPECT_EQ(result.rows.back(), (std::vector<std::string>{"9"}));
}

TEST(CsvReaderTest, ReadsSeveralFilesInOrder) {
  TempDir dir;
  dir.WriteFile("in/b.csv", "a,b\n3,4\n");
  dir.WriteFile("in/a.csv", "a,b\n1,2\n");
  dir.WriteFile("in/c.csv", "");
  dir.WriteFile("in/d.csv", "a,b\n");
  dir.WriteFile("in/e.csv.gz.txt", "a,b\n5,6");
  auto paths = ResolveCsvPaths(dir.Join("in/*.csv"));
  ASSERT_EQ(paths.size(), 4u);
  EXPECT_EQ(test::Scan(paths).rows, (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(ResolveCsvPaths(dir.Join("in")).size(), 5u);
}

TEST(CsvReaderTest, TakesTheSchemaFromTheFirstFileWithRows) {
  TempDir dir;
  auto result = test::Scan({dir.WriteFile("a.csv", ""), dir.WriteFile("b.csv", "x\n1\n")});
  EXPECT_EQ(result.Columns(), (Names{"x:int64"}));
}

TEST(CsvReaderTest, RejectsFilesWithDifferentHeaders) {
  TempDir dir;
  std::vector<std::string> paths = {dir.WriteFile("a.csv", "x,y\n1,2\n"),
                                    dir.WriteFile("b.csv", "x,z\n3,4\n")};
  try {
    test::Scan(paths);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_TRUE(Contains(std::string(error.what()), "b.csv' has the columns (x, z)"));
  }
}

TEST(CsvReaderTest, TellsCsvNames) {
  EXPECT_TRUE(IsCsvPath("a.csv"));
  EXPECT_TRUE(IsCsvPath("dir/A.TSV"));
  EXPECT_TRUE(IsCsvPath("a.txt.gz"));
  EXPECT_TRUE(IsCsvPath("a.csv.zst"));
  EXPECT_FALSE(IsCsvPath("a.parquet"));
  EXPECT_FALSE(IsCsvPath("a.gz"));
  EXPECT_FALSE(IsCsvPath("csv"));
}

TEST(CsvReaderTest, RejectsClashingDialectCharacters) {
  TempDir dir;
  CsvReadOptions options;
  options.delimiter = '"';
  EXPECT_TRUE(Contains(ScanError(dir, "a\n", options), "delimiter and quote"));
}

TEST(CsvReaderTest, NamesAMissingFile) {
  try {
    test::Scan({"/nonexistent/file.csv"});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
  }
}

}  // namespace
}  // namespace sluice::io::csv
