// Tests of Arrow-layout columns: building, slicing, appending and comparing.
#include <gtest/gtest.h>

#include "core/column_builder.h"
#include "core/value_format.h"

namespace sluice {
namespace {

Column Int64s(std::initializer_list<std::optional<int64_t>> values) {
  ColumnBuilder builder(Int64());
  for (auto value : values) value ? builder.Append<int64_t>(*value) : builder.AppendNull();
  return builder.Finish();
}

TEST(ColumnBuilderTest, TracksNullsInAValidityBitmap) {
  Column column = Int64s({1, std::nullopt, 3});
  ASSERT_EQ(column.length, 3);
  EXPECT_EQ(column.null_count, 1);
  EXPECT_TRUE(column.IsValid(0));
  EXPECT_TRUE(column.IsNull(1));
  EXPECT_EQ(column.Values<int64_t>()[2], 3);
}

TEST(ColumnBuilderTest, LeavesNoBitmapWhenThereAreNoNulls) {
  EXPECT_EQ(Int64s({1, 2}).validity, nullptr);
}

TEST(ColumnBuilderTest, BuildsStringsAsOffsetsAndBytes) {
  ColumnBuilder builder(Utf8());
  builder.AppendString("ab");
  builder.AppendNull();
  builder.AppendString("");
  builder.AppendString("xyz");
  Column column = builder.Finish();
  EXPECT_EQ(column.StringAt(0), "ab");
  EXPECT_TRUE(column.IsNull(1));
  EXPECT_EQ(column.StringAt(2), "");
  EXPECT_EQ(column.StringAt(3), "xyz");
}

TEST(ColumnBuilderTest, BuildsBoolsAsBitsWithNulls) {
  ColumnBuilder builder(Bool());
  for (int i = 0; i < 20; ++i) i % 5 == 0 ? builder.AppendNull() : builder.AppendBool(i % 2 == 0);
  Column column = builder.Finish();
  EXPECT_EQ(column.null_count, 4);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(column.IsNull(i), i % 5 == 0) << i;
    if (i % 5 != 0) {
      EXPECT_EQ(column.BoolAt(i), i % 2 == 0) << i;
    }
  }
}

TEST(ColumnTest, SliceCopiesTheRangeWithItsNulls) {
  Column column = Int64s({1, std::nullopt, 3, 4});
  EXPECT_TRUE(column.Slice(1, 2).Equals(Int64s({std::nullopt, 3})));
  EXPECT_TRUE(column.Slice(2, 2).Equals(Int64s({3, 4})));
}

TEST(ColumnTest, AppendFromConcatenatesStringsAndValidity) {
  ColumnBuilder a(Utf8()), b(Utf8()), all(Utf8());
  a.AppendString("x");
  b.AppendNull();
  b.AppendString("yz");
  all.AppendString("x");
  all.AppendNull();
  all.AppendString("yz");
  Column joined = a.Finish();
  joined.AppendFrom(b.Finish());
  EXPECT_TRUE(joined.Equals(all.Finish()));
}

TEST(ValueFormatTest, RendersTemporalAndDecimalValuesAsUsersReadThem) {
  ColumnBuilder dates(Date32());
  dates.Append<int32_t>(-1);
  EXPECT_EQ(FormatValue(dates.Finish(), 0), "1969-12-31");

  ColumnBuilder stamps(Timestamp(TimeUnit::kMicro, "UTC"));
  stamps.Append<int64_t>(1'700'000'000'123'000);
  EXPECT_EQ(FormatValue(stamps.Finish(), 0), "2023-11-14 22:13:20.123Z");

  ColumnBuilder decimals(Decimal(15, 2));
  decimals.Append<__int128>(-5);
  EXPECT_EQ(FormatValue(decimals.Finish(), 0), "-0.05");
}

TEST(DataTypeTest, PrintsLogicalTypesUsersKnow) {
  EXPECT_EQ(Timestamp(TimeUnit::kMicro, "UTC").ToString(), "timestamp[us, UTC]");
  EXPECT_EQ(Decimal(15, 2).ToString(), "decimal(15,2)");
  EXPECT_THROW(Decimal(39, 0), Error);
}

}  // namespace
}  // namespace sluice
