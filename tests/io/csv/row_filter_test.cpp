// Filtering while reading: with a row filter (a pushed predicate) the scanner converts the filter
// columns, keeps the rows the filter chooses, and converts the other columns of those rows only,
// so a value that would not parse in a dropped row costs nothing and raises nothing.
#include <gtest/gtest.h>

#include "core/error.h"
#include "io/csv/csv_test_util.h"
#include "io/csv/reader.h"

namespace sluice::io::csv {
namespace {

using sluice::test::TempDir;
using test::Contains;
using test::Rows;
using test::ScanError;
using test::ScanText;

/// Keeps the rows whose first filter column (int64) is even, counting the rows it was shown.
CsvReadOptions EvenRows(std::vector<std::string> filter_columns,
                        std::atomic<int64_t>* seen = nullptr) {
  CsvReadOptions options;
  options.filter_columns = std::move(filter_columns);
  options.row_filter = [seen](const Batch& batch) {
    if (seen) *seen += batch.num_rows;
    std::vector<int64_t> keep;
    const Column& column = batch.columns[0];
    for (int64_t row = 0; row < batch.num_rows; ++row) {
      if (!column.IsNull(row) && column.Values<int64_t>()[row] % 2 == 0) keep.push_back(row);
    }
    return keep;
  };
  return options;
}

TEST(CsvRowFilterTest, KeepsTheChosenRowsWithEveryColumn) {
  TempDir dir;
  std::string text = "id,name,score\n";
  for (int i = 0; i < 1000; ++i)
    text += std::to_string(i) + ",n" + std::to_string(i) + "," + std::to_string(i * 0.5) + "\n";
  for (CsvChunking chunking : {CsvChunking{}, test::Tiny(64, 8)}) {
    std::atomic<int64_t> seen = 0;
    CsvReadOptions options = EvenRows({"id"}, &seen);
    options.batch_size = 100;
    auto result = ScanText(dir, text, options, chunking);
    ASSERT_EQ(result.rows.size(), 500u);
    EXPECT_EQ(seen.load(), 1000);
    EXPECT_EQ(result.rows[0], (std::vector<std::string>{"0", "n0", "0"}));
    EXPECT_EQ(result.rows[499], (std::vector<std::string>{"998", "n998", "499"}));
  }
}

TEST(CsvRowFilterTest, AFilterColumnMayComeAfterTheOthers) {
  TempDir dir;
  CsvReadOptions options = EvenRows({"id"});
  options.columns = {"name", "id"};
  auto result = ScanText(dir, "name,id\na,1\nb,2\nc,3\nd,4\n", options);
  EXPECT_EQ(result.rows, (Rows{{"b", "2"}, {"d", "4"}}));
}

TEST(CsvRowFilterTest, ABadValueInADroppedRowIsNeverConverted) {
  TempDir dir;
  CsvReadOptions options = EvenRows({"id"});
  options.column_types = {{"score", Float64()}};
  auto result = ScanText(dir, "id,score\n1,n/a\n2,2.5\n", options);
  EXPECT_EQ(result.rows, (Rows{{"2", "2.5"}}));
}

TEST(CsvRowFilterTest, ABadValueInAKeptRowNamesItsLine) {
  TempDir dir;
  CsvReadOptions options = EvenRows({"id"});
  options.column_types = {{"score", Float64()}};
  std::string error = ScanError(dir, "id,score\n1,1.5\n2,2.5\n3,3.5\n4,n/a\n", options);
  EXPECT_TRUE(Contains(error, "line 5")) << error;
  EXPECT_TRUE(Contains(error, "'n/a' is not a float64")) << error;
}

TEST(CsvRowFilterTest, AFilterThatKeepsNothingGivesNoRows) {
  TempDir dir;
  CsvReadOptions options = EvenRows({"id"});
  EXPECT_TRUE(ScanText(dir, "id,x\n1,a\n3,b\n", options).rows.empty());
}

}  // namespace
}  // namespace sluice::io::csv
