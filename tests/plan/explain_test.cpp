// EXPLAIN: every node kind prints its parameters; the optimized plan shows pushed predicates,
// the columns read and the row groups statistics skip.
#include <gtest/gtest.h>

#include <sstream>

#include "plan/lazy_frame.h"
#include "plan/optimizer.h"
#include "plan_test_util.h"
#include "testing/temp_dir.h"

namespace sluice {
namespace {

using test::FakeScan;
using test::FakeSource;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// 730 daily events from 2022-01-01, in row groups of 100 rows.
std::string WriteEvents(const test::TempDir& dir) {
  std::vector<Field> fields = {{"timestamp", Timestamp(TimeUnit::kMicro), true},
                               {"category", Utf8(), true},
                               {"revenue", Float64(), true},
                               {"user_id", Int64(), true}};
  std::vector<ColumnBuilder> builders;
  for (const Field& field : fields) builders.emplace_back(field.type);
  const int64_t start = 1640995200LL * 1000000;  // 2022-01-01
  for (int64_t i = 0; i < 730; ++i) {
    builders[0].Append<int64_t>(start + i * 86400LL * 1000000);
    builders[1].AppendString(i % 2 == 0 ? "books" : "games");
    builders[2].Append<double>(static_cast<double>(i));
    builders[3].Append<int64_t>(i % 17);
  }
  Batch batch;
  batch.schema = std::make_shared<Schema>(fields);
  batch.num_rows = 730;
  for (ColumnBuilder& builder : builders) batch.columns.push_back(builder.Finish());
  std::string path = dir.Join("events.parquet");
  test::WriteParquet(path, batch, 100);
  return path;
}

TEST(ExplainTest, ShowsTheSeedPipelineOptimized) {
  test::TempDir dir;
  std::string path = WriteEvents(dir);
  LazyFrame query =
      scan_parquet(path)
          .filter(col("timestamp") > lit_timestamp("2023-01-01"))
          .with_columns({(col("revenue") * 0.8).alias("net_revenue"), col("user_id").cast(Utf8())})
          .group_by({"category"})
          .agg({col("net_revenue").sum()});
  std::vector<std::string> lines = Lines(ExplainPlan(Optimize(query.plan())));
  ASSERT_EQ(lines.size(), 3u) << ExplainPlan(Optimize(query.plan()));
  EXPECT_TRUE(lines[0].starts_with("Aggregate keys=[category] aggs=["));
  EXPECT_TRUE(lines[1].starts_with("  Project [category, "));
  EXPECT_TRUE(Contains(lines[1], "AS net_revenue"));
  EXPECT_TRUE(
      lines[2].starts_with("    Scan parquet " + path + " (1 file) columns=[category, revenue]"))
      << lines[2];
  EXPECT_TRUE(Contains(lines[2], "filters=[timestamp > "));
  EXPECT_TRUE(Contains(lines[2], "row groups: 3 of 8 skipped by statistics")) << lines[2];
}

TEST(ExplainTest, ShowsThePlanBeforeAndAfter) {
  PlanPtr plan = MakeFilter(FakeScan(), col("a") > 1);
  std::string text = ExplainBeforeAfter(plan);
  EXPECT_TRUE(text.starts_with("== logical plan ==\nFilter "));
  EXPECT_TRUE(Contains(text, "\n  Scan parquet t.parquet (1 file) columns=all 5\n"));
  EXPECT_TRUE(Contains(text, "\n== optimized plan ==\nScan parquet t.parquet (1 file)"));
  EXPECT_TRUE(Contains(text, "filters=[" + (col("a") > 1).ToString() + "]"));
}

TEST(ExplainTest, ShowsEveryNodesParameters) {
  PlanPtr right = MakeScan(FakeSource({{"a", Int64(), true}, {"d", Int64(), true}}, "r.csv"));
  PlanPtr join = MakeJoin(FakeScan(), right, JoinType::kLeft, {col("a")}, {col("a")}, "_r");
  PlanPtr sorted = MakeSort(join, {{col("d"), true, std::nullopt}, {col("b"), false, true}}, 10);
  PlanPtr limited = MakeLimit(MakeDistinct(sorted, {"a", "b"}), 5, 3);
  PlanPtr unioned = MakeUnion({limited, limited});
  auto target = std::make_shared<SinkTarget>();
  target->path = "out.csv";
  target->format = SinkTarget::Format::kCsv;
  std::string text = ExplainPlan(MakeSink(unioned, target));
  std::vector<std::string> lines = Lines(text);
  EXPECT_EQ(lines[0], "Sink csv out.csv");
  EXPECT_EQ(lines[1], "  Union inputs=2");
  EXPECT_EQ(lines[2], "    Limit offset=5 count=3");
  EXPECT_EQ(lines[3], "      Distinct subset=[a, b]");
  EXPECT_EQ(lines[4], "        Sort by=[d desc nulls first, b asc nulls last] limit=10 (top-k)");
  EXPECT_EQ(lines[5], "          Join left on [a = a] suffix=_r");
  EXPECT_TRUE(lines[6].starts_with("            Scan parquet t.parquet"));
  EXPECT_TRUE(lines[7].starts_with("            Scan parquet r.csv"));
}

TEST(ExplainTest, ShowsLimitsAndCrossJoins) {
  EXPECT_EQ(ExplainPlan(MakeLimit(FakeScan(), 0, 7)).substr(0, 8), "Limit 7\n");
  EXPECT_EQ(ExplainPlan(MakeLimit(FakeScan(), 4, -1)).substr(0, 15), "Limit offset=4\n");
  PlanPtr cross = MakeJoin(FakeScan(), FakeScan(), JoinType::kCross, {}, {});
  EXPECT_EQ(Lines(ExplainPlan(cross))[0], "Join cross");
}

TEST(ExplainTest, LazyFrameExplainShowsBeforeAndAfterByDefault) {
  LazyFrame frame(MakeFilter(FakeScan(), col("a") > 1));
  std::string both = frame.explain();
  EXPECT_TRUE(both.starts_with("== logical plan ==\nFilter")) << both;
  EXPECT_NE(both.find("== optimized plan ==\nScan parquet"), std::string::npos) << both;
  EXPECT_TRUE(frame.explain(false).starts_with("Filter"));
}

}  // namespace
}  // namespace sluice
