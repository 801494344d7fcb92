// Memory and spill counters (EXPLAIN ANALYZE's peak memory, bytes spilled and read back): a sort
// and an aggregation run under a tiny budget with counters attached report what they spilled,
// read back and held at most (within the budget); with no budget they spill nothing; and a
// profiled run puts the counters beside the node in the plan text.
#include <gtest/gtest.h>

#include "core/data_frame.h"
#include "exec/hash_aggregate.h"
#include "exec/join_sort_test_util.h"
#include "exec/sort.h"
#include "plan/explain.h"
#include "plan/lazy_frame.h"
#include "plan/plan_profile.h"

namespace sluice::exec {
namespace {

constexpr int64_t kBudget = 4 << 20;

/// `rows` rows: k with about rows / 3 distinct values (a high-cardinality group key), a string
/// (nearly unique) to sort or group by, and a payload.
Batch MakeInput(int64_t rows) {
  std::vector<std::optional<int64_t>> keys, values;
  std::vector<std::optional<std::string>> names;
  for (int64_t i = 0; i < rows; ++i) {
    const uint64_t r = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull;
    keys.push_back(static_cast<int64_t>((r >> 20) % static_cast<uint64_t>(rows / 2)));
    names.push_back("name-" + std::to_string((r >> 8) % 1000000) +
                    std::string((r >> 40) % 24, 'x'));
    values.push_back(i);
  }
  return test::MakeBatch(test::MakeSchema({{"k", Int64()}, {"name", Utf8()}, {"v", Int64()}}),
                         {test::Int64s(keys), test::Strings(names), test::Int64s(values)});
}

/// Runs `sink` over `input` under `pool` and drains its result (batch by batch: the whole output
/// would not fit the budget); returns the rows it gave.
int64_t RunSink(BreakerSink& sink, const Batch& input, const ExecContext& context) {
  RunPipeline(test::StreamOf(input, 1000), sink, context);
  std::unique_ptr<Source> result = sink.TakeResult();
  int64_t rows = 0;
  Batch batch;
  while (result->Next(&batch)) rows += batch.num_rows;
  return rows;
}

int64_t SortWithCounters(const Batch& input, int64_t budget, SpillCounters* counters) {
  ThreadPool threads(2);
  MemoryPool pool(budget);
  ExecContext context{&threads, &pool, nullptr, 4096};
  context.counters = counters;
  auto sink = MakeSortSink(*input.schema, {SortKey{col("name"), false, std::nullopt}}, {}, context);
  return RunSink(*sink, input, context);
}

int64_t AggregateWithCounters(const Batch& input, int64_t budget, SpillCounters* counters) {
  ThreadPool threads(2);
  MemoryPool pool(budget);
  ExecContext context{&threads, &pool, nullptr, 4096};
  context.counters = counters;
  const std::vector<Expr> keys = {col("k")};
  const std::vector<Expr> aggregates = {col("v").sum(), count_rows()};
  std::vector<Field> fields = {{"k", Int64(), true}};
  for (const Expr& aggregate : aggregates)
    fields.push_back(AggregateField(aggregate, *input.schema));
  auto sink = MakeHashAggregateSink(*input.schema, keys, aggregates,
                                    std::make_shared<Schema>(std::move(fields)), context);
  return RunSink(*sink, input, context);
}

void ExpectSpilledWithinBudget(const SpillCounters& counters) {
  EXPECT_GT(counters.spilled_bytes.load(), 0);
  EXPECT_GT(counters.read_back_bytes.load(), 0);
  EXPECT_GT(counters.spill_count.load(), 0);
  EXPECT_GT(counters.peak_memory.load(), 0);
  EXPECT_LE(counters.peak_memory.load(), kBudget + (1 << 20));
}

TEST(SpillCountersTest, SortUnderATinyBudgetCountsItsSpills) {
  const Batch input = MakeInput(200000);
  SpillCounters spilled;
  EXPECT_EQ(SortWithCounters(input, kBudget, &spilled), 200000);
  ExpectSpilledWithinBudget(spilled);
  // Every byte written is read back once by the final merge (or a merge pass before it).
  EXPECT_GE(spilled.read_back_bytes.load(), spilled.spilled_bytes.load() / 2);

  SpillCounters in_memory;
  EXPECT_EQ(SortWithCounters(input, MemoryPool::kUnlimited, &in_memory), 200000);
  EXPECT_EQ(in_memory.spilled_bytes.load(), 0);
  EXPECT_EQ(in_memory.read_back_bytes.load(), 0);
  EXPECT_EQ(in_memory.spill_count.load(), 0);
  // Holding everything: more than the budget the spilling run kept to.
  EXPECT_GT(in_memory.peak_memory.load(), spilled.peak_memory.load());
}

TEST(SpillCountersTest, AggregationUnderATinyBudgetCountsItsSpills) {
  const Batch input = MakeInput(200000);
  SpillCounters spilled;
  const int64_t groups = AggregateWithCounters(input, kBudget, &spilled);
  ExpectSpilledWithinBudget(spilled);

  SpillCounters in_memory;
  EXPECT_EQ(AggregateWithCounters(input, MemoryPool::kUnlimited, &in_memory), groups);
  EXPECT_EQ(in_memory.spilled_bytes.load(), 0);
  EXPECT_EQ(in_memory.read_back_bytes.load(), 0);
  EXPECT_EQ(in_memory.spill_count.load(), 0);
  EXPECT_GT(in_memory.peak_memory.load(), 0);
}

TEST(SpillCountersTest, SpillingWithoutCountersWorks) {
  // The default: an ordinary run has no counters (and pays nothing for them).
  const Batch input = MakeInput(100000);
  EXPECT_EQ(SortWithCounters(input, 4 << 20, nullptr), 100000);
}

TEST(SpillCountersTest, AProfiledRunShowsPeakAndSpillsBesideTheNode) {
  auto frame = std::make_shared<DataFrame>();
  const Batch input = MakeInput(200000);
  frame->schema = input.schema;
  for (const Batch& batch : test::Split(input, 4096)) frame->batches.push_back(batch);
  // One row out, so that the result itself needs no memory: a global aggregate over a sort
  // (first() depends on the order, so the sort stays) and over a group-by.
  LazyFrame sorted = LazyFrame(MakeMemoryScan(frame))
                         .sort({"name"})
                         .select({col("v").first().alias("first"), count_rows().alias("n")});
  LazyFrame grouped = LazyFrame(MakeMemoryScan(frame))
                          .group_by({"name"})
                          .agg({col("v").sum().alias("total")})
                          .select({count_rows().alias("groups"), col("total").sum()});
  for (const LazyFrame& query : {sorted, grouped}) {
    // Room for the planner's default 64K-row batches.
    MemoryPool pool(8 << 20);
    PlanProfile profile;
    RunOptions run;
    run.threads = 2;
    run.pool = &pool;
    run.profile = &profile;
    DataFrame out;
    try {
      out = query.collect(run);
    } catch (const Error& e) {
      FAIL() << e.what() << "\n" << query.explain();
    }
    ASSERT_EQ(out.num_rows(), 1);
    const std::string text = ExplainPlan(profile.executed, &profile);
    const size_t spilled = text.find(", spilled ");
    ASSERT_NE(spilled, std::string::npos) << text;
    EXPECT_NE(text.find(" (read "), std::string::npos) << text;
    EXPECT_NE(text.find(", peak "), std::string::npos) << text;
    // On the sort or aggregation's line, not the scan's.
    const size_t line = text.rfind('\n', spilled) + 1;
    const std::string node = text.substr(line, text.find('\n', spilled) - line);
    EXPECT_TRUE(node.find("Sort") != std::string::npos ||
                node.find("Aggregate keys=[name]") != std::string::npos)
        << text;
  }
  // Without a budget to keep to, nothing spills and nothing says so.
  PlanProfile profile;
  RunOptions run;
  run.profile = &profile;
  sorted.collect(run);
  const std::string text = ExplainPlan(profile.executed, &profile);
  EXPECT_EQ(text.find("spilled"), std::string::npos) << text;
  EXPECT_NE(text.find(", peak "), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice::exec
