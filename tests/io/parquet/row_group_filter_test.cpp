// Row-group pruning at the io layer: bounds against real statistics, without expressions.
#include "io/parquet/reader/row_group_filter.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/column_builder.h"
#include "io/parquet/writer/file_writer.h"
#include "testing/temp_dir.h"

namespace sluice::io::parquet {
namespace {

/// Two row groups of 4 rows: x = 0..3 then 10..13 (null at row 5); f = 1.0..4.0 then NaN and
/// 5.0..7.0.
std::shared_ptr<ParquetFile> WriteFile(const test::TempDir& dir) {
  std::vector<Field> fields = {{"x", Int64(), true}, {"f", Float64(), true}};
  ColumnBuilder x(Int64()), f(Float64());
  for (int64_t i = 0; i < 8; ++i) {
    if (i == 5)
      x.AppendNull();
    else
      x.Append<int64_t>(i < 4 ? i : i + 6);
    f.Append<double>(i == 4 ? std::nan("") : static_cast<double>(i + 1));
  }
  Batch batch;
  batch.schema = std::make_shared<Schema>(fields);
  batch.num_rows = 8;
  batch.columns = {x.Finish(), f.Finish()};
  WriterOptions options;
  options.row_group_size = 4;
  std::string path = dir.Join("t.parquet");
  ParquetWriter writer(path, *batch.schema, options);
  writer.Write(batch);
  writer.Close();
  return ParquetFile::Open(path);
}

ColumnBound Bound(std::string column) {
  ColumnBound bound;
  bound.column = std::move(column);
  return bound;
}

Scalar I(int64_t v) {
  return Scalar{Int64(), v};
}
Scalar D(double v) {
  return Scalar{Float64(), v};
}

TEST(RowGroupFilterTest, ComparesRangesWithStatistics) {
  test::TempDir dir;
  auto file = WriteFile(dir);
  ColumnBound above = Bound("x");
  above.min = I(3);
  EXPECT_TRUE(RowGroupMayMatch(*file, 0, {above}));
  above.min_inclusive = false;
  EXPECT_FALSE(RowGroupMayMatch(*file, 0, {above}));
  EXPECT_TRUE(RowGroupMayMatch(*file, 1, {above}));
  ColumnBound below = Bound("x");
  below.max = I(10);
  below.max_inclusive = false;
  EXPECT_FALSE(RowGroupMayMatch(*file, 1, {below}));
}

TEST(RowGroupFilterTest, ChecksValueLists) {
  test::TempDir dir;
  auto file = WriteFile(dir);
  ColumnBound in = Bound("x");
  in.values = std::vector<Scalar>{I(7), I(20)};
  EXPECT_FALSE(RowGroupMayMatch(*file, 0, {in}));
  EXPECT_FALSE(RowGroupMayMatch(*file, 1, {in}));
  in.values->push_back(I(12));
  EXPECT_TRUE(RowGroupMayMatch(*file, 1, {in}));
  in.values = std::vector<Scalar>{};
  EXPECT_FALSE(RowGroupMayMatch(*file, 1, {in}));
}

TEST(RowGroupFilterTest, UsesNullCounts) {
  test::TempDir dir;
  auto file = WriteFile(dir);
  ColumnBound null = Bound("x");
  null.is_null = true;
  EXPECT_FALSE(RowGroupMayMatch(*file, 0, {null}));
  EXPECT_TRUE(RowGroupMayMatch(*file, 1, {null}));
  null.not_null = true;  // both at once: nothing matches
  EXPECT_FALSE(RowGroupMayMatch(*file, 1, {null}));
}

TEST(RowGroupFilterTest, AFloatLowerBoundAloneMayMatchNaN) {
  test::TempDir dir;
  auto file = WriteFile(dir);
  ColumnBound above = Bound("f");
  above.min = D(100);
  // Row group 0 has no NaN, but statistics do not say so: NaN sorts above 100.
  EXPECT_TRUE(RowGroupMayMatch(*file, 0, {above}));
  EXPECT_TRUE(RowGroupMayMatch(*file, 1, {above}));
  above.max = D(200);
  EXPECT_FALSE(RowGroupMayMatch(*file, 0, {above}));
  EXPECT_FALSE(RowGroupMayMatch(*file, 1, {above}));
}

TEST(RowGroupFilterTest, UnknownColumnsAndIncomparableValuesMayMatch) {
  test::TempDir dir;
  auto file = WriteFile(dir);
  ColumnBound missing = Bound("nope");
  missing.min = I(1000);
  EXPECT_TRUE(RowGroupMayMatch(*file, 0, {missing}));
  ColumnBound text = Bound("x");
  text.min = Scalar{Utf8(), std::string("zzz")};
  EXPECT_TRUE(RowGroupMayMatch(*file, 0, {text}));
  EXPECT_TRUE(RowGroupMayMatch(*file, 0, {}));
}

}  // namespace
}  // namespace sluice::io::parquet
