// The optimizer and EXPLAIN with join residuals (LogicalPlan::residual): where residual conjuncts
// may move (into the side a join does not preserve), filters joining the residual of inner and
// cross joins (and a cross join with a key equality becoming a hash join), the columns a residual
// reads surviving projection pushdown, and residual names following pruned inputs. Then plans
// with residuals over rows in memory give the same rows, in the same order, optimized or not
// (inner joins: the same rows).
#include <gtest/gtest.h>

#include <algorithm>

#include "core/column_builder.h"
#include "core/value_format.h"
#include "exec/ordered_sinks.h"
#include "exec/physical_planner.h"
#include "plan/optimizer.h"
#include "plan/optimizer/passes.h"
#include "plan_test_util.h"

namespace sluice {
namespace {

using test::Conjuncts;
using test::FakeScan;
using test::FakeSource;
using Strings = std::vector<std::string>;

/// Right-hand table: key a, a value d, and s which clashes with the left's s.
PlanPtr RightScan() {
  return MakeScan(
      FakeSource({{"a", Int64(), true}, {"d", Int64(), true}, {"s", Utf8(), true}}, "r.parquet"));
}

PlanPtr Join(JoinType type, Expr residual, bool coalesce = true) {
  std::vector<Expr> on;
  if (type != JoinType::kCross) on = {col("a")};
  return MakeJoin(FakeScan(), RightScan(), type, on, on, "_right", coalesce, std::move(residual));
}

std::string Text(const Expr& e) {
  return e.ToString();
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

TEST(JoinResidualPlanTest, ExplainShowsTheResidual) {
  EXPECT_EQ(FirstLine(ExplainPlan(Join(JoinType::kInner, col("b") != col("d")))),
            "Join inner on [a = a] and residual (" + Text(col("b") != col("d")) + ")");
  EXPECT_EQ(FirstLine(ExplainPlan(Join(JoinType::kCross, col("b") < col("d")))),
            "Join cross residual (" + Text(col("b") < col("d")) + ")");
}

TEST(JoinResidualPlanTest, OneSideConjunctsMoveOnlyIntoSidesTheJoinDoesNotPreserve) {
  const Expr left_only = col("b") > 1;
  const Expr right_only = col("d") > 5;
  const Expr both = col("c") < col("d");
  struct Case {
    JoinType type;
    Strings left_filters, right_filters, residual;
  };
  const std::vector<Case> cases = {
      {JoinType::kInner, {Text(left_only)}, {Text(right_only)}, {Text(both)}},
      {JoinType::kLeft, {}, {Text(right_only)}, {Text(left_only), Text(both)}},
      {JoinType::kSemi, {Text(left_only)}, {Text(right_only)}, {Text(both)}},
      {JoinType::kAnti, {}, {Text(right_only)}, {Text(left_only), Text(both)}},
      {JoinType::kRight, {Text(left_only)}, {}, {Text(right_only), Text(both)}},
      {JoinType::kFull, {}, {}, {Text(left_only), Text(right_only), Text(both)}},
  };
  for (const Case& c : cases) {
    PlanPtr pushed = PredicatePushdown(Join(c.type, left_only && right_only && both));
    ASSERT_EQ(pushed->kind, PlanKind::kJoin) << JoinTypeName(c.type);
    EXPECT_EQ(Conjuncts(pushed->inputs[0]->filters), c.left_filters) << JoinTypeName(c.type);
    EXPECT_EQ(Conjuncts(pushed->inputs[1]->filters), c.right_filters) << JoinTypeName(c.type);
    EXPECT_EQ(Conjuncts(pushed->residual), c.residual) << JoinTypeName(c.type);
  }
}

TEST(JoinResidualPlanTest, ConjunctsThatMayFailStayInTheResidual) {
  // Integer division fails on zero: it must not run on right rows no key matched.
  const Expr may_fail = col("c") / col("d") > 1;
  PlanPtr pushed = PredicatePushdown(Join(JoinType::kInner, col("d") / col("d") > 0 && may_fail));
  EXPECT_EQ(Conjuncts(pushed->inputs[1]->filters), Strings{});
  EXPECT_EQ(Conjuncts(pushed->residual), (Strings{Text(col("d") / col("d") > 0), Text(may_fail)}));
}

TEST(JoinResidualPlanTest, FiltersOverBothSidesJoinTheResidualOfInnerJoins) {
  // Output names of a coalescing inner join (a, b, c, s, d, s_right) become residual names.
  PlanPtr plan =
      MakeFilter(Join(JoinType::kInner, Expr()), col("b") < col("d") && col("s") != col("s_right"));
  PlanPtr pushed = PredicatePushdown(plan);
  ASSERT_EQ(pushed->kind, PlanKind::kJoin);
  EXPECT_EQ(Conjuncts(pushed->residual),
            (Strings{Text(col("b") < col("d")), Text(col("s") != col("s_right"))}));
  // Not through a left join: there the filter would drop rows the join fills with nulls.
  PlanPtr left = PredicatePushdown(MakeFilter(Join(JoinType::kLeft, Expr()), col("b") < col("d")));
  EXPECT_EQ(left->kind, PlanKind::kFilter);
}

TEST(JoinResidualPlanTest, ACrossJoinWithAKeyEqualityBecomesAHashJoin) {
  PlanPtr plan =
      MakeFilter(Join(JoinType::kCross, Expr()), col("a") == col("a_right") && col("b") < col("d"));
  PlanPtr pushed = PredicatePushdown(plan);
  ASSERT_EQ(pushed->kind, PlanKind::kJoin);
  EXPECT_EQ(pushed->join_type, JoinType::kInner);
  EXPECT_FALSE(pushed->coalesce_keys);
  ASSERT_EQ(pushed->left_on.size(), 1u);
  EXPECT_EQ(Text(pushed->left_on[0]), "a");
  EXPECT_EQ(Text(pushed->right_on[0]), "a");
  EXPECT_EQ(Conjuncts(pushed->residual), Strings{Text(col("b") < col("d"))});
  EXPECT_EQ(*pushed->schema, *plan->schema);
}

TEST(JoinResidualPlanTest, ProjectionPushdownKeepsTheColumnsTheResidualReads) {
  PlanPtr plan = MakeProject(Join(JoinType::kLeft, col("b") < col("d")), {col("c")});
  PlanPtr pruned = ProjectionPushdown(plan);
  const LogicalPlan* join = pruned.get();
  while (join->kind != PlanKind::kJoin) join = join->inputs[0].get();
  EXPECT_EQ(join->inputs[0]->columns, (Strings{"a", "b", "c"}));
  EXPECT_EQ(join->inputs[1]->columns, (Strings{"a", "d"}));
  EXPECT_EQ(Text(join->residual), Text(col("b") < col("d")));
}

TEST(JoinResidualPlanTest, ResidualNamesFollowInputsThatLostAClashingColumn) {
  // s_right is the right s because the left has an s; once the left's s is pruned away, the
  // right s keeps its own name and the residual is renamed with it.
  PlanPtr join = Join(JoinType::kInner, col("s_right") != "x");
  PlanPtr left = MakeScan(FakeScan()->source, {"a", "b"});
  PlanPtr rebuilt = WithInputs(join, {left, join->inputs[1]});
  EXPECT_EQ(Text(rebuilt->residual), Text(col("s") != "x"));
}

// Equivalence over rows in memory.

std::shared_ptr<const DataFrame> Table(int64_t rows, int64_t key_mod, int64_t seed) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = std::make_shared<Schema>(
      std::vector<Field>{{"k", Int64(), true}, {"v", Int64(), true}, {"s", Utf8(), true}});
  ColumnBuilder k(Int64()), v(Int64()), s(Utf8());
  for (int64_t i = 0; i < rows; ++i) {
    if ((i + seed) % 9 == 0)
      k.AppendNull();
    else
      k.Append<int64_t>((i * seed) % key_mod);
    if ((i + seed) % 7 == 0)
      v.AppendNull();
    else
      v.Append<int64_t>((i * 13 + seed) % 10);
    if ((i + seed) % 11 == 0)
      s.AppendNull();
    else
      s.AppendString(std::string(1, char('a' + (i + seed) % 4)));
  }
  Batch batch;
  batch.schema = frame->schema;
  batch.num_rows = rows;
  batch.columns = {k.Finish(), v.Finish(), s.Finish()};
  frame->batches.push_back(std::move(batch));
  return frame;
}

std::vector<std::string> RunRows(const PlanPtr& plan) {
  exec::ExecContext context;
  context.threads = &ThreadPool::Default();
  context.pool = MemoryPool::Default();
  context.batch_size = 37;
  exec::CollectSink sink(plan->schema);
  exec::RunPipeline(exec::BuildStream(plan, context), sink, context);
  std::vector<std::string> rows;
  for (const Batch& batch : sink.TakeBatches()) {
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      std::string line;
      for (const Column& column : batch.columns)
        line += (column.IsNull(r) ? std::string("NULL") : FormatValue(column, r)) + "|";
      rows.push_back(std::move(line));
    }
  }
  return rows;
}

TEST(JoinResidualPlanTest, OptimizedPlansWithResidualsGiveTheSameRowsInOrder) {
  PlanPtr left = MakeMemoryScan(Table(120, 6, 3));
  PlanPtr right = MakeMemoryScan(Table(90, 6, 5));
  const std::vector<Expr> residuals = {
      col("v") < col("v_right"),
      col("v") > 2 && col("v_right") < 7 && col("s") != col("s_right"),
      col("v_right").is_null() || col("v") == 3,
      col("s_right") == "b",
  };
  const std::vector<Expr> filters = {col("v") > 1, (col("v") + col("k")) % 2 == 0};
  int plans = 0;
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull,
                        JoinType::kSemi, JoinType::kAnti, JoinType::kCross}) {
    for (const Expr& residual : residuals) {
      for (bool coalesce : {true, false}) {
        std::vector<Expr> on;
        if (type != JoinType::kCross) on = {col("k")};
        PlanPtr join = MakeJoin(left, right, type, on, on, "_right", coalesce, residual);
        std::vector<PlanPtr> candidates = {join};
        for (const Expr& filter : filters) candidates.push_back(MakeFilter(join, filter));
        if (type == JoinType::kCross) {
          candidates.push_back(
              MakeFilter(join, col("k") == col("k_right") && col("v") <= col("v_right")));
        }
        for (const PlanPtr& plan : candidates) {
          PlanPtr optimized = Optimize(plan);
          std::vector<std::string> expected = RunRows(plan);
          std::vector<std::string> actual = RunRows(optimized);
          // An inner join's rows follow the input it probes with, which it picks by estimated
          // size: a filter pushed into an input can change that, and so their order.
          if (type == JoinType::kInner) {
            std::sort(expected.begin(), expected.end());
            std::sort(actual.begin(), actual.end());
          }
          EXPECT_EQ(expected, actual) << ExplainPlan(plan) << "optimized:\n"
                                      << ExplainPlan(optimized);
          ++plans;
        }
      }
    }
  }
  EXPECT_GT(plans, 150);
}

}  // namespace
}  // namespace sluice
