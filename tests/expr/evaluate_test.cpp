// The evaluator and its column/scalar conversions: column references share buffers, constants
// stay one value until expanded, and Broadcast / ScalarFromColumn / ColumnFromScalar round-trip
// every type.
#include "expr/evaluate.h"

#include <gtest/gtest.h>

#include "expr_test_util.h"

namespace sluice {
namespace {

using expr_test::Eval;
using expr_test::MakeBatch;
using expr_test::Render;
using expr_test::Rows;

TEST(EvaluateTest, ColumnReferencesShareTheBatchBuffers) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2})}});
  Column out = Eval(col("a").alias("b"), batch);
  EXPECT_EQ(out.values.get(), batch.columns[0].values.get());
}

TEST(EvaluateTest, ConstantsExpandOnlyWhenAsked) {
  Batch batch = MakeBatch({{"a", expr_test::I64({1, 2, 3})}});
  EXPECT_EQ(Eval(lit("x"), batch, /*expand=*/false).length, 1);
  EXPECT_EQ(Render(Eval(lit("x"), batch)), (Rows{"x", "x", "x"}));
  EXPECT_EQ(Render(Eval(lit_null(Utf8()), batch)), (Rows{"NULL", "NULL", "NULL"}));
}

TEST(EvaluateTest, EmptyBatches) {
  Batch batch = MakeBatch({{"a", expr_test::I64({})}});
  EXPECT_EQ(Eval(col("a") + 1, batch).length, 0);
  EXPECT_EQ(Eval(lit(1) + 1, batch).length, 0);
  EXPECT_EQ(Eval(col("a") > 1 && lit(true), batch).length, 0);
}

Scalar MakeScalar(DataType type, Scalar::Value value) {
  Scalar s;
  s.type = std::move(type);
  s.value = std::move(value);
  return s;
}

TEST(EvaluateTest, ScalarsRoundTripThroughColumns) {
  std::vector<Scalar> scalars = {
      MakeScalar(Bool(), true),
      MakeScalar(Int8(), int64_t{-5}),
      MakeScalar(Int16(), int64_t{-300}),
      MakeScalar(Int32(), int64_t{70000}),
      MakeScalar(Int64(), int64_t{-1} << 40),
      MakeScalar(UInt8(), uint64_t{200}),
      MakeScalar(UInt64(), ~uint64_t{0}),
      MakeScalar(Float32(), 0.5),
      MakeScalar(Float64(), -2.25),
      MakeScalar(Decimal(20, 3), int128_t{123456789} * 1000000),
      MakeScalar(Utf8(), std::string("héllo")),
      MakeScalar(Binary(), std::string("\x00\x01", 2)),
      MakeScalar(Date32(), int64_t{19783}),
      MakeScalar(Timestamp(TimeUnit::kNano, "UTC"), int64_t{1} << 60),
      MakeScalar(Duration(TimeUnit::kMilli), int64_t{-5}),
      MakeScalar(Uuid(), std::string(16, '\x7f')),
      MakeScalar(Int64(), std::monostate{}),
  };
  for (const Scalar& s : scalars) {
    Column column = ColumnFromScalar(s);
    ASSERT_EQ(column.length, 1) << s.type.ToString();
    EXPECT_EQ(column.type, s.type);
    Scalar back = ScalarFromColumn(column);
    EXPECT_EQ(back.type, s.type);
    EXPECT_TRUE(back.value == s.value) << s.type.ToString();
  }
}

TEST(EvaluateTest, BroadcastRepeatsEveryType) {
  for (const Scalar& s :
       {MakeScalar(Bool(), true), MakeScalar(Int8(), int64_t{3}), MakeScalar(Int16(), int64_t{3}),
        MakeScalar(Float32(), 1.5), MakeScalar(Int64(), int64_t{9}),
        MakeScalar(Decimal(30, 2), int128_t{7}), MakeScalar(Utf8(), std::string("ab")),
        MakeScalar(Uuid(), std::string(16, 'u')), MakeScalar(Date32(), std::monostate{})}) {
    Column one = ColumnFromScalar(s);
    Column many = Broadcast(one, 130);
    ASSERT_EQ(many.length, 130);
    EXPECT_EQ(many.type, s.type);
    for (int64_t i = 0; i < 130; ++i) {
      Scalar at = ScalarFromColumn(many, i);
      ASSERT_TRUE(at.value == s.value) << s.type.ToString() << " row " << i;
    }
    EXPECT_EQ(many.null_count, s.is_null() ? 130 : 0);
  }
}

}  // namespace
}  // namespace sluice
