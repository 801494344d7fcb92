// Hive-partitioned sinks (SinkTarget::partition_by): DuckDB's layout and value text, partition
// columns left out of the files, the output read back by scan_parquet with hive partitioning,
// the same bytes at any thread count, a bounded number of open files, and nothing published when
// the run fails or the target holds something else.
#include "exec/partitioned_sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/data_frame.h"
#include "core/error.h"
#include "exec/join_sort_test_util.h"
#include "exec/scan.h"
#include "io/parquet/reader/scanner.h"
#include "plan/lazy_frame.h"
#include "testing/temp_dir.h"

namespace sluice::exec {
namespace {

using test::Int64s;
using test::MakeBatch;
using test::MakeSchema;
using test::Strings;
using Rows = std::vector<std::string>;

/// Rows with a region (nulls, an empty string, characters that need escaping), a year and data.
std::shared_ptr<const DataFrame> Sales(int64_t rows) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = MakeSchema({{"id", Int64(), true},
                              {"region", Utf8(), true},
                              {"year", Int64(), true},
                              {"amount", Int64(), true}});
  const std::vector<std::optional<std::string>> regions = {"north", "a/b c", std::nullopt, "",
                                                           "x=y%é"};
  std::vector<std::optional<int64_t>> id, year, amount;
  std::vector<std::optional<std::string>> region;
  for (int64_t i = 0; i < rows; ++i) {
    id.push_back(i);
    region.push_back(regions[static_cast<size_t>(i * 7 % 5)]);
    year.push_back(i % 11 == 0 ? std::nullopt : std::optional<int64_t>(2020 + i % 3));
    amount.push_back(i * 3);
  }
  // Several batches, so that workers split and the writer orders them.
  const Batch all =
      MakeBatch(frame->schema, {Int64s(id), Strings(region), Int64s(year), Int64s(amount)});
  for (int64_t at = 0; at < rows; at += 97) {
    frame->batches.push_back(all.Slice(at, std::min<int64_t>(97, rows - at)));
  }
  return frame;
}

SinkTarget Target(const std::string& path, std::vector<std::string> by,
                  SinkTarget::Format format = SinkTarget::Format::kParquet) {
  SinkTarget target;
  target.format = format;
  target.path = path;
  target.partition_by = std::move(by);
  return target;
}

/// Every file below `root`, as relative paths, sorted.
std::vector<std::string> Files(const std::string& root) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file())
      files.push_back(std::filesystem::relative(entry.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Rows Sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(PartitionedSinkTest, WritesDuckDbLayoutAndReadsBackTheSameRows) {
  test::TempDir dir;
  const std::string out = dir.Join("out");
  LazyFrame frame(MakeMemoryScan(Sales(1000)));
  EXPECT_EQ(frame.sink(Target(out, {"region", "year"})), 1000);

  std::vector<std::string> files = Files(out);
  // 5 regions x (3 years + null), one data_0.parquet each; nulls and empty strings as DuckDB.
  EXPECT_EQ(files.size(), 20u);
  for (const char* expected :
       {"region=north/year=2020/data_0.parquet", "region=a%2Fb%20c/year=2021/data_0.parquet",
        "region=__HIVE_DEFAULT_PARTITION__/year=__HIVE_DEFAULT_PARTITION__/data_0.parquet",
        "region=/year=2022/data_0.parquet", "region=x%3Dy%25%C3%A9/year=2020/data_0.parquet"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), expected), files.end()) << expected;
  }
  // The files hold the other columns only.
  io::parquet::ScanOptions no_hive;
  no_hive.hive = io::parquet::ScanOptions::Hive::kOff;
  io::parquet::ParquetScanner one({out + "/region=north/year=2020/data_0.parquet"}, no_hive);
  EXPECT_EQ(one.schema()->ToString(),
            MakeSchema({{"id", Int64(), true}, {"amount", Int64(), true}})->ToString());

  // scan_parquet with hive partitioning reads the same rows back (partition columns last).
  ParquetScanArgs args;
  args.hive = ScanSource::Hive::kOn;
  DataFrame back = scan_parquet(out + "/**/*.parquet", args)
                       .select({col("id"), col("region"), col("year"), col("amount")})
                       .collect();
  DataFrame original = frame.collect();
  EXPECT_EQ(Sorted(test::Rows(back.batches)), Sorted(test::Rows(original.batches)));
  // Within one file, rows keep their input order.
  DataFrame north = scan_parquet(out + "/region=north/year=2021/*.parquet").collect();
  Rows ids = test::Rows(north.batches);
  EXPECT_TRUE(std::is_sorted(
      ids.begin(), ids.end(),
      [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); }));
}

TEST(PartitionedSinkTest, SameBytesAtAnyThreadCountAndWithFewOpenFiles) {
  test::TempDir dir;
  LazyFrame frame(MakeMemoryScan(Sales(3000)));
  auto write = [&](const std::string& name, int threads) {
    RunOptions options;
    options.threads = threads;
    frame.sink(Target(dir.Join(name), {"year"}), options);
    std::vector<std::string> contents;
    for (const std::string& file : Files(dir.Join(name)))
      contents.push_back(file + ":" + test::ReadFile(dir.Join(name) + "/" + file));
    return contents;
  };
  const auto one = write("one", 1);
  EXPECT_EQ(one, write("four", 4));
  // Writing again replaces the earlier output.
  EXPECT_EQ(one, write("one", 3));

  // At most two files open: partitions take turns, and each reopening starts the next file.
  const std::string capped = dir.Join("capped");
  PlanPtr plan = MakeMemoryScan(Sales(400));
  {
    ThreadPool threads(3);
    ExecContext context{&threads, MemoryPool::Default(), nullptr, 50};
    PartitionedSink sink(Target(capped, {"year"}), *plan->schema, context, /*max_open_files=*/2);
    RunPipeline(MakeScanStream(*plan, context), sink, context);  // Finishes the sink.
    EXPECT_EQ(sink.rows_written(), 400);
  }
  std::vector<std::string> files = Files(capped);
  EXPECT_GT(files.size(), 4u);
  EXPECT_NE(std::find(files.begin(), files.end(), "year=2020/data_1.parquet"), files.end());
  ParquetScanArgs args;
  args.hive = ScanSource::Hive::kOn;
  DataFrame back = scan_parquet(capped + "/**/*.parquet", args)
                       .select({col("id"), col("region"), col("year"), col("amount")})
                       .collect();
  EXPECT_EQ(Sorted(test::Rows(back.batches)),
            Sorted(test::Rows(LazyFrame(plan).collect().batches)));
}

TEST(PartitionedSinkTest, SpillsWaitingRowsUnderATinyBudgetAndWritesTheSameBytes) {
  // A Parquet partition's rows wait for a whole row group; under a budget far below them they
  // go to spill files and come back, cut at row group boundaries, into the same bytes.
  test::TempDir dir;
  PlanPtr plan = MakeMemoryScan(Sales(60000));
  SinkTarget target = Target("", {"region", "year"});  // 20 partitions.
  target.parquet.row_group_size = 2000;  // Not a multiple of any batch's share of a partition.
  // Unique ids fall back to PLAIN after a few pages: the files hold both encodings.
  target.parquet.dictionary_size_limit = 8 << 10;
  auto write = [&](const std::string& name, MemoryPool* pool, int threads) {
    target.path = dir.Join(name);
    {
      ThreadPool workers(threads);
      ExecContext context{&workers, pool, nullptr, 97};
      PartitionedSink sink(target, *plan->schema, context);
      RunPipeline(MakeScanStream(*plan, context), sink, context);
      EXPECT_EQ(sink.rows_written(), 60000);
    }
    std::vector<std::string> contents;
    for (const std::string& file : Files(target.path))
      contents.push_back(file + ":" + test::ReadFile(target.path + "/" + file));
    return contents;
  };
  MemoryPool unlimited;
  const auto expected = write("memory", &unlimited, 1);
  EXPECT_EQ(unlimited.spill_count(), 0);
  for (int threads : {1, 3}) {
    MemoryPool pool(384 << 10);
    EXPECT_EQ(write("spilled", &pool, threads), expected) << threads << " threads";
    EXPECT_GT(pool.spill_count(), 0);
    EXPECT_EQ(pool.used(), 0);
  }

  // A partition's file is the file its rows alone would make: row groups of 2000 rows.
  SinkTarget single;
  single.path = dir.Join("north.parquet");
  single.parquet = target.parquet;
  LazyFrame(plan)
      .filter(col("region") == lit("north") && col("year") == lit(int64_t{2020}))
      .select({col("id"), col("amount")})
      .sink(single);
  EXPECT_TRUE(test::ReadFile(single.path) ==
              test::ReadFile(dir.Join("memory/region=north/year=2020/data_0.parquet")));
}

TEST(PartitionedSinkTest, CsvPartitionsHaveHeadersWithoutThePartitionColumns) {
  test::TempDir dir;
  const std::string out = dir.Join("csv_out");
  LazyFrame(MakeMemoryScan(Sales(30)))
      .filter(col("year") == 2021)
      .sink(Target(out, {"year"}, SinkTarget::Format::kCsv));
  EXPECT_EQ(Files(out), (std::vector<std::string>{"year=2021/data_0.csv"}));
  const std::string text = test::ReadFile(out + "/year=2021/data_0.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')), "id,region,amount");
}

TEST(PartitionedSinkTest, FailedRunsPublishNothing) {
  test::TempDir dir;
  LazyFrame frame(MakeMemoryScan(Sales(500)));
  // Division by zero on row 250, after earlier batches were written to the staging folder.
  const std::string out = dir.Join("failed");
  EXPECT_THROW(frame.with_columns({(col("amount") / (col("id") - 250)).alias("ratio")})
                   .sink(Target(out, {"year"})),
               Error);
  EXPECT_EQ(dir.List(), std::vector<std::string>{});  // No output, no staging folder.

  // A target holding something that is not partition output is left alone.
  dir.WriteFile("precious/notes.txt", "keep me");
  EXPECT_THROW(frame.sink(Target(dir.Join("precious"), {"year"})), Error);
  EXPECT_EQ(test::ReadFile(dir.Join("precious/notes.txt")), "keep me");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"precious"});

  EXPECT_THROW(frame.sink(Target(dir.Join("x"), {"nope"})), Error);
  EXPECT_THROW(frame.select({col("year")}).sink(Target(dir.Join("x"), {"year"})), Error);
}

TEST(PartitionedSinkTest, ValuesAreWrittenAsDuckDbCastsThemToText) {
  ColumnBuilder doubles(Float64());
  for (double v : {2.0, -0.0, 1.5, 1e20}) doubles.Append<double>(v);
  Column column = doubles.Finish();
  EXPECT_EQ(PartitionValueText(column, 0), "2.0");
  EXPECT_EQ(PartitionValueText(column, 1), "-0.0");
  EXPECT_EQ(PartitionValueText(column, 2), "1.5");
  EXPECT_EQ(PartitionValueText(column, 3), "1e%2B20");
  ColumnBuilder stamps(Timestamp(TimeUnit::kMicro));
  for (int64_t v : {int64_t{1704153600500000}, int64_t{1704164645000000}})
    stamps.Append<int64_t>(v);
  Column timestamps = stamps.Finish();
  EXPECT_EQ(PartitionValueText(timestamps, 0), "2024-01-02%2000%3A00%3A00.5");
  EXPECT_EQ(PartitionValueText(timestamps, 1), "2024-01-02%2003%3A04%3A05");
  Column strings = Strings({"tab\tx", "~-._", std::nullopt});
  EXPECT_EQ(PartitionValueText(strings, 0), "tab%09x");
  EXPECT_EQ(PartitionValueText(strings, 1), "~-._");
  EXPECT_EQ(PartitionValueText(strings, 2), "__HIVE_DEFAULT_PARTITION__");
}

}  // namespace
}  // namespace sluice::exec
