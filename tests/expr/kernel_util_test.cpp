// The shared kernel toolbox: type promotion tables, validity propagation with broadcast
// constants, output writers and row gathering.
#include "expr/kernels/kernel_util.h"

#include <gtest/gtest.h>

#include "expr_test_util.h"

namespace sluice::kernels {
namespace {

using expr_test::Render;
using expr_test::Rows;

TEST(KernelUtilTest, CommonNumericTypePromotes) {
  EXPECT_EQ(CommonNumericType(Int32(), Int64()), Int64());
  EXPECT_EQ(CommonNumericType(Int8(), Int8()), Int8());
  EXPECT_EQ(CommonNumericType(UInt8(), UInt32()), UInt32());
  EXPECT_EQ(CommonNumericType(Int8(), UInt8()), Int16());
  EXPECT_EQ(CommonNumericType(Int32(), UInt32()), Int64());
  EXPECT_EQ(CommonNumericType(Int64(), UInt64()), Int64());
  EXPECT_EQ(CommonNumericType(Int16(), Float32()), Float32());
  EXPECT_EQ(CommonNumericType(Int32(), Float32()), Float64());
  EXPECT_EQ(CommonNumericType(Float32(), Float64()), Float64());
  EXPECT_EQ(CommonNumericType(Decimal(15, 2), Int32()), Decimal(15, 2));
  EXPECT_EQ(CommonNumericType(Decimal(5, 2), Int64()), Decimal(21, 2));
  EXPECT_EQ(CommonNumericType(Decimal(5, 2), Decimal(10, 4)), Decimal(10, 4));
  EXPECT_EQ(CommonNumericType(Decimal(12, 2), Decimal(10, 4)), Decimal(14, 4));
  EXPECT_EQ(CommonNumericType(Decimal(38, 10), Decimal(38, 0)), Decimal(38, 10));
  EXPECT_EQ(CommonNumericType(Decimal(5, 2), Float32()), Float64());
  EXPECT_EQ(CommonNumericType(Utf8(), Int32()), std::nullopt);
  EXPECT_EQ(CommonNumericType(Bool(), Int32()), std::nullopt);
}

TEST(KernelUtilTest, CommonTypeCoversTemporalAndStrings) {
  EXPECT_EQ(CommonType(Date32(), Timestamp(TimeUnit::kMilli)), Timestamp(TimeUnit::kMilli));
  EXPECT_EQ(CommonType(Timestamp(TimeUnit::kSecond), Timestamp(TimeUnit::kNano, "UTC")),
            Timestamp(TimeUnit::kNano, "UTC"));
  EXPECT_EQ(CommonType(Duration(TimeUnit::kMilli), Duration(TimeUnit::kMicro)),
            Duration(TimeUnit::kMicro));
  EXPECT_EQ(CommonType(Utf8(StringKind::kJson), Utf8()), Utf8());
  EXPECT_EQ(CommonType(Bool(), Bool()), Bool());
  EXPECT_EQ(CommonType(Bool(), Int8()), std::nullopt);
  EXPECT_EQ(CommonType(Date32(), Utf8()), std::nullopt);
}

TEST(KernelUtilTest, OutputLengthIsOneOnlyForAllConstants) {
  Column one = expr_test::I64({1});
  Column many = expr_test::I64({1, 2, 3});
  EXPECT_EQ(OutputLength(std::vector<Column>{one, one}, 3), 1);
  EXPECT_EQ(OutputLength(std::vector<Column>{one, many}, 3), 3);
  EXPECT_EQ(OutputLength(std::vector<Column>{}, 3), 3);
}

TEST(KernelUtilTest, PropagateValidityAndsColumnsAndBroadcastsConstants) {
  std::vector<std::optional<int64_t>> a;
  std::vector<std::optional<int64_t>> b;
  for (int i = 0; i < 150; ++i) {
    a.push_back(i % 3 == 0 ? std::nullopt : std::optional<int64_t>(i));
    b.push_back(i % 5 == 0 ? std::nullopt : std::optional<int64_t>(i));
  }
  Column ca = expr_test::I64(a);
  Column cb = expr_test::I64(b);
  Validity v = PropagateValidity(std::vector<Column>{ca, cb}, 150, MemoryPool::Default());
  ASSERT_NE(v.bitmap, nullptr);
  int64_t nulls = 0;
  for (int i = 0; i < 150; ++i) {
    bool valid = i % 3 != 0 && i % 5 != 0;
    EXPECT_EQ(bits::Get(v.bitmap->data(), i), valid) << i;
    nulls += !valid;
  }
  EXPECT_EQ(v.null_count, nulls);
  Column valid_one = expr_test::I64({7});
  Column null_one = expr_test::I64({std::nullopt});
  Validity same = PropagateValidity(std::vector<Column>{ca, valid_one}, 150, MemoryPool::Default());
  EXPECT_EQ(same.null_count, 50);
  Validity all_null =
      PropagateValidity(std::vector<Column>{ca, null_one}, 150, MemoryPool::Default());
  EXPECT_EQ(all_null.null_count, 150);
  Validity none = PropagateValidity(std::vector<Column>{valid_one, expr_test::I64({1, 2})}, 2,
                                    MemoryPool::Default());
  EXPECT_EQ(none.bitmap, nullptr);
  EXPECT_EQ(none.null_count, 0);
}

TEST(KernelUtilTest, StringColumnWriterBuildsOffsetsAndValidity) {
  StringColumnWriter writer(Utf8(), 3, 0, MemoryPool::Default());
  writer.Append("hello");
  writer.Append("");
  char* room = writer.Reserve(10);
  std::memcpy(room, "abc", 3);
  writer.Commit(3);
  auto bitmap = MakeBitmap(3, true, MemoryPool::Default());
  bits::Clear(bitmap->data(), 1);
  Column out = writer.Finish(MakeValidity(std::move(bitmap), 3));
  EXPECT_EQ(Render(out), (Rows{"hello", "NULL", "abc"}));
}

TEST(KernelUtilTest, TakeRowsGathersAndMakesNullsForNegativeIndexes) {
  Column strings = expr_test::Strs({"a", std::nullopt, "ccc"});
  std::vector<int64_t> order = {2, -1, 0, 1, 2};
  EXPECT_EQ(Render(TakeRows(strings, order, MemoryPool::Default())),
            (Rows{"ccc", "NULL", "a", "NULL", "ccc"}));
  Column bools = expr_test::Bools({true, false});
  std::vector<int64_t> flip = {1, 0, -1};
  EXPECT_EQ(Render(TakeRows(bools, flip, MemoryPool::Default())), (Rows{"false", "true", "NULL"}));
  Column decimals = expr_test::Dec(20, 2, {100, -5});
  EXPECT_EQ(Render(TakeRows(decimals, flip, MemoryPool::Default())),
            (Rows{"-0.05", "1.00", "NULL"}));
}

TEST(KernelUtilTest, NullColumnIsAllNull) {
  for (const DataType& type : {Int32(), Utf8(), Bool(), Decimal(10, 2)}) {
    Column column = NullColumn(type, 70, MemoryPool::Default());
    EXPECT_EQ(column.length, 70);
    EXPECT_EQ(column.null_count, 70);
    EXPECT_TRUE(column.IsNull(69));
  }
}

TEST(KernelUtilTest, FillBitsWritesWholeWordsAndTheTail) {
  std::vector<uint8_t> bitmap(17, 0xAA);
  FillBits(bitmap.data(), 130, [](int64_t i) { return i % 3 == 0; });
  for (int64_t i = 0; i < 130; ++i) EXPECT_EQ(bits::Get(bitmap.data(), i), i % 3 == 0) << i;
}

TEST(KernelUtilTest, RoundHalfAwayFromZero) {
  EXPECT_EQ(RoundHalfAwayFromZero(2.5), 3.0);
  EXPECT_EQ(RoundHalfAwayFromZero(-2.5), -3.0);
  EXPECT_EQ(RoundHalfAwayFromZero(0.49999999999999994), 0.0);
  EXPECT_EQ(RoundHalfAwayFromZero(1e300), 1e300);
  EXPECT_TRUE(std::isnan(RoundHalfAwayFromZero(std::nan(""))));
  EXPECT_EQ(RoundHalfAwayFromZero(2.5f), 3.0f);
}

}  // namespace
}  // namespace sluice::kernels
