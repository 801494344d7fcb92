// The hash aggregation and distinct sinks driven directly: batches consumed from several threads
// in shuffled order, results compared with a straightforward reference, identical for 1, 2 and 8
// threads, groups in order of first occurrence.
#include "exec/hash_aggregate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "core/column_builder.h"
#include "core/error.h"
#include "core/value_format.h"
#include "expr/bound_expr.h"
#include "plan/logical_plan.h"

namespace sluice::exec {
namespace {

/// The rows of a result as strings (floats by their exact bits), for exact comparisons.
using Rows = std::vector<std::vector<std::string>>;

std::string Render(const Column& column, int64_t row) {
  if (column.IsNull(row)) return "NULL";
  if (column.type.id == TypeId::kFloat64) {
    uint64_t bits;
    std::memcpy(&bits, column.Values<double>() + row, 8);
    return FormatValue(column, row) + "#" + std::to_string(bits);
  }
  return FormatValue(column, row);
}

Rows Collect(Source& source) {
  Rows rows;
  Batch batch;
  while (source.Next(&batch)) {
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      std::vector<std::string> row;
      for (const Column& column : batch.columns) row.push_back(Render(column, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

SchemaPtr AggregateSchema(const Schema& input, const std::vector<Expr>& keys,
                          const std::vector<Expr>& aggregates) {
  std::vector<Field> fields;
  for (const Expr& key : keys) fields.push_back({key.OutputName(), ResolveType(key, input), true});
  for (const Expr& aggregate : aggregates) fields.push_back(AggregateField(aggregate, input));
  return std::make_shared<Schema>(std::move(fields));
}

/// Feeds `batches` (seq = index) to `sink` from `feeders` threads in a shuffled order (in
/// order for shuffle 0, as a pipeline delivers them) and finishes it; rethrows the first error
/// of a feeder.
void Feed(BreakerSink& sink, const std::vector<Batch>& batches, int feeders, uint32_t shuffle) {
  std::vector<size_t> order(batches.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 random(shuffle);
  if (shuffle != 0) std::shuffle(order.begin(), order.end(), random);
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::exception_ptr error;
  std::vector<std::thread> threads;
  for (int t = 0; t < feeders; ++t) {
    threads.emplace_back([&] {
      try {
        for (size_t i = next++; i < order.size(); i = next++) {
          Batch batch = batches[order[i]];
          batch.seq = order[i];
          sink.Consume(std::move(batch));
        }
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        next = order.size();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
  sink.Finish();
}

/// Feed, then the result rows.
Rows Drive(BreakerSink& sink, const std::vector<Batch>& batches, int feeders, uint32_t shuffle) {
  Feed(sink, batches, feeders, shuffle);
  auto result = sink.TakeResult();
  return Collect(*result);
}

struct Harness {
  explicit Harness(int threads, int64_t memory_limit = MemoryPool::kUnlimited)
      : pool(threads), memory(memory_limit) {
    context.threads = &pool;
    context.pool = &memory;
    context.batch_size = 1000;
  }
  ThreadPool pool;
  MemoryPool memory;
  ExecContext context;
};

Rows Aggregate(const std::vector<Batch>& batches, const std::vector<Expr>& keys,
               const std::vector<Expr>& aggregates, int threads, uint32_t shuffle = 1,
               int64_t memory_limit = MemoryPool::kUnlimited) {
  Harness harness(threads, memory_limit);
  const Schema& input = *batches.at(0).schema;
  auto sink = MakeHashAggregateSink(input, keys, aggregates,
                                    AggregateSchema(input, keys, aggregates), harness.context);
  return Drive(*sink, batches, threads, shuffle);
}

// Test data: `rows` rows in batches of `per_batch`, with keys k (int64, every 17th null),
// s (utf8, every 13th null), small (int16) and flag (bool), and values v (float64) and
// i (int64, every 7th null).
struct Data {
  std::vector<std::optional<int64_t>> k, i;
  std::vector<std::optional<std::string>> s;
  std::vector<int16_t> small;
  std::vector<bool> flag;
  std::vector<double> v;
  std::vector<Batch> batches;
};

SchemaPtr DataSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"k", Int64(), true},
                                                     {"s", Utf8(), true},
                                                     {"small", Int16(), true},
                                                     {"flag", Bool(), true},
                                                     {"v", Float64(), true},
                                                     {"i", Int64(), true}});
}

Data MakeData(int64_t rows, int64_t per_batch, int64_t cardinality) {
  Data data;
  std::mt19937_64 random(7);
  for (int64_t r = 0; r < rows; ++r) {
    int64_t key = static_cast<int64_t>(random() % static_cast<uint64_t>(cardinality));
    data.k.push_back(r % 17 == 3 ? std::nullopt : std::optional<int64_t>(key * 1000003));
    data.s.push_back(r % 13 == 5 ? std::nullopt
                                 : std::optional<std::string>("name-" + std::to_string(key % 50)));
    data.small.push_back(static_cast<int16_t>(key % 5 - 2));
    data.flag.push_back(key % 3 == 0);
    data.v.push_back(static_cast<double>(random() % 1000000) * 1e-3 - 250.0);
    data.i.push_back(r % 7 == 0 ? std::nullopt : std::optional<int64_t>(key - r % 100));
  }
  for (int64_t start = 0; start < rows; start += per_batch) {
    int64_t count = std::min(per_batch, rows - start);
    ColumnBuilder k(Int64()), s(Utf8()), small(Int16()), flag(Bool()), v(Float64()), i(Int64());
    for (int64_t r = start; r < start + count; ++r) {
      data.k[r] ? k.Append<int64_t>(*data.k[r]) : k.AppendNull();
      data.s[r] ? s.AppendString(*data.s[r]) : s.AppendNull();
      small.Append<int16_t>(data.small[r]);
      flag.AppendBool(data.flag[r]);
      v.Append<double>(data.v[r]);
      data.i[r] ? i.Append<int64_t>(*data.i[r]) : i.AppendNull();
    }
    Batch batch;
    batch.schema = DataSchema();
    batch.num_rows = count;
    batch.columns = {k.Finish(), s.Finish(), small.Finish(), flag.Finish(), v.Finish(), i.Finish()};
    data.batches.push_back(std::move(batch));
  }
  return data;
}

std::string Str(const std::optional<int64_t>& value) {
  return value ? std::to_string(*value) : "NULL";
}

/// Groups `data` by k on `threads` threads and compares with a reference computed row by row.
void ExpectMatchesReference(const Data& data, int threads) {
  Rows rows = Aggregate(data.batches, {col("k")},
                        {count_rows(), col("i").count(), col("i").sum(), col("i").min(),
                         col("i").max(), col("i").first(), col("i").last(), col("v").sum()},
                        threads);
  // Reference: a map in input order.
  struct Group {
    int64_t rows = 0, count = 0, sum = 0;
    std::optional<int64_t> min, max, first, last;
    bool seen = false;
    long double vsum = 0;
  };
  std::vector<std::optional<int64_t>> order;
  std::map<std::optional<int64_t>, Group> groups;
  for (size_t r = 0; r < data.k.size(); ++r) {
    auto [it, inserted] = groups.try_emplace(data.k[r]);
    if (inserted) order.push_back(data.k[r]);
    Group& g = it->second;
    ++g.rows;
    if (!g.seen) g.first = data.i[r];
    g.seen = true;
    g.last = data.i[r];
    g.vsum += data.v[r];
    if (data.i[r]) {
      int64_t value = *data.i[r];
      ++g.count;
      g.sum += value;
      g.min = g.min ? std::min(*g.min, value) : value;
      g.max = g.max ? std::max(*g.max, value) : value;
    }
  }
  ASSERT_EQ(rows.size(), order.size());
  for (size_t n = 0; n < order.size(); ++n) {
    const Group& g = groups[order[n]];
    const std::vector<std::string>& row = rows[n];
    ASSERT_EQ(row[0], Str(order[n])) << n;
    EXPECT_EQ(row[1], std::to_string(g.rows));
    EXPECT_EQ(row[2], std::to_string(g.count));
    EXPECT_EQ(row[3], g.count > 0 ? std::to_string(g.sum) : "NULL");
    EXPECT_EQ(row[4], Str(g.min));
    EXPECT_EQ(row[5], Str(g.max));
    EXPECT_EQ(row[6], Str(g.first));
    EXPECT_EQ(row[7], Str(g.last));
    double vsum = std::stod(row[8].substr(0, row[8].find('#')));
    EXPECT_NEAR(vsum, static_cast<double>(g.vsum), 1e-6);
  }
}

TEST(HashAggregateTest, GroupsByAnIntegerKeyInOrderOfFirstOccurrence) {
  ExpectMatchesReference(MakeData(20000, 1000, 300), 2);
}

/// Batches whose keys hardly repeat (their rows go to the partitions unaggregated) followed by
/// batches of few keys (aggregated per morsel first), and the two kinds interleaved.
Data MixedData() {
  Data rare = MakeData(24000, 1000, 30000);
  Data common = MakeData(8000, 1000, 50);
  Data mixed = rare;
  auto append = [&](const Data& more, size_t first_batch, size_t batches) {
    for (size_t b = first_batch; b < first_batch + batches; ++b) {
      mixed.batches.push_back(more.batches[b]);
      for (int64_t r = static_cast<int64_t>(b) * 1000; r < static_cast<int64_t>(b + 1) * 1000;
           ++r) {
        mixed.k.push_back(more.k[r]);
        mixed.i.push_back(more.i[r]);
        mixed.s.push_back(more.s[r]);
        mixed.small.push_back(more.small[r]);
        mixed.flag.push_back(more.flag[r]);
        mixed.v.push_back(more.v[r]);
      }
    }
  };
  append(common, 0, 4);
  append(rare, 0, 6);  // Keys seen before, in a batch passed as rows.
  append(common, 4, 4);
  return mixed;
}

TEST(HashAggregateTest, MorselsOfRareKeysPassedAsRowsGiveTheSameAnswer) {
  Data data = MixedData();
  for (int threads : {1, 2, 8}) ExpectMatchesReference(data, threads);
}

TEST(HashAggregateTest, MorselsOfRareKeysGiveIdenticalResultsOnAnyThreadCount) {
  Data data = MixedData();
  std::vector<Expr> keys = {col("k")};
  std::vector<Expr> aggregates = {
      col("v").sum(),    col("v").mean(),     col("v").std(),
      col("v").median(), col("s").first(),    col("s").last(),
      col("s").max(),    col("i").n_unique(), aggregate("sum", {col("v")}, true)};
  Rows one = Aggregate(data.batches, keys, aggregates, 1, /*shuffle=*/1);
  Rows two = Aggregate(data.batches, keys, aggregates, 2, /*shuffle=*/2);
  Rows eight = Aggregate(data.batches, keys, aggregates, 8, /*shuffle=*/3);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, eight);
}

TEST(HashAggregateTest, ResultsAreIdenticalForOneTwoAndEightThreads) {
  Data data = MakeData(50000, 997, 2000);
  std::vector<Expr> keys = {col("s")};
  std::vector<Expr> aggregates = {col("v").sum(),      col("v").mean(),  col("v").std(),
                                  col("v").median(),   col("i").first(), col("i").last(),
                                  col("i").n_unique(), col("v").var(0)};
  Rows one = Aggregate(data.batches, keys, aggregates, 1, /*shuffle=*/1);
  Rows two = Aggregate(data.batches, keys, aggregates, 2, /*shuffle=*/2);
  Rows eight = Aggregate(data.batches, keys, aggregates, 8, /*shuffle=*/3);
  EXPECT_EQ(one.size(), 51u);  // 50 names and null.
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, eight);
  EXPECT_EQ(one[0][0], *data.s[0]);
}

TEST(HashAggregateTest, HandlesAMillionGroups) {
  // Two rows per key: keys 0..1M-1 in a shuffled order, then again in another order.
  const int64_t groups = 1'000'000;
  std::vector<int64_t> keys(groups);
  for (int64_t g = 0; g < groups; ++g) keys[g] = g;
  std::mt19937_64 random(11);
  std::shuffle(keys.begin(), keys.end(), random);
  std::vector<int64_t> column = keys;
  std::shuffle(keys.begin(), keys.end(), random);
  column.insert(column.end(), keys.begin(), keys.end());
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"key", Int64(), false}});
  std::vector<Batch> batches;
  for (int64_t start = 0; start < static_cast<int64_t>(column.size()); start += 65536) {
    int64_t count = std::min<int64_t>(65536, static_cast<int64_t>(column.size()) - start);
    ColumnBuilder builder(Int64());
    for (int64_t r = start; r < start + count; ++r) builder.Append<int64_t>(column[r]);
    Batch batch;
    batch.schema = schema;
    batch.num_rows = count;
    batch.columns = {builder.Finish()};
    batches.push_back(std::move(batch));
  }
  for (int threads : {1, 2}) {
    Harness harness(threads);
    std::vector<Expr> aggregates = {count_rows(), col("key").sum()};
    auto sink =
        MakeHashAggregateSink(*schema, {col("key")}, aggregates,
                              AggregateSchema(*schema, {col("key")}, aggregates), harness.context);
    Feed(*sink, batches, threads, 5);
    auto result = sink->TakeResult();
    int64_t n = 0;
    bool ok = true;
    Batch batch;
    while (result->Next(&batch)) {
      const int64_t* key = batch.columns[0].Values<int64_t>();
      const int64_t* count = batch.columns[1].Values<int64_t>();
      const int64_t* sum = batch.columns[2].Values<int64_t>();
      for (int64_t r = 0; r < batch.num_rows; ++r, ++n) {
        ok = ok && key[r] == column[n] && count[r] == 2 && sum[r] == 2 * key[r];
      }
    }
    EXPECT_EQ(n, groups);
    EXPECT_TRUE(ok) << "groups out of first-occurrence order or miscounted";
  }
}

TEST(HashAggregateTest, NullKeysFormOneGroupPerCombination) {
  Data data = MakeData(5000, 333, 40);
  // Serialized keys (utf8 + int64), packed keys (int16 + bool), a single string key.
  for (const std::vector<Expr>& keys :
       {std::vector<Expr>{col("s"), col("k")}, std::vector<Expr>{col("small"), col("flag")},
        std::vector<Expr>{col("s")}}) {
    Rows rows = Aggregate(data.batches, keys, {count_rows()}, 2);
    std::map<std::vector<std::string>, int64_t> reference;
    std::vector<std::vector<std::string>> order;
    for (size_t r = 0; r < data.k.size(); ++r) {
      std::vector<std::string> key;
      for (const Expr& expr : keys) {
        std::string name = expr.OutputName();
        if (name == "s") key.push_back(data.s[r] ? *data.s[r] : "NULL");
        if (name == "k") key.push_back(Str(data.k[r]));
        if (name == "small") key.push_back(std::to_string(data.small[r]));
        if (name == "flag") key.push_back(data.flag[r] ? "true" : "false");
      }
      if (reference[key]++ == 0) order.push_back(key);
    }
    ASSERT_EQ(rows.size(), order.size()) << keys.size();
    for (size_t n = 0; n < order.size(); ++n) {
      std::vector<std::string> key(rows[n].begin(), rows[n].end() - 1);
      EXPECT_EQ(key, order[n]);
      EXPECT_EQ(rows[n].back(), std::to_string(reference[order[n]]));
    }
  }
}

TEST(HashAggregateTest, GlobalAggregateOfAnEmptyInputIsOneRow) {
  auto schema = DataSchema();
  Batch empty;
  empty.schema = schema;
  for (const Field& field : schema->fields()) empty.columns.push_back(MakeEmptyColumn(field.type));
  Rows rows = Aggregate({empty, empty}, {},
                        {count_rows(), col("i").count(), col("i").sum(), col("v").mean(),
                         col("s").max(), col("i").n_unique()},
                        2);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"0", "0", "NULL", "NULL", "NULL", "0"}));
}

TEST(HashAggregateTest, GlobalAggregateCoversEveryRow) {
  Data data = MakeData(10000, 512, 100);
  Rows rows = Aggregate(data.batches, {}, {count_rows(), col("i").sum(), col("i").first()}, 2);
  int64_t sum = 0;
  for (const auto& value : data.i) sum += value.value_or(0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "10000");
  EXPECT_EQ(rows[0][1], std::to_string(sum));
  EXPECT_EQ(rows[0][2], Str(data.i[0]));
}

TEST(HashAggregateTest, KeysMayBeExpressionsAndAggregatesAliased) {
  Data data = MakeData(3000, 700, 10);
  Rows rows = Aggregate(data.batches, {(col("small") * 2).alias("twice")},
                        {col("i").max().alias("top"), aggregate("count", {col("small")}, true)}, 1);
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& row : rows) EXPECT_EQ(row[2], "1");  // One distinct value per group.
  EXPECT_EQ(rows[0][0], std::to_string(2 * data.small[0]));
}

TEST(HashAggregateTest, SumOverflowNamesTheAggregate) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"x", Int64(), false}});
  std::vector<Batch> batches;
  for (int b = 0; b < 3; ++b) {
    ColumnBuilder builder(Int64());
    builder.Append<int64_t>(INT64_MAX / 2);
    Batch batch;
    batch.schema = schema;
    batch.num_rows = 1;
    batch.columns = {builder.Finish()};
    batches.push_back(std::move(batch));
  }
  try {
    Aggregate(batches, {}, {col("x").sum()}, 2);
    FAIL() << "expected an overflow error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("sum(x)"), std::string::npos) << error.what();
  }
}

/// Runs `batches` through a real pipeline into `sink` (with its backpressure: a few batches per
/// thread in flight, as in every query) and returns the result rows. The spill tests use this:
/// Feed lets threads run arbitrarily far ahead of a slow one, which no query does.
Rows RunInPipeline(BreakerSink& sink, const std::vector<Batch>& batches,
                   const ExecContext& context) {
  RunPipeline(Stream{MakeBatchSource(batches.at(0).schema, batches), {}}, sink, context);
  auto result = sink.TakeResult();
  return Collect(*result);
}

/// Every kind of aggregate state, for the spill tests.
std::vector<Expr> EveryAggregate() {
  return {col("v").sum(),      col("v").mean(),
          count_rows(),        col("i").count(),
          col("s").min(),      col("i").max(),
          col("s").first(),    col("v").last(),
          col("i").n_unique(), col("v").median(),
          col("v").std(),      col("v").quantile(0.9),
          col("flag").any(),   aggregate("sum", {col("i")}, /*distinct=*/true)};
}

TEST(HashAggregateTest, SpillsUnderATinyBudgetWithBitIdenticalResults) {
  // 40K groups over 200K rows: the partitions outgrow a 6 MB budget many times over.
  Data data = MakeData(200000, 1000, 40000);
  const Rows expected = Aggregate(data.batches, {col("k")}, EveryAggregate(), 2);
  for (int threads : {1, 3}) {
    Harness harness(threads, 6'000'000);
    const Schema& input = *data.batches[0].schema;
    auto sink = MakeHashAggregateSink(input, {col("k")}, EveryAggregate(),
                                      AggregateSchema(input, {col("k")}, EveryAggregate()),
                                      harness.context);
    EXPECT_EQ(RunInPipeline(*sink, data.batches, harness.context), expected)
        << threads << " threads";
    EXPECT_GT(harness.memory.spill_count(), 0);
    sink.reset();
    EXPECT_EQ(harness.memory.used(), 0);
  }
}

/// Aggregates under `memory_limit` with batches fed in order; expects at least one spill.
Rows AggregateSpilling(const std::vector<Batch>& batches, const std::vector<Expr>& keys,
                       const std::vector<Expr>& aggregates, int64_t memory_limit) {
  Harness harness(2, memory_limit);
  const Schema& input = *batches.at(0).schema;
  auto sink = MakeHashAggregateSink(input, keys, aggregates,
                                    AggregateSchema(input, keys, aggregates), harness.context);
  Rows rows = RunInPipeline(*sink, batches, harness.context);
  EXPECT_GT(harness.memory.spill_count(), 0);
  return rows;
}

TEST(HashAggregateTest, SpillsWithStringAndSeveralKeys) {
  Data data = MakeData(300000, 1000, 60000);
  const std::vector<Expr> keys = {col("k"), col("small")};
  const std::vector<Expr> aggregates = {col("v").sum(), col("s").last(), col("i").n_unique()};
  EXPECT_EQ(AggregateSpilling(data.batches, keys, aggregates, 4'000'000),
            Aggregate(data.batches, keys, aggregates, 2));
  // A string key: the bytes layout.
  const std::vector<Expr> by_name = {concat({col("s"), lit("-"), col("k").cast(Utf8())})};
  EXPECT_EQ(AggregateSpilling(data.batches, by_name, {col("v").sum()}, 4'000'000),
            Aggregate(data.batches, by_name, {col("v").sum()}, 2));
}

TEST(HashAggregateTest, DistinctSpillsToo) {
  Data data = MakeData(150000, 1000, 60000);
  Harness memory(2);
  auto in_memory = MakeDistinctSink(*DataSchema(), {"k"}, memory.context);
  const Rows expected = Drive(*in_memory, data.batches, 2, 3);
  // 6 MB: well below what the distinct rows need in memory, with room for the partials of
  // two threads on a loaded machine (4 MB ran out now and then).
  Harness tight(2, 6'000'000);
  auto spilled = MakeDistinctSink(*DataSchema(), {"k"}, tight.context);
  EXPECT_EQ(RunInPipeline(*spilled, data.batches, tight.context), expected);
  EXPECT_GT(tight.memory.spill_count(), 0);
}

TEST(HashAggregateTest, MemoryLimitErrorNamesTheAggregation) {
  // Far too small even for one morsel's partial: nothing to spill helps.
  Data data = MakeData(100000, 10000, 1'000'000);
  try {
    Aggregate(data.batches, {col("k")}, {col("v").sum()}, 2, 1, /*memory_limit=*/200'000);
    FAIL() << "expected an out-of-memory error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kOutOfMemory);
    EXPECT_NE(std::string(error.what()).find("group by `k`"), std::string::npos) << error.what();
  }
}

TEST(HashAggregateTest, DistinctKeepsTheFirstRowOfEachKey) {
  Data data = MakeData(4000, 300, 30);
  for (int threads : {1, 8}) {
    Harness harness(threads);
    auto sink = MakeDistinctSink(*DataSchema(), {"small", "flag"}, harness.context);
    Rows rows = Drive(*sink, data.batches, threads, 9);
    std::map<std::pair<int16_t, bool>, size_t> first;
    std::vector<size_t> order;
    for (size_t r = 0; r < data.k.size(); ++r) {
      if (first.try_emplace({data.small[r], data.flag[r]}, r).second) order.push_back(r);
    }
    ASSERT_EQ(rows.size(), order.size());
    for (size_t n = 0; n < order.size(); ++n) {
      size_t r = order[n];
      ASSERT_EQ(rows[n].size(), 6u);  // Every column, in input order.
      EXPECT_EQ(rows[n][0], Str(data.k[r]));
      EXPECT_EQ(rows[n][1], data.s[r] ? *data.s[r] : "NULL");
      EXPECT_EQ(rows[n][2], std::to_string(data.small[r]));
      EXPECT_EQ(rows[n][5], Str(data.i[r]));
    }
  }
}

TEST(HashAggregateTest, DistinctOverAllColumnsDropsDuplicateRows) {
  Data data = MakeData(1000, 100, 5);
  std::vector<Batch> doubled = data.batches;
  doubled.insert(doubled.end(), data.batches.begin(), data.batches.end());
  Harness harness(2);
  auto sink = MakeDistinctSink(*DataSchema(), {}, harness.context);
  Rows rows = Drive(*sink, doubled, 2, 4);
  EXPECT_EQ(rows.size(), 1000u);  // Every row of the first copy is new (v differs per row).
}

}  // namespace
}  // namespace sluice::exec
