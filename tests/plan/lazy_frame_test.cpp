// The LazyFrame builder: output schemas, the errors it raises while a query is built, and how
// group_by().agg() splits expressions over aggregates.
#include "plan/lazy_frame.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::FakeSource;
using test::Spine;

LazyFrame Events() {
  return LazyFrame(MakeScan(FakeSource({{"timestamp", Timestamp(TimeUnit::kMicro), true},
                                        {"category", Utf8(), true},
                                        {"revenue", Float64(), true},
                                        {"cost", Float64(), true},
                                        {"user_id", Int64(), true}},
                                       "events.parquet")));
}

LazyFrame Users() {
  return LazyFrame(MakeScan(
      FakeSource({{"user_id", Int64(), true}, {"category", Utf8(), true}, {"age", Int32(), true}},
                 "users.parquet")));
}

std::vector<std::string> Names(const LazyFrame& frame) {
  std::vector<std::string> names;
  for (const Field& field : frame.schema().fields()) names.push_back(field.name);
  return names;
}

using Strings = std::vector<std::string>;

/// The message of the error `build` throws, or "" when it throws none.
template <typename F>
std::string ErrorOf(F build) {
  try {
    build();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(LazyFrameTest, WithColumnsReplacesInPlaceAndAppendsNewColumns) {
  LazyFrame frame = Events().with_columns(
      {(col("revenue") * 0.8).alias("net_revenue"), col("user_id").cast(Utf8())});
  EXPECT_EQ(Names(frame),
            (Strings{"timestamp", "category", "revenue", "cost", "user_id", "net_revenue"}));
  EXPECT_EQ(frame.schema().field(4).type, Utf8());
  EXPECT_EQ(frame.schema().field(5).type, Float64());
}

TEST(LazyFrameTest, SelectRenameAndDropShapeTheSchema) {
  EXPECT_EQ(Names(Events().select(Strings{"cost", "category"})), (Strings{"cost", "category"}));
  EXPECT_EQ(Names(Events().rename({{"cost", "spend"}}).drop({"timestamp", "user_id"})),
            (Strings{"category", "revenue", "spend"}));
}

TEST(LazyFrameTest, AnUnknownColumnSuggestsTheClosestName) {
  std::string message = ErrorOf([] { Events().filter(col("revenu") > 1); });
  EXPECT_NE(message.find("revenu"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean"), std::string::npos) << message;
  EXPECT_NE(message.find("revenue"), std::string::npos) << message;
  EXPECT_NE(ErrorOf([] { Events().drop({"costs"}); }).find("cost"), std::string::npos);
  EXPECT_NE(
      ErrorOf([] { Events().group_by({"categroy"}).agg({col("cost").sum()}); }).find("category"),
      std::string::npos);
}

TEST(LazyFrameTest, ATypeErrorNamesTheExpression) {
  std::string message = ErrorOf([] { Events().select({col("category") + col("revenue")}); });
  EXPECT_NE(message.find("category + revenue"), std::string::npos) << message;
  EXPECT_NE(message.find("utf8"), std::string::npos) << message;
}

TEST(LazyFrameTest, AFilterMustBeBoolean) {
  std::string message = ErrorOf([] { Events().filter(col("revenue") + 1); });
  EXPECT_NE(message.find("not a boolean"), std::string::npos) << message;
}

TEST(LazyFrameTest, AggregatesOutsideAnAggregationAreRejected) {
  EXPECT_NE(ErrorOf([] { Events().filter(col("revenue").sum() > 1); }), "");
  EXPECT_NE(ErrorOf([] { Events().with_columns({col("revenue").sum()}); }), "");
}

TEST(LazyFrameTest, AggSplitsExpressionsOverAggregates) {
  LazyFrame frame = Events()
                        .group_by({"category"})
                        .agg({(col("revenue").sum() / col("cost").sum()).alias("ratio"),
                              col("revenue").sum().alias("total"), col("revenue").max()});
  EXPECT_EQ(Names(frame), (Strings{"category", "ratio", "total", "revenue"}));
  const PlanPtr& plan = frame.plan();
  ASSERT_EQ(Spine(plan), "Project Aggregate Scan");
  const LogicalPlan& aggregate = *plan->inputs[0];
  // sum(revenue) appears twice (inside ratio and as total); the split computes what it must.
  EXPECT_GE(aggregate.aggregates.size(), 3u);
  EXPECT_EQ(frame.schema().field(1).type, Float64());
}

TEST(LazyFrameTest, PlainAggregatesNeedNoProjection) {
  LazyFrame frame = Events().group_by({"category"}).agg({col("revenue").sum(), count_rows()});
  EXPECT_EQ(Spine(frame.plan()), "Aggregate Scan");
  EXPECT_EQ(Names(frame), (Strings{"category", "revenue", "count"}));
}

TEST(LazyFrameTest, SelectWithAggregatesReducesToOneRow) {
  LazyFrame frame = Events().select({col("revenue").sum().alias("total"), count_rows()});
  EXPECT_EQ(Spine(frame.plan()), "Aggregate Scan");
  EXPECT_TRUE(frame.plan()->keys.empty());
}

TEST(LazyFrameTest, JoinSuffixesClashingNamesAndCoalescesKeys) {
  LazyFrame joined = Events().join(Users(), Strings{"user_id"});
  EXPECT_EQ(Names(joined), (Strings{"timestamp", "category", "revenue", "cost", "user_id",
                                    "category_right", "age"}));
  LazyFrame semi = Events().join(Users(), Strings{"user_id"}, JoinType::kSemi);
  EXPECT_EQ(Names(semi).size(), 5u);
  EXPECT_NE(ErrorOf([&] { Events().join(Users(), {col("category")}, {col("age")}); }), "");
}

TEST(LazyFrameTest, SortAndSliceCheckTheirArguments) {
  EXPECT_NE(ErrorOf([] { Events().sort(Strings{"revenue", "cost"}, {true}); }), "");
  EXPECT_NE(ErrorOf([] { Events().slice(0, -1); }), "");
  EXPECT_NE(ErrorOf([] { Events().sort(Strings{"revenu"}); }).find("revenue"), std::string::npos);
  EXPECT_EQ(Names(Events().sort(Strings{"revenue"}, {true}).head(3)).size(), 5u);
}

TEST(LazyFrameTest, ConcatNeedsTheSameColumns) {
  EXPECT_EQ(Names(concat({Events(), Events()})).size(), 5u);
  EXPECT_NE(ErrorOf([] { concat({Events(), Users()}); }), "");
}

}  // namespace
}  // namespace sluice
