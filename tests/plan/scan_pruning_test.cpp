// Row-group pruning: predicates pushed into a Parquet scan skip row groups whose statistics
// prove no row can match, and never skip one that holds a matching row.
#include "plan/scan_pruning.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "io/parquet/reader/file_reader.h"
#include "plan_test_util.h"
#include "testing/temp_dir.h"

namespace sluice {
namespace {

constexpr int64_t kRows = 1000;
constexpr int64_t kGroupRows = 100;
constexpr int64_t kBaseMicros = 1704067200LL * 1000000;  // 2024-01-01 00:00:00

/// Row i: id = i, i32 = i, u32 = i, name = "name%04d", ts = 2024-01-01 + i hours,
/// day = 19000 + i / 10, price = i.05, f = i / 2 (NaN at row 250), maybe = i except null in
/// row group 3, sparse = null except in row group 7, flag = (row group is 4).
Batch TestData() {
  std::vector<Field> fields = {{"id", Int64(), true},
                               {"i32", Int32(), true},
                               {"u32", UInt32(), true},
                               {"name", Utf8(), true},
                               {"ts", Timestamp(TimeUnit::kMicro), true},
                               {"day", Date32(), true},
                               {"price", Decimal(10, 2), true},
                               {"f", Float64(), true},
                               {"maybe", Int64(), true},
                               {"sparse", Int64(), true},
                               {"flag", Bool(), true}};
  std::vector<ColumnBuilder> builders;
  for (const Field& field : fields) builders.emplace_back(field.type);
  for (int64_t i = 0; i < kRows; ++i) {
    int64_t group = i / kGroupRows;
    builders[0].Append<int64_t>(i);
    builders[1].Append<int32_t>(static_cast<int32_t>(i));
    builders[2].Append<uint32_t>(static_cast<uint32_t>(i));
    char name[16];
    std::snprintf(name, sizeof(name), "name%04d", static_cast<int>(i));
    builders[3].AppendString(name);
    builders[4].Append<int64_t>(kBaseMicros + i * 3600 * 1000000LL);
    builders[5].Append<int32_t>(static_cast<int32_t>(19000 + i / 10));
    builders[6].Append<int128_t>(static_cast<int128_t>(i) * 100 + 5);
    builders[7].Append<double>(i == 250 ? std::nan("") : static_cast<double>(i) / 2);
    if (group == 3)
      builders[8].AppendNull();
    else
      builders[8].Append<int64_t>(i);
    if (group == 7)
      builders[9].Append<int64_t>(i);
    else
      builders[9].AppendNull();
    builders[10].AppendBool(group == 4);
  }
  Batch batch;
  batch.schema = std::make_shared<Schema>(fields);
  batch.num_rows = kRows;
  for (ColumnBuilder& builder : builders) batch.columns.push_back(builder.Finish());
  return batch;
}

class ScanPruningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = TestData();
    path_ = dir_.Join("data.parquet");
    io::parquet::WriterOptions options;
    options.bloom_filter_columns = {"name"};
    test::WriteParquet(path_, data_, kGroupRows, options);
    ScanSource source;
    source.path = path_;
    source_ = OpenScanSource(source);
  }

  PlanPtr Scan(std::vector<Expr> filters) { return MakeScan(source_, {}, std::move(filters)); }

  int64_t Skipped(const Expr& filter) {
    RowGroupCounts counts = CountRowGroups(*Scan({filter}));
    EXPECT_EQ(counts.total, kRows / kGroupRows);
    return counts.skipped;
  }

  /// Checks that every row group holding a row the filter keeps is read.
  void ExpectNoFalseNegatives(const Expr& filter) {
    SCOPED_TRACE(filter.ToString());
    auto keep = MakeRowGroupFilter(*Scan({filter}));
    auto file = io::parquet::ParquetFile::Open(path_);
    Column result = Evaluate(*Bind(filter, *data_.schema), data_);
    for (int64_t i = 0; i < kRows; ++i) {
      if (result.IsNull(i) || !result.BoolAt(i)) continue;
      int group = static_cast<int>(i / kGroupRows);
      ASSERT_TRUE(!keep || keep(*file, group)) << "row " << i << " in row group " << group;
    }
  }

  test::TempDir dir_;
  Batch data_;
  std::string path_;
  std::shared_ptr<const ScanSource> source_;
};

Expr HoursAfterBase(int64_t hours) {
  return lit(
      Scalar{sluice::Timestamp(TimeUnit::kMicro), int64_t{kBaseMicros + hours * 3600 * 1000000}});
}

TEST_F(ScanPruningTest, SkipsRowGroupsOutsideARange) {
  EXPECT_EQ(Skipped(col("id") > 850), 8);
  EXPECT_EQ(Skipped(col("id") >= 800), 8);
  EXPECT_EQ(Skipped(col("id") < 100), 9);
  EXPECT_EQ(Skipped(col("id") <= 100), 8);
  EXPECT_EQ(Skipped(lit(150) > col("id")), 8);
  EXPECT_EQ(Skipped((col("id") > 100) && (col("id") < 200)), 9);
}

TEST_F(ScanPruningTest, SkipsRowGroupsWithoutAnEqualValue) {
  EXPECT_EQ(Skipped(col("id") == 123), 9);
  EXPECT_EQ(Skipped(col("id").is_in({lit(5), lit(555), lit(999)})), 7);
  EXPECT_EQ(Skipped(col("id").between(lit(250), lit(260))), 9);
  EXPECT_EQ(Skipped(col("name") == "name0123"), 9);
  EXPECT_EQ(Skipped(col("flag")), 9);
}

TEST_F(ScanPruningTest, UsesTheBloomFilterInsideTheRange) {
  // "name0123x" lies between name0123 and name0124: the range admits it, the bloom filter not
  // (with a 1% false positive rate this could keep the row group, very rarely).
  EXPECT_EQ(Skipped(col("name") == "name0123x"), 10);
}

TEST_F(ScanPruningTest, ComparesAcrossNumericTypes) {
  EXPECT_EQ(Skipped(col("i32") > 900), 9);
  EXPECT_EQ(Skipped(col("u32") < 50), 9);
  EXPECT_EQ(Skipped(col("id") > 850.5), 8);
  EXPECT_EQ(Skipped(col("price") > lit(Scalar{Decimal(10, 2), int128_t{50005}})), 5);
}

TEST_F(ScanPruningTest, ComparesTimestampsStringsAndDates) {
  EXPECT_EQ(Skipped(col("ts") > HoursAfterBase(850)), 8);
  EXPECT_EQ(Skipped(col("name") >= "name0900"), 9);
  EXPECT_EQ(Skipped(col("day") == lit(Scalar{Date32(), int64_t{19055}})), 9);
}

TEST_F(ScanPruningTest, UsesNullCounts) {
  EXPECT_EQ(Skipped(col("maybe").is_null()), 9);
  EXPECT_EQ(Skipped(col("sparse").is_not_null()), 9);
  EXPECT_EQ(Skipped(col("sparse") > 0), 9);
  EXPECT_EQ(Skipped(col("id") > lit_null(Int64())), 10);
}

TEST_F(ScanPruningTest, AFloatLowerBoundAloneSkipsNothingBecauseOfNaN) {
  // Statistics leave NaN out and NaN sorts above every number in SQL engines.
  EXPECT_EQ(Skipped(col("f") > 1000.0), 0);
  EXPECT_GE(Skipped(col("f") < 10.0), 8);
  EXPECT_GE(Skipped((col("f") > 400.0) && (col("f") < 420.0)), 8);
}

TEST_F(ScanPruningTest, PredicatesItCannotBoundSkipNothing) {
  EXPECT_EQ(Skipped((col("id") > 500) || (col("id") < 10)), 0);
  EXPECT_EQ(Skipped(col("id") + 1 > 900), 0);
  EXPECT_EQ(Skipped(col("name").str().starts_with("name09")), 0);
  EXPECT_FALSE(MakeRowGroupFilter(*Scan({})));
}

TEST_F(ScanPruningTest, NeverSkipsARowGroupWithAMatchingRow) {
  std::vector<Expr> filters = {
      col("id") > 850,
      col("id") >= 850,
      col("id") < 150,
      col("id") <= 99,
      col("id") == 123,
      col("id") != 5,
      lit(100) > col("id"),
      col("id").between(lit(250), lit(260)),
      col("id").is_in({lit(5), lit(555), lit(999), lit_null(Int64())}),
      col("id") > 850.5,
      col("id") < 1e20,
      col("id") > -1e20,
      col("i32") > 900,
      col("i32") == 77,
      col("u32") < 50,
      col("u32") > -1,
      col("name") > "name0900",
      col("name") == "name0123",
      col("name") < "name",
      col("ts") > HoursAfterBase(850),
      col("ts") <= HoursAfterBase(0),
      col("day") == lit(Scalar{Date32(), int64_t{19055}}),
      col("price") > 500.5,
      col("price") >= lit(Scalar{Decimal(10, 2), int128_t{50005}}),
      col("price") < 3,
      col("f") > 400.0,
      col("f") < 10.0,
      col("f") == 125.0,
      col("f") > 120,
      col("maybe").is_null(),
      col("maybe").is_not_null(),
      col("maybe") > 350,
      col("sparse").is_not_null(),
      col("sparse") > 0,
      col("sparse").is_null(),
      (col("id") > 100) && (col("id") < 200),
      (col("id") > 500) || (col("id") < 10),
      col("flag"),
      !col("flag"),
      col("id") > col("i32"),
  };
  for (const Expr& filter : filters) ExpectNoFalseNegatives(filter);
}

TEST_F(ScanPruningTest, AFileWithoutStatisticsSkipsNothing) {
  std::string path = dir_.Join("nostats.parquet");
  io::parquet::WriterOptions options;
  options.statistics = false;
  test::WriteParquet(path, data_, kGroupRows, options);
  ScanSource source;
  source.path = path;
  PlanPtr scan = MakeScan(OpenScanSource(source), {}, {col("id") > 850});
  EXPECT_EQ(CountRowGroups(*scan).skipped, 0);
}

TEST_F(ScanPruningTest, AColumnTheFileLacksSkipsNothing) {
  auto source = std::make_shared<ScanSource>(*source_);
  std::vector<Field> fields = source->file_schema->fields();
  fields.push_back({"extra", Int64(), true});
  source->file_schema = std::make_shared<Schema>(fields);
  PlanPtr scan = MakeScan(source, {}, {col("extra") > 5});
  EXPECT_EQ(CountRowGroups(*scan).skipped, 0);
}

TEST(ScanPruningCompareTest, ComparesValuesAcrossTypes) {
  using io::parquet::CompareValues;
  EXPECT_EQ(CompareValues(Scalar{Int32(), int64_t{5}}, Scalar{UInt64(), uint64_t{7}}), -1);
  EXPECT_EQ(CompareValues(Scalar{Int64(), int64_t{5}}, Scalar{Float64(), 5.0}), 0);
  EXPECT_EQ(CompareValues(Scalar{Int64(), int64_t{5}}, Scalar{Float64(), 4.5}), 1);
  EXPECT_EQ(CompareValues(Scalar{Int64(), int64_t{-5}}, Scalar{Float64(), -4.5}), -1);
  EXPECT_EQ(CompareValues(Scalar{Decimal(10, 2), int128_t{505}}, Scalar{Int64(), int64_t{5}}), 1);
  EXPECT_EQ(
      CompareValues(Scalar{Decimal(10, 2), int128_t{500}}, Scalar{Decimal(5, 0), int128_t{5}}), 0);
  EXPECT_FALSE(CompareValues(Scalar{Decimal(10, 2), int128_t{505}}, Scalar{Float64(), 5.0}));
  EXPECT_FALSE(CompareValues(Scalar{Float64(), std::nan("")}, Scalar{Float64(), 1.0}));
  EXPECT_EQ(
      CompareValues(Scalar{Utf8(), std::string("b")}, Scalar{Utf8(), std::string("\xc3\xa9")}), -1);
  EXPECT_EQ(CompareValues(Scalar{sluice::Timestamp(TimeUnit::kMilli), int64_t{1}},
                          Scalar{sluice::Timestamp(TimeUnit::kMicro), int64_t{1000}}),
            0);
  EXPECT_FALSE(CompareValues(Scalar{sluice::Timestamp(TimeUnit::kMicro, "UTC"), int64_t{1}},
                             Scalar{sluice::Timestamp(TimeUnit::kMicro), int64_t{1}}));
  EXPECT_FALSE(CompareValues(Scalar{Utf8(), std::string("1")}, Scalar{Int64(), int64_t{1}}));
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(ScanPruningHiveTest, SkipsFilesOfOtherPartitions) {
  test::TempDir dir;
  std::vector<Field> fields = {{"x", Int64(), true}};
  auto write = [&](const std::string& relative, int64_t rows) {
    ColumnBuilder builder(Int64());
    for (int64_t i = 0; i < rows; ++i) builder.Append<int64_t>(i);
    Batch batch;
    batch.schema = std::make_shared<Schema>(fields);
    batch.num_rows = rows;
    batch.columns.push_back(builder.Finish());
    std::string path = dir.Join(relative);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    test::WriteParquet(path, batch, 10);
  };
  write("year=2022/country=NL/a.parquet", 20);
  write("year=2023/country=NL/b.parquet", 20);
  write("year=2023/country=DE/c.parquet", 20);
  write("year=2024/country=__HIVE_DEFAULT_PARTITION__/d.parquet", 20);
  ScanSource source;
  source.path = dir.path();
  auto opened = OpenScanSource(source);
  ASSERT_TRUE(opened->file_schema->FindField("year"));
  auto skipped = [&](Expr filter) { return CountRowGroups(*MakeScan(opened, {}, {filter})); };
  EXPECT_EQ(skipped(col("year") == 2023).total, 8);
  EXPECT_EQ(skipped(col("year") == 2023).skipped, 4);
  EXPECT_EQ(skipped(col("year") >= 2023).skipped, 2);
  EXPECT_EQ(skipped(col("country") == "NL").skipped, 4);
  EXPECT_EQ(skipped(col("country").is_null()).skipped, 6);
  EXPECT_EQ(skipped((col("country") == "NL") && (col("x") > 100)).skipped, 8);
  EXPECT_EQ(skipped(col("country") > "A").skipped, 2);
}

}  // namespace
}  // namespace sluice
