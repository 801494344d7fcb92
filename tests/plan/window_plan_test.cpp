// The Window plan node: MakeWindow's checks and output schema, its EXPLAIN line, and how every
// optimizer pass treats it (filters pass only over partition columns, unused window expressions
// are dropped, arguments fold, limits and top-k stop above it).
#include "plan/window_plan.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "plan/optimizer.h"
#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

/// ORDER BY one column (ascending unless `descending`), nulls where the engine puts them.
std::vector<SortKey> By(const char* column, bool descending = false) {
  SortKey key;
  key.expr = col(column);
  key.descending = descending;
  return {key};
}

using test::FakeScan;
using test::Spine;

WindowExpr Window(std::string function, std::vector<Expr> args, std::vector<Expr> partition_by,
                  std::vector<SortKey> order_by, std::string name,
                  std::optional<WindowFrame> frame = {}) {
  WindowExpr window;
  window.function = std::move(function);
  window.args = std::move(args);
  window.partition_by = std::move(partition_by);
  window.order_by = std::move(order_by);
  window.name = std::move(name);
  window.frame = std::move(frame);
  return window;
}

WindowFrame RowsFrame(int64_t preceding, int64_t following) {
  WindowFrame frame;
  frame.units = WindowFrame::Units::kRows;
  frame.start = {WindowBound::Kind::kPreceding, Scalar{Int64(), preceding}};
  frame.end = {WindowBound::Kind::kFollowing, Scalar{Int64(), following}};
  return frame;
}

std::string ErrorOf(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(WindowPlanTest, OutputSchemaAppendsOneTypedColumnPerWindow) {
  PlanPtr plan =
      MakeWindow(FakeScan(), {Window("row_number", {}, {col("s")}, By("a"), "rn"),
                              Window("percent_rank", {}, {}, By("a"), "pr"),
                              Window("ntile", {lit(4)}, {}, By("a"), "tile"),
                              Window("lag", {col("s"), lit(1), lit("none")}, {}, By("a"), "prev"),
                              Window("nth_value", {col("flag"), lit(2)}, {}, By("a"), "second"),
                              Window("sum", {col("b")}, {col("s")}, {}, "total"),
                              Window("avg", {col("b")}, {col("s")}, {}, "average"),
                              Window("count", {}, {}, {}, "rows"),
                              Window("max", {col("s")}, {}, By("a"), "top", RowsFrame(1, 1))});
  EXPECT_EQ(plan->kind, PlanKind::kWindow);
  const Schema& schema = *plan->schema;
  ASSERT_EQ(schema.size(), 14u);
  EXPECT_EQ(schema.field(4).name, "flag");
  EXPECT_EQ(schema.field(5), (Field{"rn", Int64(), true}));
  EXPECT_EQ(schema.field(6).type, Float64());
  EXPECT_EQ(schema.field(7).type, Int64());
  EXPECT_EQ(schema.field(8).type, Utf8());
  EXPECT_EQ(schema.field(9).type, Bool());
  EXPECT_EQ(schema.field(10).type, Int64());
  EXPECT_EQ(schema.field(11).type, Float64());
  EXPECT_EQ(schema.field(12).type, Int64());
  EXPECT_EQ(schema.field(13).type, Utf8());
}

TEST(WindowPlanTest, RejectsInvalidWindowsWithClearMessages) {
  auto make = [](WindowExpr window) { return [window] { MakeWindow(FakeScan(), {window}); }; };
  EXPECT_NE(
      ErrorOf(make(Window("dense_rnk", {}, {}, By("a"), "w"))).find("did you mean dense_rank()"),
      std::string::npos);
  EXPECT_NE(ErrorOf(make(Window("rank", {col("a")}, {}, By("a"), "w"))).find("takes 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf(make(Window("lag", {col("a"), lit("x")}, {}, By("a"), "w"))).find("the offset"),
            std::string::npos);
  EXPECT_NE(ErrorOf(make(Window("sum", {col("s")}, {}, {}, "w"))).find("sum of utf8"),
            std::string::npos);
  EXPECT_NE(ErrorOf(make(Window("rank", {}, {}, By("a"), "a"))).find("duplicate"),
            std::string::npos);
  WindowExpr distinct = Window("rank", {}, {}, By("a"), "w");
  distinct.distinct = true;
  EXPECT_NE(ErrorOf(make(distinct)).find("DISTINCT"), std::string::npos);
  // Frames: RANGE with an offset needs one numeric or temporal ORDER BY key.
  WindowFrame range = RowsFrame(1, 1);
  range.units = WindowFrame::Units::kRange;
  EXPECT_NE(ErrorOf(make(Window("sum", {col("b")}, {}, {By("a")[0], By("c")[0]}, "w", range)))
                .find("exactly one ORDER BY key"),
            std::string::npos);
  EXPECT_NE(ErrorOf(make(Window("sum", {col("b")}, {}, By("s"), "w", range)))
                .find("a number or a date/time"),
            std::string::npos);
  EXPECT_NO_THROW(MakeWindow(FakeScan(), {Window("sum", {col("b")}, {}, By("a"), "w", range)}));
  WindowFrame negative = RowsFrame(-1, 1);
  EXPECT_NE(ErrorOf(make(Window("sum", {col("b")}, {}, By("a"), "w", negative)))
                .find("must not be negative"),
            std::string::npos);
  WindowFrame backwards;
  backwards.units = WindowFrame::Units::kRows;
  backwards.start = {WindowBound::Kind::kCurrentRow, {}};
  backwards.end = {WindowBound::Kind::kPreceding, Scalar{Int64(), int64_t{1}}};
  EXPECT_NE(ErrorOf(make(Window("sum", {col("b")}, {}, By("a"), "w", backwards)))
                .find("starts after it ends"),
            std::string::npos);
  EXPECT_THROW(MakeWindow(FakeScan(), {}), Error);
}

TEST(WindowPlanTest, ExplainListsEachWindow) {
  PlanPtr plan = MakeWindow(
      FakeScan(), {Window("sum", {col("b")}, {col("s")}, By("a", true), "running", RowsFrame(2, 0)),
                   Window("rank", {}, {}, By("a"), "r")});
  EXPECT_EQ(ExplainPlan(plan),
            "Window [sum(b) OVER (PARTITION BY s ORDER BY a DESC ROWS BETWEEN 2 PRECEDING AND 0 "
            "FOLLOWING) AS running, rank() OVER (ORDER BY a) AS r]\n"
            "  Scan parquet t.parquet (1 file) columns=all 5\n");
}

TEST(WindowPlanTest, FiltersOnPartitionColumnsMoveBelowTheWindow) {
  PlanPtr window = MakeWindow(FakeScan(), {Window("rank", {}, {col("s"), col("c")}, By("a"), "r"),
                                           Window("sum", {col("b")}, {col("s")}, {}, "t")});
  PlanPtr filtered =
      MakeFilter(window, (col("s") == "x") && (col("r") <= 2) && (col("a") > 1) && (col("c") > 0));
  PlanPtr pushed = PredicatePushdown(filtered);
  // Only s partitions both windows: the others stay above.
  EXPECT_EQ(Spine(pushed), "Filter Window Scan");
  EXPECT_EQ(test::Conjuncts(pushed->predicate),
            (std::vector<std::string>{"r <= 2", "a > 1", "c > 0"}));
  EXPECT_EQ(test::Conjuncts(pushed->inputs[0]->inputs[0]->filters),
            (std::vector<std::string>{"s = 'x'"}));
  // Without PARTITION BY nothing passes.
  PlanPtr global = MakeWindow(FakeScan(), {Window("rank", {}, {}, By("a"), "r")});
  EXPECT_EQ(Spine(PredicatePushdown(MakeFilter(global, col("s") == "x"))), "Filter Window Scan");
}

TEST(WindowPlanTest, ProjectionPushdownDropsUnusedWindowsAndColumns) {
  PlanPtr window = MakeWindow(FakeScan(), {Window("sum", {col("b")}, {col("s")}, {}, "t"),
                                           Window("max", {col("c")}, {}, By("a"), "m")});
  PlanPtr pruned = Optimize(MakeProject(window, {col("t"), col("a")}));
  EXPECT_EQ(Spine(pruned), "Project Window Scan");
  ASSERT_EQ(pruned->inputs[0]->windows.size(), 1u);
  EXPECT_EQ(pruned->inputs[0]->windows[0].name, "t");
  EXPECT_EQ(pruned->inputs[0]->inputs[0]->columns, (std::vector<std::string>{"a", "b", "s"}));
  // No window column read: the window goes (it keeps rows and their order).
  EXPECT_EQ(Spine(Optimize(MakeProject(window, {col("a")}))), "Scan");
  // At the top every window is kept.
  EXPECT_EQ(Optimize(window)->windows.size(), 2u);
}

TEST(WindowPlanTest, ConstantFoldingFoldsWindowArguments) {
  PlanPtr window = MakeWindow(
      FakeScan(), {Window("lag", {col("b"), lit(1) + lit(1), lit(2) * lit(5)}, {}, By("a"), "l")});
  PlanPtr folded = ConstantFolding(window);
  ASSERT_EQ(folded->kind, PlanKind::kWindow);
  EXPECT_EQ(WindowExprToString(folded->windows[0]), "lag(b, 2, 10) OVER (ORDER BY a)");
  EXPECT_EQ(folded->windows[0].name, "l");
}

TEST(WindowPlanTest, LimitsAndTopKStopAboveTheWindow) {
  PlanPtr window =
      MakeWindow(MakeSort(FakeScan(), By("b")), {Window("sum", {col("b")}, {}, By("a"), "t")});
  PlanPtr limited = MakeLimit(window, 0, 5);
  PlanPtr pushed = TopK(LimitPushdown(limited));
  EXPECT_EQ(Spine(pushed), "Limit Window Sort Scan");
  EXPECT_FALSE(pushed->inputs[0]->inputs[0]->limit.has_value());
  EXPECT_EQ(Spine(Optimize(limited)), "Limit Window Sort Scan");
}

TEST(WindowPlanTest, WithInputsRebuildsTheWindow) {
  PlanPtr window = MakeWindow(FakeScan(), {Window("rank", {}, {}, By("a"), "r")});
  PlanPtr rebuilt = WithInputs(window, {FakeScan("u.parquet")});
  ASSERT_EQ(rebuilt->kind, PlanKind::kWindow);
  EXPECT_EQ(*rebuilt->schema, *window->schema);
  EXPECT_EQ(rebuilt->inputs[0]->source->path, "u.parquet");
}

}  // namespace
}  // namespace sluice
