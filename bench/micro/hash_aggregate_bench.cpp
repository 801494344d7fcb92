// Throughput of the hash aggregation sink over in-memory batches shaped like the events table of
// the peer benchmarks (user_id int64 with 200K values, 24 category strings, revenue float64,
// quantity int32): group by category, group by user_id, two keys, and a global aggregate, on the
// default pool. Items/s counts input rows, so rows/s compares with DuckDB and Polars.
#include <benchmark/benchmark.h>

#include <random>

#include "core/column_builder.h"
#include "exec/hash_aggregate.h"
#include "exec/pipeline.h"
#include "expr/bound_expr.h"
#include "plan/logical_plan.h"

namespace sluice::exec {
namespace {

constexpr int64_t kRows = 10'000'000;
constexpr int64_t kBatchRows = 64 * 1024;

const char* const kCategories[24] = {
    "electronics", "books", "clothing", "home",  "garden",  "toys",    "sports",   "beauty",
    "grocery",     "music", "movies",   "games", "health",  "auto",    "tools",    "office",
    "pets",        "baby",  "jewelry",  "shoes", "outdoor", "kitchen", "software", "crafts"};

SchemaPtr EventsSchema() {
  static const SchemaPtr schema =
      std::make_shared<Schema>(std::vector<Field>{{"user_id", Int64(), false},
                                                  {"category", Utf8(), false},
                                                  {"revenue", Float64(), false},
                                                  {"quantity", Int32(), false}});
  return schema;
}

/// Fixed-seed batches of kBatchRows rows, built once.
const std::vector<Batch>& Events() {
  static const std::vector<Batch> batches = [] {
    std::vector<Batch> out;
    std::mt19937_64 random(1);
    for (int64_t start = 0; start < kRows; start += kBatchRows) {
      const int64_t rows = std::min(kBatchRows, kRows - start);
      ColumnBuilder user(Int64()), category(Utf8()), revenue(Float64()), quantity(Int32());
      for (int64_t i = 0; i < rows; ++i) {
        uint64_t r = random();
        user.Append<int64_t>(static_cast<int64_t>(r % 200000));
        category.AppendString(kCategories[(r >> 50) % 24]);
        revenue.Append<double>(static_cast<double>((r >> 20) % 100000) / 100.0);
        quantity.Append<int32_t>(static_cast<int32_t>((r >> 40) % 10 + 1));
      }
      Batch batch;
      batch.schema = EventsSchema();
      batch.num_rows = rows;
      batch.columns = {user.Finish(), category.Finish(), revenue.Finish(), quantity.Finish()};
      out.push_back(std::move(batch));
    }
    return out;
  }();
  return batches;
}

void RunAggregate(benchmark::State& state, const std::vector<Expr>& keys,
                  const std::vector<Expr>& aggregates) {
  const std::vector<Batch>& batches = Events();
  const Schema& input = *EventsSchema();
  std::vector<Field> fields;
  for (const Expr& key : keys) fields.push_back({key.OutputName(), ResolveType(key, input), true});
  for (const Expr& aggregate : aggregates) fields.push_back(AggregateField(aggregate, input));
  auto output = std::make_shared<Schema>(std::move(fields));
  ExecContext context;
  context.threads = &ThreadPool::Default();
  context.pool = MemoryPool::Default();
  int64_t groups = 0;
  for (auto _ : state) {
    auto sink = MakeHashAggregateSink(input, keys, aggregates, output, context);
    RunPipeline(Stream{MakeBatchSource(EventsSchema(), batches), {}}, *sink, context);
    auto result = sink->TakeResult();
    groups = 0;
    Batch batch;
    while (result->Next(&batch)) groups += batch.num_rows;
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.counters["groups"] = static_cast<double>(groups);
}

void BM_GroupByCategory(benchmark::State& state) {
  RunAggregate(state, {col("category")},
               {count_rows(), col("revenue").sum(), col("revenue").mean()});
}
BENCHMARK(BM_GroupByCategory)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GroupByUserId(benchmark::State& state) {
  RunAggregate(state, {col("user_id")},
               {count_rows(), col("revenue").sum(), col("revenue").mean(), col("revenue").max()});
}
BENCHMARK(BM_GroupByUserId)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GroupByCategoryAndQuantity(benchmark::State& state) {
  RunAggregate(state, {col("category"), col("quantity")}, {col("revenue").sum()});
}
BENCHMARK(BM_GroupByCategoryAndQuantity)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GlobalAggregate(benchmark::State& state) {
  RunAggregate(state, {}, {col("revenue").sum(), col("quantity").mean()});
}
BENCHMARK(BM_GlobalAggregate)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace sluice::exec
