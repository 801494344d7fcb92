// The optimizer must never change results. Random plans over two small Parquet tables with
// nulls (filters of every predicate shape, projections with renames, aggregates, every join type,
// sorts with limits, distinct, union) run through the executor as written and as optimized; the
// rows must be the same. A plan whose unoptimized run fails (say, a division by zero the query
// really performs) may succeed once optimized, never the other way round.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/error.h"
#include "core/value_format.h"
#include "exec/ordered_sinks.h"
#include "exec/physical_planner.h"
#include "plan/optimizer.h"
#include "plan_test_util.h"
#include "testing/temp_dir.h"

namespace sluice {
namespace {

Batch EventsData() {
  const int64_t rows = 2000;
  std::vector<Field> fields = {{"id", Int64(), true},  {"k", Int64(), true},
                               {"g", Utf8(), true},    {"v", Int64(), true},
                               {"f", Float64(), true}, {"flag", Bool(), true}};
  std::vector<ColumnBuilder> b;
  for (const Field& field : fields) b.emplace_back(field.type);
  for (int64_t i = 0; i < rows; ++i) {
    b[0].Append<int64_t>(i);
    if (i % 11 == 0)
      b[1].AppendNull();
    else
      b[1].Append<int64_t>(i % 7);
    if (i % 13 == 0)
      b[2].AppendNull();
    else
      b[2].AppendString("g" + std::to_string(i % 5));
    if (i % 17 == 0)
      b[3].AppendNull();
    else
      b[3].Append<int64_t>((i * 37) % 101 - 50);
    if (i % 19 == 0)
      b[4].AppendNull();
    else
      b[4].Append<double>(i % 23 == 0 ? std::nan("") : (i % 9) * 0.5);
    if (i % 29 == 0)
      b[5].AppendNull();
    else
      b[5].AppendBool(i % 3 == 0);
  }
  Batch batch;
  batch.schema = std::make_shared<Schema>(fields);
  batch.num_rows = rows;
  for (ColumnBuilder& builder : b) batch.columns.push_back(builder.Finish());
  return batch;
}

Batch DimsData() {
  std::vector<Field> fields = {
      {"k", Int64(), true}, {"name", Utf8(), true}, {"w", Int64(), true}, {"id", Int64(), true}};
  std::vector<ColumnBuilder> b;
  for (const Field& field : fields) b.emplace_back(field.type);
  for (int64_t i = 0; i < 24; ++i) {
    if (i % 8 == 7)
      b[0].AppendNull();
    else
      b[0].Append<int64_t>(i % 10);
    b[1].AppendString("n" + std::to_string(i % 4));
    if (i % 5 == 4)
      b[2].AppendNull();
    else
      b[2].Append<int64_t>(i * 3 - 20);
    b[3].Append<int64_t>(i * 90);
  }
  Batch batch;
  batch.schema = std::make_shared<Schema>(fields);
  batch.num_rows = 24;
  for (ColumnBuilder& builder : b) batch.columns.push_back(builder.Finish());
  return batch;
}

/// The rows of a run as sorted text lines, or nothing when the run fails.
std::optional<std::vector<std::string>> RunPlan(const PlanPtr& plan, std::string* error) {
  try {
    exec::ExecContext context;
    context.threads = &ThreadPool::Default();
    context.pool = MemoryPool::Default();
    exec::Stream stream = exec::BuildStream(plan, context);
    exec::CollectSink sink(plan->schema);
    exec::RunPipeline(std::move(stream), sink, context);
    std::vector<std::string> rows;
    for (const Batch& batch : sink.TakeBatches()) {
      for (int64_t r = 0; r < batch.num_rows; ++r) {
        std::string line;
        for (const Column& column : batch.columns)
          line += (column.IsNull(r) ? std::string("NULL") : FormatValue(column, r)) + "|";
        rows.push_back(std::move(line));
      }
    }
    if (!std::getenv("SLUICE_OPTIMIZER_ORDERED")) std::sort(rows.begin(), rows.end());
    return rows;
  } catch (const Error& e) {
    *error = e.what();
    return std::nullopt;
  }
}

/// Builds random plans; each step picks an operation valid for the current schema.
class PlanGenerator {
 public:
  PlanGenerator(uint32_t seed, PlanPtr events, PlanPtr dims)
      : rng_(seed), events_(std::move(events)), dims_(std::move(dims)) {}

  PlanPtr Generate() {
    PlanPtr plan = events_;
    int steps = Pick(1, 5);
    for (int i = 0; i < steps; ++i) {
      try {
        plan = Step(plan);
      } catch (const Error&) {
        // An invalid combination (a type error): try another step.
      }
    }
    return plan;
  }

  /// `plan` under window functions whose results do not depend on the order of tied rows
  /// (rank, sums over RANGE frames, partition counts), maybe filtered on a partition column
  /// and on a window result, maybe projected to fewer columns.
  PlanPtr WithWindows(const PlanPtr& plan) {
    std::vector<Field> ints = FieldsOf(plan, TypeId::kInt64);
    std::vector<Expr> partition_by;
    std::string partition_column;
    for (const Field& field : plan->schema->fields()) {
      if (field.type.id == TypeId::kFloat64 || !Chance(35) || !partition_by.empty()) continue;
      partition_by.push_back(col(field.name));
      partition_column = field.name;
    }
    std::vector<SortKey> order_by;
    if (!ints.empty() && Chance(80))
      order_by.push_back({col(ints[Pick(0, ints.size() - 1)].name), Chance(50), std::nullopt});
    std::vector<WindowExpr> windows;
    auto add = [&](std::string function, std::vector<Expr> args, std::string name,
                   std::optional<WindowFrame> frame = {}) {
      WindowExpr window;
      window.function = std::move(function);
      window.args = std::move(args);
      window.partition_by = partition_by;
      window.order_by = order_by;
      window.frame = std::move(frame);
      window.name = std::move(name);
      windows.push_back(std::move(window));
    };
    add("rank", {}, "w_rank");
    add("count_star", {}, "w_rows");
    if (!ints.empty()) {
      const std::string c = ints[Pick(0, ints.size() - 1)].name;
      add("sum", {col(c)}, "w_sum");
      if (!order_by.empty()) {
        WindowFrame frame;
        frame.units = WindowFrame::Units::kRange;
        frame.start = {WindowBound::Kind::kPreceding, Scalar{Int64(), int64_t{Pick(0, 50)}}};
        frame.end = {WindowBound::Kind::kFollowing, Scalar{Int64(), int64_t{Pick(0, 50)}}};
        add("max", {col(c)}, "w_max", frame);
      }
    }
    PlanPtr out = MakeWindow(plan, std::move(windows));
    if (!partition_column.empty() && Chance(70)) {
      const DataType& type = plan->schema->field(*plan->schema->FindField(partition_column)).type;
      Expr predicate = type.id == TypeId::kInt64  ? IntAtom(partition_column)
                       : type.id == TypeId::kUtf8 ? col(partition_column) > "g2"
                                                  : col(partition_column).is_not_null();
      out = MakeFilter(out, predicate);
    }
    if (Chance(50)) out = MakeFilter(out, col("w_rank") <= int64_t{Pick(1, 20)});
    if (Chance(50)) {
      std::vector<Expr> exprs;
      for (const Field& field : out->schema->fields())
        if (Chance(50)) exprs.push_back(col(field.name));
      if (!exprs.empty()) out = MakeProject(out, exprs);
    }
    return out;
  }

 private:
  int Pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool Chance(int percent) { return Pick(1, 100) <= percent; }

  std::vector<Field> FieldsOf(const PlanPtr& plan, TypeId id) {
    std::vector<Field> out;
    for (const Field& field : plan->schema->fields())
      if (field.type.id == id) out.push_back(field);
    return out;
  }

  Expr IntAtom(const std::string& c) {
    Expr x = col(c);
    int64_t v = Chance(50) ? Pick(-60, 60) : Pick(-10, 2100);
    switch (Pick(0, 11)) {
      case 0: return x > v;
      case 1: return x <= v;
      case 2: return x == Pick(-5, 12);
      case 3: return lit(int64_t{v}) > x;
      case 4: return x.between(lit(int64_t{v}), lit(int64_t{v + Pick(0, 300)}));
      case 5:
        return x.is_in({lit(int64_t{Pick(0, 9)}), lit(int64_t{Pick(0, 2000)}), lit_null(Int64())});
      case 6: return x.is_null();
      case 7: return x.is_not_null();
      case 8: return x != Pick(0, 6);
      case 9: return (x + 1) * 2 > v;
      case 10: return lit(int64_t{100}) / x > 1;  // may fail on a zero
      default: return x > lit_null(Int64());
    }
  }

  Expr Atom(const PlanPtr& plan) {
    std::vector<Field> ints = FieldsOf(plan, TypeId::kInt64);
    std::vector<Field> strings = FieldsOf(plan, TypeId::kUtf8);
    std::vector<Field> bools = FieldsOf(plan, TypeId::kBool);
    std::vector<Field> floats = FieldsOf(plan, TypeId::kFloat64);
    int kind = Pick(0, 9);
    if (kind <= 4 && !ints.empty()) return IntAtom(ints[Pick(0, ints.size() - 1)].name);
    if (kind <= 6 && !strings.empty()) {
      Expr s = col(strings[Pick(0, strings.size() - 1)].name);
      std::string value = (Chance(50) ? "g" : "n") + std::to_string(Pick(0, 5));
      switch (Pick(0, 2)) {
        case 0: return s == value;
        case 1: return s > value;
        default: return s.is_null();
      }
    }
    if (kind == 7 && !bools.empty()) {
      Expr b = col(bools[Pick(0, bools.size() - 1)].name);
      return Chance(50) ? b : !b;
    }
    if (kind == 8 && !floats.empty()) {
      Expr f = col(floats[Pick(0, floats.size() - 1)].name);
      double value = Pick(-2, 10) * 0.5;
      switch (Pick(0, 3)) {
        case 0: return f > value;
        case 1: return f < value;
        case 2: return f == value;
        default: return f * 2.0 >= value;
      }
    }
    switch (Pick(0, 2)) {
      case 0: return lit(true);
      case 1: return lit(Chance(80));
      default: return lit(1) < lit(2);
    }
  }

  Expr Predicate(const PlanPtr& plan, int depth = 0) {
    if (depth >= 2 || Chance(50)) return Atom(plan);
    switch (Pick(0, 3)) {
      case 0: return Predicate(plan, depth + 1) && Predicate(plan, depth + 1);
      case 1: return Predicate(plan, depth + 1) || Predicate(plan, depth + 1);
      case 2: return !Predicate(plan, depth + 1);
      default: return Predicate(plan, depth + 1) && lit(true);
    }
  }

  std::vector<SortKey> AllKeys(const Schema& schema) {
    std::vector<SortKey> keys;
    for (const Field& field : schema.fields())
      keys.push_back(
          {col(field.name), Chance(50), Chance(50) ? std::optional<bool>(true) : std::nullopt});
    return keys;
  }

  std::string AnyInt(const PlanPtr& plan) {
    std::vector<Field> ints = FieldsOf(plan, TypeId::kInt64);
    return ints.empty() ? "" : ints[Pick(0, ints.size() - 1)].name;
  }

  PlanPtr Step(const PlanPtr& plan) {
    const Schema& schema = *plan->schema;
    switch (Pick(0, 14)) {
      case 10: {  // with_columns: replace an integer column by a computation over it
        std::string c = AnyInt(plan);
        if (c.empty()) return plan;
        std::vector<Expr> exprs;
        for (const Field& field : schema.fields())
          exprs.push_back(field.name == c ? (col(c) % 3).alias(c) : col(field.name));
        return MakeProject(plan, exprs);
      }
      case 11: {  // group by a computed key
        std::string c = AnyInt(plan);
        if (c.empty()) return plan;
        return MakeAggregate(plan, {(col(c) % 4).alias("key")},
                             {count_rows().alias("n"), col(c).min().alias("lo")});
      }
      case 12: {  // a limit over a union of sorted inputs, or over a projection of a sort
        if (Chance(50)) {
          PlanPtr a = MakeSort(plan, AllKeys(schema));
          PlanPtr b = MakeSort(MakeFilter(plan, Predicate(plan)), AllKeys(schema));
          return MakeLimit(MakeUnion({a, b}), Pick(0, 5), Pick(0, 60));
        }
        std::vector<Expr> exprs;
        for (const Field& field : schema.fields())
          if (Chance(70)) exprs.push_back(col(field.name).alias(field.name + "_p"));
        if (exprs.empty()) exprs.push_back(col(schema.field(0).name));
        return MakeLimit(MakeProject(MakeSort(plan, AllKeys(schema)), exprs), Pick(0, 5),
                         Pick(0, 60));
      }
      case 13: {  // a join on differently named keys, or a cross join
        if (Chance(30)) {
          PlanPtr right = MakeFilter(dims_, Predicate(dims_));
          return MakeJoin(plan, right, JoinType::kCross, {}, {}, "_x");
        }
        std::string c = AnyInt(plan);
        if (c.empty()) return plan;
        static const JoinType kTypes[] = {JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                          JoinType::kFull,  JoinType::kSemi, JoinType::kAnti};
        return MakeJoin(plan, dims_, kTypes[Pick(0, 5)], {col(c)}, {col("w")}, "_w", Chance(70));
      }
      case 14:  // a projection over a projection
        return MakeProject(
            MakeProject(plan, {col(schema.field(0).name).alias("p0"),
                               col(schema.field(schema.size() - 1).name).alias("p1")}),
            {col("p1"), col("p0").alias("q0")});
      case 0:
      case 1:
      case 2: return MakeFilter(plan, Predicate(plan));
      case 3: {  // select a subset with renames and a computed column
        std::vector<Expr> exprs;
        for (const Field& field : schema.fields()) {
          if (Chance(30)) continue;
          exprs.push_back(Chance(25) ? col(field.name).alias(field.name + "_r") : col(field.name));
        }
        std::vector<Field> ints = FieldsOf(plan, TypeId::kInt64);
        if (!ints.empty() && Chance(60))
          exprs.push_back((col(ints[Pick(0, ints.size() - 1)].name) * 2 + lit(1))
                              .alias("calc" + std::to_string(Pick(0, 99))));
        if (exprs.empty()) exprs.push_back(col(schema.field(0).name));
        return MakeProject(plan, exprs);
      }
      case 4: {  // aggregate
        std::vector<Expr> keys;
        for (const Field& field : schema.fields())
          if (field.type.id != TypeId::kFloat64 && Chance(25) && keys.size() < 2)
            keys.push_back(col(field.name));
        std::vector<Expr> aggregates = {count_rows().alias("n")};
        std::vector<Field> ints = FieldsOf(plan, TypeId::kInt64);
        if (!ints.empty()) {
          std::string c = ints[Pick(0, ints.size() - 1)].name;
          aggregates.push_back(col(c).sum().alias("sum_" + c));
          aggregates.push_back(col(c).max().alias("max_" + c));
        }
        return MakeAggregate(plan, keys, aggregates);
      }
      case 5: {  // join with dims on k
        if (!schema.FindField("k") || schema.field(*schema.FindField("k")).type != Int64())
          return plan;
        static const JoinType kTypes[] = {JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                          JoinType::kFull,  JoinType::kSemi, JoinType::kAnti};
        PlanPtr right = Chance(30) ? MakeFilter(dims_, Predicate(dims_)) : dims_;
        return MakeJoin(plan, right, kTypes[Pick(0, 5)], {col("k")}, {col("k")}, "_d", Chance(70));
      }
      case 6: {  // sort by every column, maybe with a limit (deterministic either way)
        std::vector<SortKey> keys;
        for (const Field& field : schema.fields())
          keys.push_back(
              {col(field.name), Chance(50), Chance(50) ? std::optional<bool>(true) : std::nullopt});
        PlanPtr sorted = MakeSort(plan, keys);
        return Chance(70) ? MakeLimit(sorted, Pick(0, 3), Pick(0, 40)) : sorted;
      }
      case 7: return MakeDistinct(plan);
      case 8: return MakeUnion({plan, MakeFilter(plan, Predicate(plan))});
      default: return MakeFilter(MakeFilter(plan, Predicate(plan)), Predicate(plan));
    }
  }

  std::mt19937 rng_;
  PlanPtr events_, dims_;
};

TEST(OptimizerEquivalenceTest, RandomPlansGiveTheSameRowsOptimized) {
  test::TempDir dir;
  test::WriteParquet(dir.Join("events.parquet"), EventsData(), 250);
  test::WriteParquet(dir.Join("dims.parquet"), DimsData(), 10);
  ScanSource events_source, dims_source;
  events_source.path = dir.Join("events.parquet");
  dims_source.path = dir.Join("dims.parquet");
  PlanPtr events = MakeScan(OpenScanSource(events_source));
  PlanPtr dims = MakeScan(OpenScanSource(dims_source));
  int compared = 0;
  // SLUICE_OPTIMIZER_SEEDS runs more plans when hunting bugs.
  const char* seeds_env = std::getenv("SLUICE_OPTIMIZER_SEEDS");
  const uint32_t seeds = seeds_env ? static_cast<uint32_t>(std::atoi(seeds_env)) : 400;
  for (uint32_t seed = 1; seed <= seeds; ++seed) {
    PlanGenerator generator(seed, events, dims);
    PlanPtr plan = generator.Generate();
    std::string error;
    std::optional<std::vector<std::string>> expected = RunPlan(plan, &error);
    if (!expected) continue;
    PlanPtr optimized;
    try {
      optimized = Optimize(plan);
    } catch (const Error& e) {
      ADD_FAILURE() << "seed " << seed << ": " << e.what() << "\n" << ExplainPlan(plan);
      continue;
    }
    std::optional<std::vector<std::string>> actual = RunPlan(optimized, &error);
    ASSERT_TRUE(actual) << "seed " << seed << ": " << error << "\n"
                        << ExplainPlan(plan) << "optimized:\n"
                        << ExplainPlan(optimized);
    ASSERT_EQ(*actual, *expected) << "seed " << seed << "\n"
                                  << ExplainPlan(plan) << "optimized:\n"
                                  << ExplainPlan(optimized);
    if (std::getenv("SLUICE_OPTIMIZER_VERBOSE"))
      std::printf("seed %u\n%s\n", seed, ExplainBeforeAfter(plan).c_str());
    ++compared;
  }
  EXPECT_GT(compared, static_cast<int>(seeds) * 3 / 4);
}

TEST(OptimizerEquivalenceTest, RandomPlansWithWindowsGiveTheSameRowsOptimized) {
  test::TempDir dir;
  test::WriteParquet(dir.Join("events.parquet"), EventsData(), 250);
  test::WriteParquet(dir.Join("dims.parquet"), DimsData(), 10);
  ScanSource events_source, dims_source;
  events_source.path = dir.Join("events.parquet");
  dims_source.path = dir.Join("dims.parquet");
  PlanPtr events = MakeScan(OpenScanSource(events_source));
  PlanPtr dims = MakeScan(OpenScanSource(dims_source));
  int compared = 0;
  const uint32_t seeds = 120;
  for (uint32_t seed = 1; seed <= seeds; ++seed) {
    PlanGenerator generator(seed, events, dims);
    PlanPtr plan;
    try {
      plan = generator.WithWindows(generator.Generate());
    } catch (const Error&) {
      continue;  // A name clash or type error of the random plan.
    }
    std::string error;
    std::optional<std::vector<std::string>> expected = RunPlan(plan, &error);
    if (!expected) continue;
    PlanPtr optimized = Optimize(plan);
    std::optional<std::vector<std::string>> actual = RunPlan(optimized, &error);
    ASSERT_TRUE(actual) << "seed " << seed << ": " << error << "\n" << ExplainPlan(plan);
    ASSERT_EQ(*actual, *expected) << "seed " << seed << "\n"
                                  << ExplainPlan(plan) << "optimized:\n"
                                  << ExplainPlan(optimized);
    ++compared;
  }
  EXPECT_GT(compared, static_cast<int>(seeds) / 2);
}

}  // namespace
}  // namespace sluice
