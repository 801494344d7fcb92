// Gathering rows: by any index list (nulls for -1), and by the ascending lists filters make,
// whose long runs of consecutive rows are copied a run at a time; both must give the same rows.
#include "core/take.h"

#include <gtest/gtest.h>

#include <random>

#include "core/column_builder.h"
#include "core/decimal.h"

namespace sluice {
namespace {

/// 1000 rows of int64 (every 7th null) or int128.
Column Numbers(const DataType& type) {
  ColumnBuilder builder(type);
  for (int64_t i = 0; i < 1000; ++i) {
    if (type.id == TypeId::kInt64 && i % 7 == 3) {
      builder.AppendNull();
    } else if (type.id == TypeId::kInt64) {
      builder.Append<int64_t>(i * 3);
    } else {
      builder.Append<int128_t>(int128_t{i} << 70);
    }
  }
  return builder.Finish();
}

/// Row i of `column` as text, or "null".
std::string At(const Column& column, int64_t i) {
  if (column.IsNull(i)) return "null";
  if (column.type.id == TypeId::kInt64) return std::to_string(column.Values<int64_t>()[i]);
  return std::to_string(static_cast<int64_t>(column.Values<int128_t>()[i] >> 70));
}

TEST(TakeTest, FilterRowsInLongRunsAreTheRowsAsked) {
  std::mt19937_64 random(3);
  for (const DataType& type : {Int64(), Decimal(38, 0)}) {
    const Column column = Numbers(type);
    for (int keep_percent : {100, 99, 90, 50, 5}) {
      SCOPED_TRACE(testing::Message() << type.ToString() << ", " << keep_percent << "% kept");
      std::vector<int64_t> rows;
      for (int64_t i = 0; i < column.length; ++i) {
        if (static_cast<int>(random() % 100) < keep_percent) rows.push_back(i);
      }
      const Column out = Take(column, rows.data(), static_cast<int64_t>(rows.size()));
      ASSERT_EQ(out.length, static_cast<int64_t>(rows.size()));
      int64_t nulls = 0;
      for (size_t k = 0; k < rows.size(); ++k) {
        ASSERT_EQ(At(out, static_cast<int64_t>(k)), At(column, rows[k])) << "row " << k;
        nulls += column.IsNull(rows[k]);
      }
      EXPECT_EQ(out.null_count, nulls);
    }
  }
}

TEST(TakeTest, MinusOneGivesANullRow) {
  const Column column = Numbers(Int64());
  const std::vector<int64_t> rows = {0, 1, 2, -1, 4, 5};
  const Column out = Take(column, rows.data(), 6);
  EXPECT_EQ(At(out, 2), "6");
  EXPECT_EQ(At(out, 3), "null");
  EXPECT_EQ(out.null_count, 1);
}

}  // namespace
}  // namespace sluice
